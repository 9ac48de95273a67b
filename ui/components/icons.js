// @ts-check
/** Small icons drawn with the text colour (CSS sets the stroke); hidden from assistive tech. */
import { html } from "../lib/html.js";

/** The ✕ of close, remove and dismiss buttons. @param {{ size?: number }} props */
export function CloseIcon({ size = 12 }) {
  return html`
    <svg viewBox="0 0 16 16" width=${size} height=${size} aria-hidden="true">
      <path d="M4 4l8 8M12 4l-8 8" />
    </svg>
  `;
}
