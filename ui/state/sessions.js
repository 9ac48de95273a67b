// @ts-check
/**
 * What the UI says about a session: its title as a person reads it, whether it works, and whether
 * it waits for the person, derived from the store through the look-ups in indexes.js.
 */
import { ipc } from "../../proto/envelope.js";
import { permissions, questions, unseen } from "./store.js";
import { pendingOf, sessionOf } from "./indexes.js";

/**
 * The server names new sessions "New session - <ISO time>" until its title agent renames them;
 * they read as "Untitled" (which also keeps "New session" the name of the one button that makes
 * one).
 */
const PLACEHOLDER = /^New session - \d{4}-\d{2}-\d{2}T/;

/** A session's title as a person should read it. @param {{ title?: string | null } | undefined} s */
export function displayTitle(s) {
  const t = (s?.title ?? "").trim();
  return !t || PLACEHOLDER.test(t) ? "Untitled" : t;
}

/** The title of a session by id ("Untitled" when unknown). @param {string} id */
export function titleOf(id) {
  return displayTitle(sessionOf(id));
}

/** The status of a session as a word: "idle" | "busy" | "retry". @param {string} id */
export function statusOf(id) {
  switch (sessionOf(id)?.status?.type) {
    case ipc.SessionStatusType.SESSION_STATUS_TYPE_BUSY:
      return "busy";
    case ipc.SessionStatusType.SESSION_STATUS_TYPE_RETRY:
      return "retry";
    default:
      return "idle";
  }
}

/** Whether a session waits for the person (a permission or a question). @param {string} id */
export function needsAttention(id) {
  const p = pendingOf(id);
  return p.permissions.length > 0 || p.questions.length > 0;
}

/** The marker of a session's tab. @param {string} id @returns {"attention" | "busy" | "done" | ""} */
export function markerOf(id) {
  if (needsAttention(id)) return "attention";
  if (statusOf(id) !== "idle") return "busy";
  if (unseen.value.has(id)) return "done";
  return "";
}

/** Each marker in words (for assistive technology and the tooltip). */
export const MARKER_TEXT = { attention: "needs you", busy: "working", done: "done", "": "" };

/** OpenCode ids sort by time after their prefix (per_…, que_…). @param {string} id */
const timeKey = (id) => id.slice(id.indexOf("_") + 1);

/** Pending requests of every session, oldest first. */
export function pendingOldestFirst() {
  /** @type {{ id: string, sessionId: string }[]} */
  const all = [...permissions.value, ...questions.value].map((r) => ({
    id: r.id ?? "",
    sessionId: r.sessionId ?? "",
  }));
  return all.sort((a, b) => (timeKey(a.id) < timeKey(b.id) ? -1 : 1));
}
