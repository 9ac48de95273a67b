// @ts-check
/**
 * A growing markdown text kept in step with a container, at a cost per token that does not grow
 * with the text.
 *
 * {@linkcode MarkdownView} splits the text into top-level blocks with marked's lexer. Blocks that
 * can no longer change are frozen: rendered once (code highlighted then), never touched again,
 * and never lexed again. Only the open tail is re-lexed as tokens arrive, and a tail block is
 * re-rendered only when its source changed. When the part ends, one full pass checks the frozen
 * blocks against a whole-text parse and re-renders only the ones that differ.
 *
 * Bounded cost: the view renders at most once per animation frame while the text streams, and an
 * open tail longer than {@linkcode PLAIN_AT} is not rendered again until it closes: what was
 * rendered stays and new characters are appended as text ({@linkcode PlainTail}). Whether it
 * closed is checked with a block-level lex only (no inline parsing), only after a line break
 * arrived (no block ends without one), and at most a fifth of the time. Once it closes, or the
 * text ends, it is rendered once as markdown.
 */
import { lex, newLexer, renderTokens } from "./markdown.js";
import { PlainTail } from "./plain_tail.js";

/** An open tail longer than this (characters) is shown as text until it closes. */
export const PLAIN_AT = 10_000;
/** Between two checks of a plain tail, wait this many times what the last check took. */
const CHECK_GAP = 4;

/**
 * @typedef {{ type: string, raw: string, el: HTMLElement | null, provisional: boolean, defs: number }} Block
 * @typedef {import("marked").Token} Token
 */

/** Whether a tail token may still change as text is appended (only the tail's last blocks can). */
function stillOpen(/** @type {Token[]} */ tokens, /** @type {number} */ i) {
  let after = 0;
  for (let j = i + 1; j < tokens.length; j++) if (tokens[j].type !== "space") after++;
  if (after === 0) return true;
  // "1. a\n\n2" reads as a list and a paragraph, until "2. b" joins the list.
  return tokens[i].type === "list" && after < 2;
}

/**
 * The tail's top-level blocks without inline parsing (a fraction of a full lex's time): how many
 * are final, and where the open ones begin. Tokens that do not cover the tail exactly freeze
 * nothing.
 * @param {string} tail
 */
function blockStructure(tail) {
  const lexer = newLexer();
  const tokens = lexer.blockTokens(tail, []); // inline queue left unprocessed: not needed here
  let covered = 0;
  for (const t of tokens) covered += t.raw.length;
  let freeze = 0;
  let openAt = 0;
  if (covered === tail.length) {
    while (freeze < tokens.length && !stillOpen(tokens, freeze)) {
      openAt += tokens[freeze++].raw.length;
    }
  }
  return { freeze, openAt, open: tokens.slice(freeze).filter((t) => t.type !== "space") };
}

/**
 * Keeps a container's children in step with a growing markdown text. The container must hold
 * nothing else. `renders` counts block renders (also in the container's `data-block-renders`).
 */
export class MarkdownView {
  /** @type {HTMLElement} */
  #root;
  /** @type {Block[]} */
  #blocks = [];
  /** Blocks [0, #frozen) are final; they cover #src[0, #frozenLen). */
  #frozen = 0;
  #frozenLen = 0;
  /** Link definitions from frozen blocks, seeded into each tail lex. */
  /** @type {import("marked").Links} */
  #links = Object.create(null);
  #src = "";
  #done = false;
  /** Where the open blocks' rendered source ends, in #src. */
  #openEnd = 0;
  /** The open tail shown as text, or null while it is rendered as markdown. */
  /** @type {PlainTail | null} */
  #plain = null;
  /** The last check of a plain tail: the tail's length then, when it ended, what it took. */
  #checked = { len: 0, at: 0, ms: 0 };
  /** The text not shown yet, and the animation frame that will show it. */
  /** @type {{ text: string, done: boolean } | null} */
  #next = null;
  #frame = 0;
  renders = 0;

  /** @param {HTMLElement} root */
  constructor(root) {
    this.#root = root;
  }

