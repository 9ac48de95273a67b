// @ts-check
/**
 * What the UI keeps of a session's history beyond its transcript: the agent's todo list (one
 * signal per session, set from the transcript and from `todos_updated` pushes), and this
 * window's own view state of the Changes dialog. The core decides; this mirrors.
 */
import { signal } from "@preact/signals";

/**
 * @typedef {import("../../proto/envelope.js").ipc.Todo.$Properties} Todo
 * @typedef {import("@preact/signals").Signal<Todo[]>} TodoSignal
 */

/** @type {Map<string, TodoSignal>} */
const todoLists = new Map();

/** The agent's todo list of a session, as a signal. @param {string} sessionId */
export function todosOf(sessionId) {
  let s = todoLists.get(sessionId);
  if (!s) todoLists.set(sessionId, s = signal(/** @type {Todo[]} */ ([])));
  return s;
}

/** @param {string} sessionId @param {Todo[] | null | undefined} todos */
export function setTodos(sessionId, todos) {
  if (sessionId) todosOf(sessionId).value = todos ?? [];
}

/**
 * The Changes dialog of this window: for which session, and for one turn (its user message) or
 * the whole session (`messageId` "").
 */
export const changesShown = signal(
  /** @type {{ sessionId: string, messageId: string } | null} */ (null),
);

/** How many items of a list are done, as the dock and the checklist count them. @param {Todo[]} todos */
export function progressOf(todos) {
  const done = todos.filter((t) => t.status === "completed").length;
  return { done, total: todos.filter((t) => t.status !== "cancelled").length };
}
