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

/**
 * How far each project's held list reaches, by directory: `until` 0 is the whole list.
 * @type {import("@preact/signals").Signal<Map<string, ListState>>}
 */
export const listStates = signal(new Map());

/** How far the list of project `dir` reaches (nothing read yet: no range). @param {string} dir */
export function listStateOf(dir) {
  return listStates.value.get(dir) ?? { until: 0, more: false };
}
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

/** Takes what the core sent about one project's list reach. @param {ListState | null | undefined} s */
export function setListState(s) {
  if (!s) return;
  const next = new Map(listStates.peek());
  next.set(s.directory ?? "", { until: s.until ?? 0, more: !!s.more, directory: s.directory });
  listStates.value = next;
  listError.value = ""; // a fresh word from the core: what failed before is past
}

/** Takes every project's list reach from a snapshot. @param {ListState[] | null | undefined} all */
export function setListStates(all) {
  listStates.value = new Map(
    (all ?? []).map((s) => [s.directory ?? "", { until: s.until ?? 0, more: !!s.more }]),
  );
  listError.value = "";
}

/**
 * Whether a root session falls in the held range of project `dir` (older ones are listed once
 * loaded). @param {Session} s @param {string} dir
 */
export function inRange(s, dir) {
  return (s.timeUpdated ?? 0) >= (listStateOf(dir).until ?? 0);
}

/** Asks the core for older sessions of project `dir` (the person reached the end of the list). @param {string} dir */
export async function loadMoreSessions(dir) {
  if (loadingMore.peek() || !listStates.peek().get(dir)?.more) return;
  loadingMore.value = true;
  try {
    await call({ loadMoreSessions: { directory: dir } });
  } finally {
    loadingMore.value = false;
  }
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;
let asked = "";
let askedIn = "";

/**
 * Searches the server's list of project `dir` for `text` after a short pause; empty text ends
 * the search. @param {string} text @param {string} [dir]
 */
export function searchSessions(text, dir = askedIn) {
  const q = text.trim();
  clearTimeout(timer);
  asked = q;
  askedIn = dir;
  if (!q) {
    matches.value = null;
    searching.value = false;
    return;
  }
  searching.value = true;
  timer = setTimeout(async () => {
    const reply = await call({ searchSessions: { query: q, directory: dir } });
    if (asked !== q || askedIn !== dir) return; // the person typed on (or switched) meanwhile
    searching.value = false;
    const m = reply?.sessionMatches;
    matches.value = m ? { query: q, sessions: m.sessions ?? [], more: !!m.more } : null;
  }, SEARCH_DEBOUNCE_MS);
}

/** Searches again for the same text (after a reconnect, or when sessions changed). */
export function searchAgain() {
  if (asked) searchSessions(asked);
}