  /**
   * Shows `text`; `done` once it will not grow any more (code is highlighted, all checked). While
   * it streams, at most once per animation frame: the first call of a frame renders at once,
   * later ones are coalesced into the next frame. The end is shown at once.
   */
  update(/** @type {string} */ text, /** @type {boolean} */ done) {
    this.#next = { text, done };
    if (!this.#frame || done) this.#flush();
  }

  #flush() {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    const next = this.#next;
    if (!next) return;
    this.#next = null;
    this.#show(next.text, next.done);
    if (next.done) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#flush();
    });
  }

  #show(/** @type {string} */ text, /** @type {boolean} */ done) {
    if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
    if (text === this.#src && done === this.#done && this.renders > 0) return;
    if (!text.startsWith(this.#src)) {
      // Replaced, not appended to: start over, or after the frozen blocks if they still stand.
      if (text.startsWith(this.#src.slice(0, this.#frozenLen))) this.#dropOpen();
      else this.#reset();
    }
    if (done) this.#finish(text);
    else this.#stream(text);
    this.#src = text;
    this.#done = done;
    this.#root.dataset.blockRenders = String(this.renders);
  }

  /** Removes everything this view rendered. */
  clear() {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#next = null;
    this.#reset();
    this.#src = "";
  }

  #reset() {
    this.#frozen = 0;
    this.#frozenLen = 0;
    this.#links = Object.create(null);
    this.#dropOpen();
  }

  /** Removes the blocks after the frozen ones (rendered or shown as text). */
  #dropOpen() {
    for (const b of this.#blocks.splice(this.#frozen)) b.el?.remove();
    this.#openEnd = this.#frozenLen;
    this.#plain = null;
  }

  /** Shows the open tail: as markdown while it is short, as text past {@linkcode PLAIN_AT}. */
  #stream(/** @type {string} */ text) {
    let tail = text.slice(this.#frozenLen);
    if (tail.length > PLAIN_AT) {
      if (this.#plain && !this.#checkDue(tail)) return this.#plain.show(tail);
      const started = performance.now();
      const { freeze, openAt, open } = blockStructure(tail);
      const ms = performance.now() - started;
      if (tail.length - openAt > PLAIN_AT) {
        if (freeze > 0) {
          // Blocks closed before a huge open one: render them (final) and go on after them.
          this.#plain = null;
          const end = this.#frozenLen + openAt;
          this.#lexTail(tail.slice(0, openAt), true);
          this.#openEnd = end;
          tail = text.slice(this.#frozenLen);
        }
        this.#checked = { len: tail.length, at: performance.now(), ms };
        this.#plain ??= this.#enterPlain(tail, open);
        return this.#plain.show(tail);
      }
    }
    this.#plain = null;
    this.#lexTail(tail, false);
    this.#openEnd = text.length;
  }

  /** Whether a plain tail should be checked for its end: a line arrived, and it is time. */
  #checkDue(/** @type {string} */ tail) {
    const { len, at, ms } = this.#checked;
    return tail.indexOf("\n", Math.max(0, len - 1)) >= 0 &&
      performance.now() - at >= CHECK_GAP * ms;
  }

  /**
   * Starts showing the open tail as text: after what is rendered of it, or in a fresh block
   * (a code block's frame, or a paragraph) when nothing is.
   * @param {string} tail the open tail (nothing in it is final)
   * @param {Token[]} open its blocks, from a block-level lex
   */
  #enterPlain(tail, open) {
    const rendered = this.#blocks.length > this.#frozen;
    const shown = this.#openEnd - this.#frozenLen;
    if (rendered && shown > 0 && shown <= tail.length) {
      const last = /** @type {Block} */ (this.#blocks.findLast((b) => b.el));
      if (last && this.#blocks.indexOf(last) >= this.#frozen && last.el) {
        last.raw = ""; // never taken for a rendered block again
        const trimmed = tail.slice(0, shown).trimEnd().length; // the text shows no trailing space
        return new PlainTail(last.el, trimmed);
      }
    }
    this.#dropOpen();
    const el = document.createElement("div");
    el.className = "md-block";
    let shown0 = 0;
    const first = open[0];
    if (open.length === 1 && first?.type === "code" && /^ {0,3}(?:`{3}|~{3})/.test(first.raw)) {
      el.append(renderTokens([{ ...first, text: "" }], false).frag);
      shown0 = first.raw.indexOf("\n") + 1; // after the opening fence line
    }
    this.#blocks.push({ type: "plain", raw: "", el, provisional: false, defs: 0 });
    let prev = null;
    for (let j = this.#frozen - 1; j >= 0 && !prev; j--) prev = this.#blocks[j].el;
    this.#root.insertBefore(el, prev ? prev.nextSibling : this.#root.firstChild);
    return new PlainTail(el, shown0);
  }

  /**
   * Re-lexes `tail` (from #frozenLen); freezes the blocks that can no longer change, or all of
   * them when `allFinal` (they are known to be followed by another block).
   * @param {string} tail
   * @param {boolean} allFinal
   */
  #lexTail(tail, allFinal) {
    const lexer = newLexer();
    Object.assign(lexer.tokens.links, this.#links);
    const tokens = lex(lexer, tail);
    let covered = 0;
    for (const t of tokens) covered += t.raw.length;
    // Offsets are only trusted when the tokens cover the tail exactly; otherwise freeze nothing.
    let freeze = 0;
    if (allFinal && covered === tail.length) freeze = tokens.length;
    else if (covered === tail.length) {
      while (freeze < tokens.length && !stillOpen(tokens, freeze)) freeze++;
    }
    const defs = Object.keys(this.#links).length;
    this.#apply(this.#frozen, tokens, (i) => i < freeze, defs);
    for (let i = 0; i < freeze; i++) {
      const t = tokens[i];
      this.#frozenLen += t.raw.length;
      if (t.type === "def") this.#links[t.tag] ??= { href: t.href, title: t.title };
    }
    this.#frozen += freeze;
  }

  /** The text is complete: one whole-text parse; re-render only blocks that differ from it. */
  #finish(/** @type {string} */ text) {
    this.#plain = null;
    const lexer = newLexer();
    const tokens = lex(lexer, text);
    const defs = Object.keys(lexer.tokens.links).length;
    this.#apply(0, tokens, () => true, defs);
    this.#frozen = tokens.length;
    this.#frozenLen = text.length;
    this.#links = lexer.tokens.links;
  }

  /**
   * Makes blocks [from, from + tokens.length) match `tokens`, removing any after them.
   * @param {number} from
   * @param {Token[]} tokens
   * @param {(i: number) => boolean} isFinal
   * @param {number} defs link definitions known to this pass
   */
  #apply(from, tokens, isFinal, defs) {
    /** @type {HTMLElement | null} */
    let prev = null;
    for (let j = from - 1; j >= 0 && !prev; j--) prev = this.#blocks[j].el;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      const final = isFinal(i);
      let b = this.#blocks[from + i];
      const same = b && b.type === t.type && b.raw === t.raw && !(final && b.provisional) &&
        !(b.defs < defs && t.raw.includes("["));
      if (!same) {
        const el = b?.el ?? null;
        b = { type: t.type, raw: t.raw, el, provisional: false, defs };
        this.#blocks[from + i] = b;
        this.#render(b, t, final);
      }
      if (b.el) {
        /** @type {ChildNode | null} */
        const at = prev ? prev.nextSibling : this.#root.firstChild;
        if (at !== b.el) this.#root.insertBefore(b.el, at);
        prev = b.el;
      }
    }
    for (const b of this.#blocks.splice(from + tokens.length)) b.el?.remove();
  }

  #render(/** @type {Block} */ b, /** @type {Token} */ t, /** @type {boolean} */ final) {
    if (t.type === "space" || t.type === "def") {
      b.el?.remove();
      b.el = null;
      return;
    }
    const { frag, provisional } = renderTokens([t], final);
    b.provisional = provisional;
    if (!b.el) {
      b.el = document.createElement("div");
      b.el.className = "md-block";
    }
    b.el.replaceChildren(frag);
    this.renders++;
  }
}
