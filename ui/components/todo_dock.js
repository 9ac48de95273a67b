// @ts-check
/**
 * The agent's todo list. Docked above the message box of the tab on screen: a compact checklist
 * with its progress ("3/7"), live as the agent updates it, folding to one line on request. In the
 * transcript, a `todowrite` call shows the list as the agent wrote it at that point. Item text
 * comes from the model: rendered as text only.
 */
import { useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { parseObject } from "../lib/json.js";
import { activeSessionId } from "../state/store.js";
import { progressOf, todosOf } from "../state/history_store.js";
import { toolStatusOf } from "../state/words.js";

/** @typedef {import("../../proto/envelope.js").ipc.Todo.$Properties} Todo */

/** @type {Record<string, { mark: string, word: string }>} */
const MARKS = {
  completed: { mark: "✓", word: "done" },
  in_progress: { mark: "◐", word: "in progress" },
  cancelled: { mark: "✕", word: "cancelled" },
  pending: { mark: "○", word: "to do" },
};

/** @param {{ todos: Todo[], label: string }} props */
export function TodoChecklist({ todos, label }) {
  return html`
    <ul class="todo-list" aria-label=${label}>
      ${todos.map((t, i) => {
        const m = MARKS[t.status ?? ""] ?? MARKS.pending;
        return html`
          <li key=${i} class="todo" data-status=${t.status || "pending"}
            data-priority=${t.priority || null}>
            <span class="todo-mark" aria-hidden="true">${m.mark}</span>
            <span class="todo-text">${t.content}</span>
            <span class="visually-hidden">(${m.word})</span>
          </li>
        `;
      })}
    </ul>
  `;
}

/** "3/7" with its meaning for assistive technology. @param {{ todos: Todo[] }} props */
function Progress({ todos }) {
  const { done, total } = progressOf(todos);
  return html`
    <span class="todo-progress">
      <span aria-hidden="true">${done}/${total}</span>
      <span class="visually-hidden">${done} of ${total} done</span>
    </span>
  `;
}

/** The todo list of the tab on screen, above the message box; nothing while there is none. */
export function TodoDock() {
  const id = activeSessionId.value;
  const todos = id ? todosOf(id).value : [];
  const [folded, setFolded] = useState(false);
  if (!todos.length) return null;
  const current = todos.find((t) => t.status === "in_progress");
  return html`
    <section class="todo-dock" aria-label="Agent's todo list" data-folded=${folded ? "true" : null}>
      <button type="button" class="todo-dock-head" aria-expanded=${folded ? "false" : "true"}
        aria-controls="todo-dock-list" onClick=${() => setFolded(!folded)}>
        <span class="todo-dock-title">Todo</span>
        <${Progress} todos=${todos} />
        ${folded && current
          ? html`<span class="todo-dock-current">${current.content}</span>`
          : null}
      </button>
      <div id="todo-dock-list" hidden=${folded}>
        <${TodoChecklist} todos=${todos} label="Todo items" />
      </div>
    </section>
  `;
}

/** @param {unknown} v @returns {Todo[]} */
function todosIn(v) {
  if (!Array.isArray(v)) return [];
  return v.filter((t) => t && typeof t === "object").map((t) => ({
    content: typeof t.content === "string" ? t.content : "",
    status: typeof t.status === "string" ? t.status : "",
    priority: typeof t.priority === "string" ? t.priority : "",
  }));
}

/**
 * A `todowrite` call in the transcript: the list as it was written, with its progress.
 * @param {{ part: import("../state/store.js").PartModel }} props
 */
export function TodoWritePart({ part }) {
  const info = part.info.value;
  const st = info.state ?? {};
  const todos = todosIn(parseObject(st.inputJson ?? "").todos);
  const status = toolStatusOf(st);
  return html`
    <div class="part todo-write" data-part-id=${part.id} data-status=${status}
      data-tool="todowrite" role="group" aria-label="Todo list update">
      <div class="todo-write-head">
        <span class="todo-dock-title">Todo</span>
        ${todos.length ? html`<${Progress} todos=${todos} />` : null}
        ${status === "error" ? html`<span class="tool-status">Error</span>` : null}
      </div>
      ${todos.length ? html`<${TodoChecklist} todos=${todos} label="Todo items written" />` : null}
    </div>
  `;
}
