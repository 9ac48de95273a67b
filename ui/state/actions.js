// @ts-check
/**
 * Intents: what the person asked for, sent to the core. Nothing here decides anything the core
 * owns; it keeps this window's own choice (which tab it shows) and reports failures.
 */
import { signal } from "@preact/signals";
import { RequestError } from "../lib/connection.js";
import {
  activeSessionId,
  applyWorkspace,
  dropTranscript,
  setTranscript,
  transcriptOf,
  unseen,
  workspace,
} from "./store.js";
import { isTab, tabOf } from "./indexes.js";
import { PermissionReply } from "./words.js";
import { expiredFor } from "./subscription.js";
import { catalog } from "./store.js";

/** @typedef {import("../../proto/envelope.js").ipc.ClientMessage.$Properties} Frame */
/** @typedef {import("../../proto/envelope.js").ipc.ModelRef.$Properties} ModelRef */

/** @type {import("../lib/connection.js").Connection | null} */
let conn = null;
const ACTIVE = "opencode-desk.active";

/** A message for the person when an intent failed (shown near the input). */
export const notice = signal("");

/** @param {import("../lib/connection.js").Connection} c */
export function useConnection(c) {
  conn = c;
}

/** The connection to the core (throws before there is one). */
export function connection() {
  if (!conn) throw new Error("Cannot send: no connection yet");
  return conn;
}

/**
 * How many tabs keep their whole transcript in this window. An older one is dropped and re-read
 * from the core (which holds every open tab) when it is shown again: fifty long tabs would
 * otherwise all sit in the page's memory.
 */
const KEEP_LOADED = 6;
/** Sessions this window showed, the most recent last. @type {string[]} */
let shown = [];

/** @param {string} id */
function markShown(id) {
  shown = [...shown.filter((x) => x !== id), id];
  while (shown.length > KEEP_LOADED) dropTranscript(/** @type {string} */ (shown.shift()));
}

/** @param {unknown} err */
export function report(err) {
  notice.value = err instanceof Error ? err.message : String(err);
}

/**
 * Sends a request; failures are shown to the person and returned as null.
 * @param {import("../../proto/envelope.js").ipc.ClientMessage.$Properties} frame
 */
export async function call(frame) {
  try {
    return await connection().request(frame);
  } catch (err) {
    report(err);
    return null;
  }
}

/**
 * The core's answer to a tab intent: the tabs, and the one this window shows. The shown tab's
 * transcript is loaded when this window does not hold it yet.
 * @param {import("../../proto/envelope.js").ipc.Workspace.$Properties} w
 */
export async function showWorkspace(w) {
  const before = activeSessionId.value;
  applyWorkspace(w);
  const id = activeSessionId.value;
  if (id && id !== before) noteShown(id);
  if (id && !transcriptOf(id).loaded.value) await loadTranscript(id);
}

/** This window now shows `id`: remembered for a reload, no longer "done" unseen. @param {string} id */
function noteShown(id) {
  sessionStorage.setItem(ACTIVE, id);
  markShown(id);
  if (unseen.value.has(id)) {
    const next = new Set(unseen.value);
    next.delete(id);
    unseen.value = next;
  }
}

/** Sends a tab intent and shows what the core made of it. @param {Frame} frame */
async function tabIntent(frame) {
  // The core pushed the result to this window before it replied, and pushes arrive in order: the
  // reply's copy may be older than a push that overtook it (another intent of this window, or of
  // another window), so only the pushes are shown. The reply says the intent was applied.
  const reply = await call(frame);
  const id = activeSessionId.value;
  if (reply?.workspace && id && !transcriptOf(id).loaded.value) await loadTranscript(id);
  return !!reply?.workspace;
}

/** Transcripts being read from the core, so two callers share one request. */
const loading = new Map();

/** Loads a session's transcript from the core. @param {string} id @returns {Promise<boolean>} */
export function loadTranscript(id) {
  let p = loading.get(id);
  if (!p) {
    p = readTranscript(id).finally(() => loading.delete(id));
    loading.set(id, p);
  }
  return p;
}

/** @param {string} id */
async function readTranscript(id) {
  const t = transcriptOf(id);
  try {
    const reply = await connection().request({ openSession: { sessionId: id } });
    if (reply.transcript) setTranscript(reply.transcript);
    return true;
  } catch (err) {
    if (err instanceof RequestError && err.code === 3) {
      dropTranscript(id);
      t.loaded.value = false;
    }
    report(err);
    return false;
  }
}

/** Shows a session in this window; the core opens a tab for it if there is none. @param {string} id */
export async function openSession(id) {
  if (!id) return false;
  if (isTab(id)) {
    // Which tab a window shows is its own: show it now, the core records it.
    if (activeSessionId.value !== id) {
      activeSessionId.value = id;
      noteShown(id);
    }
    return await tabIntent({ showTab: { sessionId: id } });
  }
  return await tabIntent({ openTab: { sessionId: id, index: -1 } });
}

/** Creates a session on the server; the core opens it in a tab this window shows. */
export async function newSession() {
  const ok = await tabIntent({ createSession: {} });
  return ok ? activeSessionId.value : "";
}

