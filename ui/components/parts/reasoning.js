// @ts-check
/** The model's reasoning: open while it streams. */
import { html } from "../../lib/html.js";

/** @param {{ part: import("../../state/store.js").PartModel }} props */
export function ReasoningPart({ part }) {
  const info = part.info.value;
  return html`
    <details class="part reasoning" data-part-id=${part.id} open=${!info.timeEnd}>
      <summary>Thinking</summary>
      <div class="text">${part.text}</div>
    </details>
  `;
}
