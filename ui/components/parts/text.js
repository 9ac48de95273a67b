// @ts-check
/**
 * A text part. The person's own words stay plain text; the model's are markdown, rendered by
 * {@linkcode MarkdownView}: tokens re-render only the open block, at most once per frame, and an
 * open block past a size shows as text until it closes, so a huge reply costs the page in
 * proportion to its length, not its square.
 */
import { effect } from "@preact/signals";
import { useLayoutEffect, useRef } from "preact/hooks";
import { html } from "../../lib/html.js";
import { MarkdownView } from "../../lib/markdown_view.js";
import { transcriptOf } from "../../state/store.js";
import { roleOf } from "../../state/words.js";

/** @typedef {import("../../state/store.js").PartModel} PartModel */

/** The message a part belongs to, if the store has it. @param {PartModel} part */
export function messageOf(part) {
  const info = part.info.peek();
  return transcriptOf(info.sessionId ?? "").messageIndex.get(info.messageId ?? "");
}

/** Whether a part will not grow any more: it ended, or its message did. @param {PartModel} part */
export function partDone(part) {
  return !!part.info.value.timeEnd || !!messageOf(part)?.info.value.timeCompleted;
}

/**
 * A container kept in step with a part's text as markdown. Renders once; the text and the part's
 * end are read inside an `effect`, which patches the DOM without re-rendering this component.
 * @param {{ part: PartModel, class?: string }} props
 */
export function Markdown({ part, class: cls = "" }) {
  const ref = useRef(/** @type {HTMLDivElement | null} */ (null));
  // Before the browser paints and before the windowed list measures the row: a row never shows
  // (or is measured) empty for a frame, and is complete once it is in the DOM.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const view = new MarkdownView(el);
    const stop = effect(() => view.update(part.text.value, partDone(part)));
    return () => {
      stop();
      view.clear();
    };
  }, [part]);
  return html`<div class="markdown ${cls}" ref=${ref}></div>`;
}

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
