// @ts-check
/**
 * Images waiting in the composer: a row of thumbnails, each with its name, size and a remove
 * button, and the Attach button that opens the system's file picker.
 */
import { useRef } from "preact/hooks";
import { html } from "../lib/html.js";
import { CloseIcon } from "./icons.js";
import { formatBytes } from "../lib/attach.js";

/**
 * @param {{
 *   items: import("../lib/attach.js").Attachment[],
 *   warning: string,
 *   onRemove: (id: string) => void,
 * }} props
 */
export function AttachmentTray({ items, warning, onRemove }) {
  return html`
    <div class="attachments">
      <ul class="attachment-list" aria-label="Attached images">
        ${items.map((a) =>
          html`
            <li class="attachment" key=${a.id} title=${`${a.filename} (${formatBytes(a.size)})`}>
              <img src=${a.url} alt=${a.filename} />
              <span class="attachment-name">${a.filename}</span>
              <button type="button" class="attachment-remove" aria-label=${`Remove ${a.filename}`}
                onClick=${() => onRemove(a.id)}>
                <${CloseIcon} size=${10} />
              </button>
            </li>
          `
        )}
      </ul>
      ${warning ? html`<p class="attachment-warning" role="status">${warning}</p>` : null}
    </div>
  `;
}

/** @param {{ onFiles: (files: File[]) => void }} props */
export function AttachButton({ onFiles }) {
  const input = useRef(/** @type {HTMLInputElement | null} */ (null));
  return html`
    <button type="button" class="picker-button attach" aria-label="Attach images"
      title="Attach images (or paste, or drop them here)" onClick=${() => input.current?.click()}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <path d="M10.5 4.5l-5 5a1.5 1.5 0 002 2l5.5-5.5a3 3 0 00-4-4L3.5 7.5a4.5 4.5 0 006 6l4-4" />
      </svg>
    </button>
    <input type="file" ref=${input} accept="image/png,image/jpeg,image/gif,image/webp" multiple
      hidden onChange=${(/** @type {Event} */ e) => {
        const el = /** @type {HTMLInputElement} */ (e.currentTarget);
        const files = [...(el.files ?? [])];
        el.value = ""; // the same file can be picked again
        if (files.length) onFiles(files);
      }} />
  `;
}
