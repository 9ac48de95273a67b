// @ts-check
/** An attached file (e.g. a pasted image). */
import { html } from "../../lib/html.js";

/** @param {{ part: import("../../state/store.js").PartModel }} props */
export function FilePart({ part }) {
  const info = part.info.value;
  return html`<div class="part file" data-part-id=${part.id}>📎 ${
    info.filename || info.mime
  }</div>`;
}
