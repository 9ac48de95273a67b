// @ts-check
/**
 * A text part. The person's own words stay plain text; the model's are markdown, rendered by
 * {@linkcode Markdown} (`ui/lib/markdown_view.js`): tokens re-render only the open block, at most
 * once per frame, and an open block past a size shows as text until it closes, so a huge reply
 * costs the page in proportion to its length, not its square.
 */
import { html } from "../../lib/html.js";
import { messageOf } from "../../state/messages.js";
import { roleOf } from "../../state/words.js";
import { Markdown } from "./markdown.js";

/** @typedef {import("../../state/store.js").PartModel} PartModel */

/** @param {{ part: PartModel }} props */
export function TextPart({ part }) {
  if (part.info.value.synthetic) return null;
  if (roleOf(messageOf(part)?.info.value) === "user") {
    return html`<div class="part text plain" data-part-id=${part.id}>${part.text}</div>`;
  }
  return html`
    <div class="part text" data-part-id=${part.id}>
      <${Markdown} part=${part} />
    </div>
  `;
}
