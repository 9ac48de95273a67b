// @ts-check
/**
 * Older pages of a transcript: the window holds the newest messages of a session and asks the
 * core for the page before them as the person scrolls up (or jumps to a find hit further back).
 */
import { prependOlder, transcriptOf } from "./store.js";
import { call } from "./actions.js";

/** Requests in flight, one per session. @type {Map<string, Promise<boolean>>} */
const pending = new Map();

/**
 * Loads the page before the oldest message this window holds; with `until`, every page back to
 * that message. Resolves false when there was nothing older (or the request failed).
 * @param {string} sessionId @param {string} [until]
 * @returns {Promise<boolean>}
 */
export function loadOlder(sessionId, until = "") {
  const running = pending.get(sessionId);
  if (running) return until ? running.then(() => loadOlder(sessionId, until)) : running;
  const t = transcriptOf(sessionId);
  const before = t.before.peek();
  if (!before || (until && t.messageIndex.has(until))) return Promise.resolve(false);
  const p = call({ loadOlder: { sessionId, before, until } }).then((reply) => {
    if (!reply?.transcript) return false;
    prependOlder(reply.transcript, before);
    return true;
  }).finally(() => pending.delete(sessionId));
  pending.set(sessionId, p);
  return p;
}

/** Whether older messages of the session are being read now. @param {string} sessionId */
export function loadingOlder(sessionId) {
  return pending.has(sessionId);
}
