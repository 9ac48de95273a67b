// @ts-check
/**
 * History intents: undo, redo, undo to a message, fork from a message, compact, share, unshare,
 * export as Markdown, and reading a session's changes. The core decides what each acts on and
 * pushes the session's new state (its `revert`, its share link) to every window; these send the
 * intent, report a failure in a sentence, and do what is this window's own: the undone prompt
 * goes back to the message box, a share link to the clipboard, an export to a download.
 */
import { signal } from "@preact/signals";
import { ipc } from "../../proto/envelope.js";
import { call, loadTranscript, notice } from "./actions.js";
import { activeSessionId, transcriptOf } from "./store.js";
import { sessionDirectory } from "./projects.js";
import { sessionOf } from "./indexes.js";
import { loadOlder } from "./pages.js";
import { titleOf } from "./sessions.js";
import { markdownFileName, sessionMarkdown } from "../lib/export_markdown.js";

const Kind = ipc.HistoryActionKind;

/** @param {number} kind @param {string} sessionId @param {string} [messageId] */
function act(kind, sessionId, messageId = "") {
  notice.value = "";
  return call({ historyAction: { kind, sessionId, messageId } });
}

/** The text a person typed in a user message (what Undo gives back). @param {string} sessionId @param {string} messageId */
export function promptText(sessionId, messageId) {
  const m = transcriptOf(sessionId).messageIndex.get(messageId);
  if (!m) return "";
  return m.parts.value
    .filter((p) => p.info.value.type === "text" && !p.info.value.synthetic)
    .map((p) => p.text.value)
    .join("\n")
    .trim();
}

/** The message box, when it shows this session's draft. @param {string} sessionId */
function composerOf(sessionId) {
  if (sessionId !== activeSessionId.value) return null;
  return /** @type {HTMLTextAreaElement | null} */ (
    document.querySelector('textarea[aria-label="Message"]')
  );
}

/**
 * Puts text in the message box of the session's tab, if on screen, through the box's own input
 * handling (so the composer keeps it as that tab's draft), and focuses it.
 * @param {string} sessionId @param {string} text
 */
function putInComposer(sessionId, text) {
  const box = composerOf(sessionId);
  if (!box) return;
  const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")?.set;
  set?.call(box, text);
  box.dispatchEvent(new Event("input", { bubbles: true }));
  box.focus();
  box.setSelectionRange(text.length, text.length);
}

/** After an undo: the prompt the session went back to is in the message box again. @param {ipc.ServerMessage | null} reply */
function giveBackPrompt(reply) {
  const s = reply?.session;
  const at = s?.revert?.messageId;
  if (s?.id && at) putInComposer(s.id, promptText(s.id, at));
  return !!s;
}

/** Undoes the last turn: its messages fold, its file changes are taken back. @param {string} sessionId */
export async function undoLast(sessionId) {
  return giveBackPrompt(await act(Kind.HISTORY_ACTION_KIND_UNDO, sessionId));
}

/** Takes the undo back; the prompt Undo put in the message box goes again. @param {string} sessionId */
export async function redoLast(sessionId) {
  const at = sessionOf(sessionId)?.revert?.messageId ?? "";
  const given = at ? promptText(sessionId, at) : "";
  const ok = !!(await act(Kind.HISTORY_ACTION_KIND_REDO, sessionId));
  if (ok && given && composerOf(sessionId)?.value === given) putInComposer(sessionId, "");
  return ok;
}

/** Undoes everything from one of the person's messages on. @param {string} sessionId @param {string} messageId */
export async function undoTo(sessionId, messageId) {
  return giveBackPrompt(await act(Kind.HISTORY_ACTION_KIND_UNDO_TO, sessionId, messageId));
}

/**
 * A new session with the turns up to this message's, opened in a tab next to this one.
 * @param {string} sessionId @param {string} messageId
 */
export async function forkFrom(sessionId, messageId) {
  // The core pushed the new tab, shown in this window, before it replied (see tabIntent).
  const reply = await act(Kind.HISTORY_ACTION_KIND_FORK, sessionId, messageId);
  const id = activeSessionId.value;
  if (reply?.workspace && id && !transcriptOf(id).loaded.value) await loadTranscript(id);
  return !!reply?.workspace;
}

/** Summarises the session with its tab's model; the compaction shows as a divider. @param {string} sessionId */
export async function compact(sessionId) {
  return !!(await act(Kind.HISTORY_ACTION_KIND_COMPACT, sessionId));
}

/** Copies a text to the clipboard; false where the page may not. @param {string} text */
async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (err) {
    if (err instanceof DOMException || err instanceof TypeError) return false;
    throw err;
  }
}

/** The last share link this window put on the clipboard (the session bar says so). */
export const lastCopied = signal("");

/** Shares the session; its link goes to the clipboard and shows above the transcript. @param {string} sessionId */
export async function share(sessionId) {
  const reply = await act(Kind.HISTORY_ACTION_KIND_SHARE, sessionId);
  const url = reply?.session?.shareUrl ?? "";
  if (url && await copy(url)) lastCopied.value = url;
  return !!url;
}

/** Stops sharing the session. @param {string} sessionId */
export async function unshare(sessionId) {
  return !!(await act(Kind.HISTORY_ACTION_KIND_UNSHARE, sessionId));
}

/** The Markdown of a session as this window holds it (what is undone left out). @param {string} sessionId */
export function markdownOf(sessionId) {
  const revert = sessionOf(sessionId)?.revert?.messageId ?? "";
  const messages = transcriptOf(sessionId).messages.value
    .filter((m) => !revert || m.id < revert)
    .map((m) => ({
      info: m.info.value,
      parts: m.parts.value.map((p) => ({ ...p.info.value, text: p.text.value })),
    }));
  return sessionMarkdown({
    title: titleOf(sessionId),
    messages,
    directory: sessionDirectory(sessionId),
    exportedAt: new Date(),
  });
}

/**
 * Downloads the session as `<title>.md`, the whole of it: the older pages this window has not
 * loaded yet are read first.
 * @param {string} sessionId
 */
export async function exportMarkdown(sessionId) {
  if (!sessionId) return false;
  while (await loadOlder(sessionId));
  const blob = new Blob([markdownOf(sessionId)], { type: "text/markdown;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = markdownFileName(titleOf(sessionId));
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return true;
}

/**
 * The files a session changed (what is undone left out), from the core.
 * @param {string} sessionId @returns {Promise<ipc.FileDiff.$Properties[] | null>}
 */
export async function readChanges(sessionId) {
  const reply = await call({ getSessionDiff: { sessionId } });
  return reply?.sessionDiff ? reply.sessionDiff.files ?? [] : null;
}
