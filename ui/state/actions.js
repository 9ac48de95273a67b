// @ts-check
/**
 * Intents: what the person asked for, sent to the core. Nothing here decides anything the core
 * owns; it keeps this window's own choice (which tab it shows) and reports failures.
 */
import { signal } from "@preact/signals";
import { RequestError } from "../lib/connection.js";
import {
  activeSessionId,
  catalog,
  dropTranscript,
  sessions,
  settings,
  setTranscript,
  transcriptOf,
  unseen,
  workspace,
} from "./store.js";

/** @typedef {import("../../proto/envelope.js").ipc.Tab.$Properties} Tab */

/** @type {import("../lib/connection.js").Connection | null} */
let conn = null;
const ACTIVE = "opencode-desk.active";

/** A message for the person when an intent failed (shown near the input). */
export const notice = signal("");

/** @param {import("../lib/connection.js").Connection} c */
export function useConnection(c) {
  conn = c;
}

function connection() {
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

/** @param {Tab[]} tabs @param {string} active */
async function saveWorkspace(tabs, active) {
  workspace.value = { tabs, activeSessionId: active };
  await call({ setWorkspace: { workspace: { tabs, activeSessionId: active } } });
}

/** Loads a session's transcript from the core. @param {string} id */
export async function loadTranscript(id) {
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

/** Shows a session in this window, opening a tab for it if there is none. @param {string} id */
export async function openSession(id) {
  if (!id) return;
  activeSessionId.value = id;
  sessionStorage.setItem(ACTIVE, id);
  markShown(id);
  if (unseen.value.has(id)) {
    const next = new Set(unseen.value);
    next.delete(id);
    unseen.value = next;
  }
  const tabs = workspace.value.tabs ?? [];
  if (!tabs.some((t) => t.sessionId === id)) {
    // A session (re)opened in a new tab continues with the agent and model it last used.
    const s = sessions.value.find((x) => x.id === id);
    const last = { agent: s?.agent ?? "", providerId: s?.modelId ? s.providerId : "" };
    await saveWorkspace([...tabs, { sessionId: id, ...last, modelId: s?.modelId ?? "" }], id);
  } else if (workspace.value.activeSessionId !== id) await saveWorkspace(tabs, id);
  if (!transcriptOf(id).loaded.value) {
    const ok = await loadTranscript(id);
    if (!ok) await closeTab(id);
  }
}

/** Creates a session on the server and opens it in a new tab. */
export async function newSession() {
  const reply = await call({ createSession: {} });
  const id = reply?.session?.id ?? "";
  if (id) await openSession(id);
  return id;
}

/** Closes a tab; the session stays on the server. @param {string} id */
export async function closeTab(id) {
  const tabs = workspace.value.tabs ?? [];
  const at = tabs.findIndex((t) => t.sessionId === id);
  const rest = tabs.filter((t) => t.sessionId !== id);
  let active = activeSessionId.value;
  if (active === id) {
    active = rest[Math.min(at, rest.length - 1)]?.sessionId ?? "";
    activeSessionId.value = active;
    if (active) sessionStorage.setItem(ACTIVE, active);
  }
  await saveWorkspace(rest, active);
  dropTranscript(id);
  shown = shown.filter((x) => x !== id);
  await call({ closeSession: { sessionId: id } });
  if (active && !transcriptOf(active).loaded.value) await loadTranscript(active);
}

/** Reorders tabs (drag and drop, keyboard). @param {string[]} order */
export async function reorderTabs(order) {
  const byId = new Map((workspace.value.tabs ?? []).map((t) => [t.sessionId, t]));
  const tabs = order.map((id) => byId.get(id)).filter((t) => !!t);
  await saveWorkspace(/** @type {Tab[]} */ (tabs), activeSessionId.value);
}

/** Changes one tab's agent, model or variant. @param {string} id @param {Partial<Tab>} patch */
export async function updateTab(id, patch) {
  const tabs = (workspace.value.tabs ?? []).map((t) => t.sessionId === id ? { ...t, ...patch } : t);
  await saveWorkspace(tabs, activeSessionId.value);
}

/** @param {string} id @param {string} title */
export async function renameSession(id, title) {
  const reply = await call({ renameSession: { sessionId: id, title } });
  if (reply?.session) await updateTab(id, { renamed: true });
  return !!reply?.session;
}

/** Deletes on the server (after the person confirmed). @param {string} id */
export async function deleteSession(id) {
  const reply = await call({ deleteSession: { sessionId: id } });
  if (reply && activeSessionId.value === id) {
    const next = workspace.value.tabs?.find((t) => t.sessionId !== id)?.sessionId ?? "";
    activeSessionId.value = next;
    if (next) await openSession(next);
  }
  return !!reply;
}

/** @returns {string} the tab this window showed before a reload, if any */
export function rememberedActive() {
  return sessionStorage.getItem(ACTIVE) ?? "";
}

/** The tab's agent and model, with the server's defaults filled in. @param {string} id */
export function tabChoice(id) {
  const tab = workspace.value.tabs?.find((t) => t.sessionId === id);
  const c = catalog.value;
  return {
    agent: tab?.agent || c.defaultAgent || "",
    providerId: tab?.providerId || c.defaultModel?.providerId || "",
    modelId: tab?.modelId || c.defaultModel?.modelId || "",
    variant: tab?.variant || "",
  };
}

/**
 * Sends text (and files) to the active session, creating one first if there is none.
 * @param {string} text
 * @param {{mime: string, filename: string, url: string}[]} [files]
 * @returns {Promise<boolean>} whether the core accepted it
 */
export async function send(text, files = []) {
  notice.value = "";
  let id = activeSessionId.value;
  if (!id) id = await newSession();
  if (!id) return false;
  transcriptOf(id).error.value = null;
  const tab = workspace.value.tabs?.find((t) => t.sessionId === id);
  // Only what the person chose is sent; otherwise the server applies its own defaults.
  const reply = await call({
    sendMessage: {
      sessionId: id,
      text,
      files,
      agent: tab?.agent ?? "",
      providerId: tab?.modelId ? tab.providerId : "",
      modelId: tab?.modelId ?? "",
      variant: tab?.variant ?? "",
    },
  });
  return !!reply;
}

export async function abort() {
  const id = activeSessionId.value;
  if (id) await call({ abortSession: { sessionId: id } });
}

/** @param {import("../../proto/envelope.js").ipc.Settings.$Properties} next */
export async function saveSettings(next) {
  settings.value = next;
  await call({ updateSettings: { settings: next } });
}
