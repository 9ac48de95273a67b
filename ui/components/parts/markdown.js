// @ts-check
/** A part's text as markdown, for the model's text and its reasoning. */
import { effect } from "@preact/signals";
import { useLayoutEffect, useRef } from "preact/hooks";
import { html } from "../../lib/html.js";
import { MarkdownView } from "../../lib/markdown_view.js";
import { partDone } from "../../state/messages.js";

/** @typedef {import("../../state/store.js").PartModel} PartModel */

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