/** Closes a tab everywhere; the session stays on the server. @param {string} id */
export async function closeTab(id) {
  shown = shown.filter((x) => x !== id);
  const ok = await tabIntent({ closeTab: { sessionId: id } });
  if (ok) dropTranscript(id);
}

/** Moves a tab to a new position (drag and drop, keyboard). @param {string} id @param {number} index */
export async function moveTab(id, index) {
  await tabIntent({ moveTab: { sessionId: id, index } });
}

/**
 * Changes what one tab sends with; only the fields given change.
 * @param {string} id
 * @param {{ agent?: string, model?: ModelRef, variant?: string }} patch
 */
export async function updateTab(id, patch) {
  await tabIntent({ updateTab: { sessionId: id, ...patch } });
}

/**
 * Changes what a tab sends with, as `updateTab`; with no tab open (`id` ""), a new session is
 * created first and the change applies to it.
 * @param {string} id
 * @param {{ agent?: string, model?: ModelRef, variant?: string }} patch
 */
export async function updateTabOrCreate(id, patch) {
  const target = id || await newSession();
  if (target) await updateTab(target, patch);
}

/** Closes every tab but one (the sessions stay). @param {string} keep */
export async function closeOthers(keep) {
  await openSession(keep);
  for (const t of [...(workspace.value.tabs ?? [])]) {
    if (t.sessionId && t.sessionId !== keep) await closeTab(t.sessionId);
  }
}

/** Moves a tab one place left (-1) or right (+1). @param {string} id @param {number} by */
export function moveTabBy(id, by) {
  const order = (workspace.value.tabs ?? []).map((t) => t.sessionId ?? "");
  const to = order.indexOf(id) + by;
  if (order.includes(id) && to >= 0 && to < order.length) moveTab(id, to);
}

/** @param {string} id @param {string} title */
export async function renameSession(id, title) {
  const reply = await call({ renameSession: { sessionId: id, title } });
  return !!reply?.session;
}

/** Deletes on the server (after the person confirmed); its tab closes everywhere. @param {string} id */
export async function deleteSession(id) {
  const reply = await call({ deleteSession: { sessionId: id } });
  return !!reply;
}

/**
 * Answers a permission request. On success it disappears (the core pushes permissionResolved).
 * @param {string} id @param {"once" | "always" | "reject"} reply @param {string} [message]
 */
export async function replyPermission(id, reply, message = "") {
  const r = PermissionReply.value(reply);
  return !!await call({ replyPermission: { permissionId: id, reply: r, message } });
}

/**
 * Answers a question (one list of chosen labels per question), or dismisses it with null.
 * @param {string} id @param {string[][] | null} answers
 */
export async function replyQuestion(id, answers) {
  const frame = answers
    ? { questionId: id, answers: answers.map((labels) => ({ labels })) }
    : { questionId: id, reject: true };
  return !!await call({ replyQuestion: frame });
}

/** @returns {string} the tab this window showed before a reload, if any */
export function rememberedActive() {
  return sessionStorage.getItem(ACTIVE) ?? "";
}

/**
 * Sends text (and files) to the active session, creating one first if there is none.
 * @param {string} text
 * @param {{mime: string, filename: string, url: string}[]} [files]
 * @param {{ files: { path: string }[], agents: string[] }} [mentions] project files and agents
 *   the text mentions (state/compose.js); the core checks each file lies inside the project
 * @returns {Promise<boolean>} whether the core accepted it
 */
export async function send(text, files = [], mentions = { files: [], agents: [] }) {
  notice.value = "";
  let id = activeSessionId.value;
  if (!id) id = await newSession();
  if (!id) return false;
  const tab = tabOf(id);
  const provider = tab?.modelId ? tab.providerId : catalog.value.defaultModel?.providerId;
  if (expiredFor(provider ?? "")) {
    // Said before anything goes out: the text stays in the box.
    notice.value = "Not sent: the Anthropic subscription token has expired. Press Refresh in " +
      "Settings → Anthropic, sign in again, or switch to the API key.";
    return false;
  }
  transcriptOf(id).error.value = null;
  // Only what the person chose is sent; otherwise the server applies its own defaults.
  const message = {
    sessionId: id,
    text,
    files,
    agent: tab?.agent ?? "",
    providerId: tab?.modelId ? tab.providerId : "",
    modelId: tab?.modelId ?? "",
    variant: tab?.variant ?? "",
  };
  const mentioned = mentions.files.length || mentions.agents.length;
  const reply = await call(
    mentioned ? { sendMentions: { message, ...mentions } } : { sendMessage: message },
  );
  return !!reply;
}

export async function abort() {
  const id = activeSessionId.value;
  if (id) await call({ abortSession: { sessionId: id } });
}

/**
 * Changes the fields given; the core applies them and tells every window.
 * @param {import("../../proto/envelope.js").ipc.UpdateSettings.$Properties} patch
 */
export async function saveSettings(patch) {
  // Every window, this one included, gets the result as a push (which a reply could be older than).
  await call({ updateSettings: patch });
}

/** Asks the core to read the agents and models again (every window gets the result). */
export async function refreshCatalog() {
  await call({ refreshCatalog: {} });
}
