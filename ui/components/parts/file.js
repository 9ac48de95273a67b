// @ts-check
/**
 * An attached file (e.g. a pasted image). An inline image shows as a thumbnail that opens full
 * size in a dialog; anything else, or an image that is not inline data, is its name only (the
 * page never fetches a URL that came from a message).
 */
import { useRef } from "preact/hooks";
import { html } from "../../lib/html.js";
import { CloseIcon } from "../icons.js";
import { isInlineImage } from "../../lib/attach.js";

/** @param {{ part: import("../../state/store.js").PartModel }} props */
export function FilePart({ part }) {
  const info = part.info.value;
  const name = info.filename || info.mime || "file";
  const dialog = useRef(/** @type {HTMLDialogElement | null} */ (null));
  if (!isInlineImage(info.mime ?? "", info.url ?? "")) {
    return html`<div class="part file" data-part-id=${part.id}>📎 ${name}</div>`;
  }
  return html`
    <figure class="part file image" data-part-id=${part.id}>
      <button type="button" class="image-thumb" aria-label=${`View ${name}`}
        onClick=${() => dialog.current?.showModal()}>
        <img src=${info.url} alt=${name} loading="lazy" decoding="async" />
      </button>
      <figcaption>${name}</figcaption>
      <dialog class="image-view" ref=${dialog} aria-label=${name}
        onKeyDown=${(/** @type {KeyboardEvent} */ e) => e.stopPropagation()}
        onClick=${(/** @type {MouseEvent} */ e) => {
          if (e.target === e.currentTarget) dialog.current?.close();
        }}>
        <img src=${info.url} alt=${name} />
        <button type="button" class="icon-button" aria-label="Close"
          onClick=${() => dialog.current?.close()}>
          <${CloseIcon} />
        </button>
      </dialog>
    </figure>
  `;
}
