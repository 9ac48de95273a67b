// @ts-check
/** A tool call: name, status and title. */
import { html } from "../../lib/html.js";

/** @param {{ part: import("../../state/store.js").PartModel }} props */
export function ToolPart({ part }) {
  const info = part.info.value;
  const st = info.state ?? {};
  return html`<div class="part tool" data-part-id=${part.id} data-status=${st.status}>
    <span class="tool-name">${info.tool}</span>
    <span class="tool-status">${st.status}</span>
    ${st.title ? html`<span class="tool-title">${st.title}</span>` : null}
  </div>`;
}
