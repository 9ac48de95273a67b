// @ts-check
/**
 * The session list as far as the core read it, and the history's search. The core decides the
 * page sizes and says how far the list reaches (`SessionListState`): the history lists the root
 * sessions updated at or after `until` and asks for more at its end. A search goes to the core,
 * which asks the server, so it finds sessions not loaded yet.
 */
import { signal } from "@preact/signals";

/** @typedef {import("../../proto/envelope.js").ipc.Session.$Properties} Session */
/** @typedef {import("../../proto/envelope.js").ipc.SessionListState.$Properties} ListState */

/** How far the held list reaches: `until` 0 is the whole list. @type {import("@preact/signals").Signal<ListState>} */
export const listState = signal({ until: 0, more: false });
/** A longer page is being read. */
export const loadingMore = signal(false);
/**
 * The server's matches for the search text, or null when not searching (or not answered yet).
 * @type {import("@preact/signals").Signal<{ query: string, sessions: Session[], more: boolean } | null>}
 */
export const matches = signal(null);
/** A search is on its way (the history says "Searching…"). */
export const searching = signal(false);

/** Why the last request for the list failed, for the history to say; "" when it did not. */
export const listError = signal("");

/** @type {import("../lib/connection.js").Connection | null} */
let conn = null;

/** Called once by ui/main.js with the app's connection. @param {import("../lib/connection.js").Connection} c */
export function useSessionListConnection(c) {
  conn = c;
}

/**
 * Sends a request of the list; a failure is said in the history and answered with null.
 * @param {import("../../proto/envelope.js").ipc.ClientMessage.$Properties} frame
 */
async function call(frame) {
  try {
    if (!conn) throw new Error("Cannot read the session list: not connected yet");
    const reply = await conn.request(frame);
    listError.value = "";
    return reply;
  } catch (err) {
    listError.value = err instanceof Error ? err.message : String(err);
    return null;
  }
}

/** Pause after the last keystroke before the search goes out. */
const SEARCH_DEBOUNCE_MS = 200;

/** Takes what the core sent about the list's reach. @param {ListState | null | undefined} s */
export function setListState(s) {
  listState.value = { until: s?.until ?? 0, more: !!s?.more };
  listError.value = ""; // a fresh word from the core: what failed before is past
}

/** Whether a root session falls in the held range (older ones are listed once loaded). @param {Session} s */
export function inRange(s) {
  return (s.timeUpdated ?? 0) >= (listState.value.until ?? 0);
}

/** Asks the core for older sessions (the person reached the end of the list). */
export async function loadMoreSessions() {
  if (loadingMore.peek() || !listState.peek().more) return;
  loadingMore.value = true;
  try {
    await call({ loadMoreSessions: {} });
  } finally {
    loadingMore.value = false;
  }
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;
let asked = "";

/** Searches the server's list for `text` after a short pause; empty text ends the search. @param {string} text */
export function searchSessions(text) {
  const q = text.trim();
  clearTimeout(timer);
  asked = q;
  if (!q) {
    matches.value = null;
    searching.value = false;
    return;
  }
  searching.value = true;
  timer = setTimeout(async () => {
    const reply = await call({ searchSessions: { query: q } });
    if (asked !== q) return; // the person typed on meanwhile
    searching.value = false;
    const m = reply?.sessionMatches;
    matches.value = m ? { query: q, sessions: m.sessions ?? [], more: !!m.more } : null;
  }, SEARCH_DEBOUNCE_MS);
}

/** Searches again for the same text (after a reconnect, or when sessions changed). */
export function searchAgain() {
  if (asked) searchSessions(asked);
}
