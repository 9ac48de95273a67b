// @ts-check
/**
 * The open end of a huge markdown block, shown as plain text until the block closes.
 *
 * Re-rendering a block costs time in proportion to its length, so a block that keeps growing
 * (a 300 KB paragraph, a long code block) would cost quadratic work if rendered on every token.
 * Past a size, `MarkdownView` (markdown_view.js) keeps what it rendered of the block and appends
 * only the new characters, as Text nodes: the cost per token is the token's length, whatever the
 * block's.
 * Nothing here parses HTML: model output only ever reaches the DOM as text.
 */

/** A line that may close a fenced code block; held back so it never shows inside the code. */
const FENCE_AT_END = /\n {0,3}(?:`{3,}|~{3,})[^\n]*\n?$/;

/** Elements whose last child may hold the text that follows: the block's innermost open leaf. */
const CONTAINERS = /^(?:P|UL|OL|LI|BLOCKQUOTE|H[1-6])$/;

/**
 * The element new text goes into: the code element of a code block, else the block's innermost
 * last paragraph, list item or heading, else a new paragraph at its end.
 * @param {HTMLElement} el
 */
function hostOf(el) {
  const code = el.querySelector(":scope > .md-code code");
  if (code) return /** @type {HTMLElement} */ (code);
  /** @type {Element} */
  let host = el;
  for (let c = host.lastElementChild; c && CONTAINERS.test(c.tagName); c = c.lastElementChild) {
    host = c;
  }
  if (host === el || /^(?:UL|OL|BLOCKQUOTE)$/.test(host.tagName)) {
    const p = document.createElement("p");
    host.append(p);
    host = p;
  }
  return /** @type {HTMLElement} */ (host);
}

/**
 * Appends a growing block's source to its element as text. Offsets are in the caller's text
 * (the open tail of the markdown): `shown` is where the text shown so far ends.
 */
export class PlainTail {
  /** @type {HTMLElement} */
  #host;
  #code;
  shown;

  /**
   * @param {HTMLElement} el the block's element, holding its markdown rendered so far
   * @param {number} shown where the source already shown in `el` ends
   */
  constructor(el, shown) {
    this.#host = hostOf(el);
    this.#host.classList.add("md-plain");
    this.#code = this.#host.tagName === "CODE";
    this.shown = shown;
  }

  /**
   * Appends `tail[shown, end)`; a code block's closing fence line is held back.
   * @param {string} tail
   */
  show(tail) {
    let end = tail.length;
    if (this.#code) {
      const m = FENCE_AT_END.exec(tail.slice(-200));
      if (m) end -= m[0].length;
    }
    if (end <= this.shown) return;
    this.#host.append(tail.slice(this.shown, end));
    this.shown = end;
  }
}
