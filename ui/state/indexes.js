// @ts-check
/**
 * Look-ups by id over the store's lists, each a computed Map rebuilt once when its list changes,
 * so a row asks for its own session, tab or requests without scanning every list per render.
 */
import { computed } from "@preact/signals";
import { permissions, questions, sessions, workspace } from "./store.js";

/**
 * @typedef {import("../../proto/envelope.js").ipc.Session.$Properties} Session
 * @typedef {import("../../proto/envelope.js").ipc.Tab.$Properties} Tab
 * @typedef {import("../../proto/envelope.js").ipc.Permission.$Properties} Permission
 * @typedef {import("../../proto/envelope.js").ipc.Question.$Properties} Question
 * @typedef {{ permissions: Permission[], questions: Question[] }} Pending
 */

/** Every session of the project by id. */
export const sessionById = computed(() => new Map(sessions.value.map((s) => [s.id ?? "", s])));

/** The open tabs by session id. */
export const tabById = computed(() =>
  new Map((workspace.value.tabs ?? []).map((t) => [t.sessionId ?? "", t]))
);

/** The requests waiting for the person, by session id, in the order they came. */
export const pendingBySession = computed(() => {
  /** @type {Map<string, Pending>} */
  const map = new Map();
  /** @param {string} id */
  const of = (id) => {
    let p = map.get(id);
    if (!p) map.set(id, p = { permissions: [], questions: [] });
    return p;
  };
  for (const p of permissions.value) of(p.sessionId ?? "").permissions.push(p);
  for (const q of questions.value) of(q.sessionId ?? "").questions.push(q);
  return map;
});

/** @type {Pending} */
const NONE = { permissions: [], questions: [] };

/** A session by id, if the list has it. @param {string} id @returns {Session | undefined} */
export function sessionOf(id) {
  return sessionById.value.get(id);
}

/** A tab by its session id, if one is open. @param {string} id @returns {Tab | undefined} */
export function tabOf(id) {
  return tabById.value.get(id);
}

/** Whether a session is open in a tab. @param {string} id */
export function isTab(id) {
  return !!id && tabById.value.has(id);
}

/** The permissions and questions a session waits on. @param {string} id @returns {Pending} */
export function pendingOf(id) {
  return pendingBySession.value.get(id) ?? NONE;
}
