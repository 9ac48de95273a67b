// @ts-check
/** A text part. The text signal sits in text position: a token patches one text node. */
import { html } from "../../lib/html.js";

/** @param {{ part: import("../../state/store.js").PartModel }} props */
export function TextPart({ part }) {
  if (part.info.value.synthetic) return null;
  return html`<div class="part text" data-part-id=${part.id}>${part.text}</div>`;
}
