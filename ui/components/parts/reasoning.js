// @ts-check
/**
 * The model's reasoning: a "Thinking" disclosure, open while it streams and closed once it ends
 * or the reply finishes, unless the person opened or closed it themselves.
 */
import { useState } from "preact/hooks";
import { html } from "../../lib/html.js";
import { partDone } from "../../state/messages.js";
import { Markdown } from "./markdown.js";

/** "2.4 s", "12 s". @param {number} ms */
function seconds(ms) {
  const s = Math.max(0, ms) / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

/** @param {{ part: import("../../state/store.js").PartModel }} props */
export function ReasoningPart({ part }) {
  const info = part.info.value;
  const done = partDone(part);
  const [choice, setChoice] = useState(/** @type {boolean | null} */ (null));
  const open = choice ?? !done;
  /** @param {Event} e */
  const onToggle = (e) => {
    // Setting `open` ourselves fires "toggle" too; only a change we did not make is a choice.
    const el = /** @type {HTMLDetailsElement} */ (e.currentTarget);
    if (el.open !== open) setChoice(el.open);
  };
  const took = done && info.timeStart && info.timeEnd ? seconds(info.timeEnd - info.timeStart) : "";
  return html`
    <details class="part reasoning" data-part-id=${part.id} data-done=${done ? "true" : "false"}
      open=${open} onToggle=${onToggle}>
      <summary>Thinking${took
        ? html`<span class="reasoning-time"> · ${took}</span>`
        : done
        ? null
        : html`<span class="reasoning-live" aria-hidden="true">…</span>`}</summary>
      <${Markdown} part=${part} class="reasoning-text" />
    </details>
  `;
}
