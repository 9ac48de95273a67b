// @ts-check
/**
 * Markdown from the model, rendered safely and incrementally.
 *
 * Safety: model output is untrusted. Raw HTML in it is shown as text, links keep only absolute
 * http(s)/mailto targets, images become links (or inline `data:` rasters), and every block's HTML
 * goes through DOMPurify with a small allowlist before it reaches the DOM.
 *
 * Streaming: {@linkcode MarkdownView} splits the text into top-level blocks with marked's lexer.
 * Blocks that can no longer change are frozen: rendered once (code highlighted then), never
 * touched again, and never lexed again. Only the open tail is re-lexed as tokens arrive, and a tail
 * block is re-rendered only when its source changed. When the part ends, one full pass checks
 * the frozen blocks against a whole-text parse and re-renders only the ones that differ.
 */
import { Lexer, Parser, Renderer } from "marked";
import DOMPurify from "dompurify";
import hljs from "highlight.js";

/** Code longer than this is shown without highlighting (highlight.js is linear but not free). */
const MAX_HIGHLIGHT = 100_000;
const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp);base64,[a-z0-9+/=\s]+$/i;
const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

const ALLOWED_TAGS = [
  "a",
  "blockquote",
  "br",
  "code",
  "del",
  "em",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "img",
  "li",
  "ol",
  "p",
  "pre",
  "span",
  "strong",
  "table",
  "tbody",
  "td",
  "th",
  "thead",
  "tr",
  "ul",
];
const ALLOWED_ATTR = ["href", "title", "alt", "src", "class", "start", "align"];

/** @param {string} s */
function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The link target to use, or null when it is not an absolute http(s) or mailto URL. The URL
 * parser strips tabs and newlines first, so `jav&#9;ascript:` is caught as `javascript:`.
 * @param {string} href
 * @returns {string | null}
 */
export function safeHref(href) {
  let url;
  try {
    url = new URL(href);
  } catch (err) {
    if (err instanceof TypeError) return null; // relative or malformed: nothing to open
    throw err;
  }
  return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
}

/** Render-time switches, set around each block's parse (parsing is synchronous). */
const pass = { highlight: true, provisional: false };

class SafeRenderer extends Renderer {
  /**
   * Raw HTML from the model is shown as what it is: text.
   * @override
   * @param {import("marked").Tokens.HTML | import("marked").Tokens.Tag} token
   */
  html(token) {
    const text = escapeHtml(token.text);
    return "block" in token && token.block ? `<p class="md-raw">${text.trimEnd()}</p>\n` : text;
  }

  /** @override @param {import("marked").Tokens.Code} token */
  code({ text, lang }) {
    const language = ((lang ?? "").match(/^[\w+#.-]{1,32}/) ?? [""])[0];
    const code = text.replace(/\n$/, "");
    const known = !!language && !!hljs.getLanguage(language) && code.length <= MAX_HIGHLIGHT;
    let body;
    if (known && pass.highlight) {
      body = hljs.highlight(code, { language, ignoreIllegals: true }).value;
    } else {
      body = escapeHtml(code);
      if (known) pass.provisional = true; // highlighted once the block is complete
    }
    const cls = language ? `hljs language-${language}` : "hljs";
    return `<pre><code class="${cls}">${body}</code></pre>\n`;
  }

  /** @override @param {import("marked").Tokens.Link} token */
  link({ href, title, tokens }) {
    const inner = this.parser.parseInline(tokens);
    const safe = safeHref(href);
    if (!safe) return `<span class="md-link-inert" title="${escapeHtml(href)}">${inner}</span>`;
    const t = title ? ` title="${escapeHtml(title)}"` : "";
    return `<a href="${escapeHtml(safe)}"${t}>${inner}</a>`;
  }

  /** Remote images are never loaded: they become links. @override @param {import("marked").Tokens.Image} token */
  image({ href, text, tokens }) {
    const alt = tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text;
    if (SAFE_DATA_IMAGE.test(href)) {
      return `<img src="${escapeHtml(href)}" alt="${escapeHtml(alt)}">`;
    }
    const label = `Image: ${escapeHtml(alt || "untitled")}`;
    const safe = safeHref(href);
    return safe && !safe.startsWith("mailto:")
      ? `<a href="${escapeHtml(safe)}" class="md-image-link">${label}</a>`
      : `<span class="md-link-inert" title="${escapeHtml(href)}">${label}</span>`;
  }

  /** @override @param {import("marked").Tokens.Checkbox} token */
  checkbox({ checked }) {
    return `<span class="md-task" title="${checked ? "done" : "to do"}">${
      checked ? "☑" : "☐"
    }</span> `;
  }
}

const OPTIONS = { gfm: true, breaks: false, renderer: new SafeRenderer() };
const parser = new Parser(OPTIONS);

/** @type {import("dompurify").DOMPurify | null} */
let purifier = null;

/** Sanitizes HTML into a fragment of this document. @param {string} html */
export function sanitize(html) {
  if (!purifier) {
    purifier = DOMPurify(window);
    purifier.addHook("afterSanitizeAttributes", (node) => {
      if (node.nodeName === "A") {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
      }
    });
  }
  return purifier.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    // Checked against this pattern: every allowed attribute not listed as URI-safe below.
    ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
    ADD_URI_SAFE_ATTR: ["align", "start"],
    RETURN_DOM_FRAGMENT: true,
  });
}

/** Copies a code block's text, with a visible (and announced) confirmation. */
async function copyCode(/** @type {HTMLElement} */ pre, /** @type {HTMLElement} */ note) {
  let copied = false;
  try {
    // Absent outside a secure context; refused without permission.
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(pre.textContent ?? "");
      copied = true;
    }
  } catch (err) {
    if (!(err instanceof DOMException)) throw err;
  }
  if (!copied) getSelection()?.selectAllChildren(pre); // then Ctrl+C does it
  note.textContent = copied ? "Copied" : "Selected: press Ctrl+C";
  note.hidden = false;
  clearTimeout(Number(note.dataset.timer));
  note.dataset.timer = String(setTimeout(() => (note.hidden = true), 2000));
}

/** Wraps each code block with its language label and a Copy button. @param {DocumentFragment} frag */
function decorate(frag) {
  for (const pre of frag.querySelectorAll("pre")) {
    const wrap = document.createElement("div");
    wrap.className = "md-code";
    const head = document.createElement("div");
    head.className = "md-code-head";
    const label = document.createElement("span");
    label.className = "md-code-lang";
    const lang = /\blanguage-([\w+#.-]+)/.exec(pre.firstElementChild?.className ?? "");
    label.textContent = lang ? lang[1] : "text";
    const note = document.createElement("span");
    note.className = "md-copied";
    note.setAttribute("role", "status");
    note.hidden = true;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-copy";
    button.setAttribute("aria-label", "Copy code");
    button.textContent = "Copy";
    button.addEventListener("click", () => copyCode(pre, note));
    head.append(label, note, button);
    pre.replaceWith(wrap);
    wrap.append(head, pre);
  }
}

/** Sanitized, decorated DOM for a whole markdown text (no streaming). @param {string} text */
export function renderMarkdown(text) {
  pass.highlight = true;
  const frag = sanitize(parser.parse(Lexer.lex(text, OPTIONS)).trim());
  decorate(frag);
  return frag;
}

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
  renders = 0;

  /** @param {HTMLElement} root */
  constructor(root) {
    this.#root = root;
  }

  /** Shows `text`; `done` once it will not grow any more (code is highlighted, all checked). */
  update(/** @type {string} */ text, /** @type {boolean} */ done) {
    if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
    if (text === this.#src && done === this.#done && this.renders > 0) return;
    if (!text.startsWith(this.#src) && !text.startsWith(this.#src.slice(0, this.#frozenLen))) {
      this.#reset(); // replaced, not appended to: start over
    }
    if (done) this.#finish(text);
    else this.#stream(text);
    this.#src = text;
    this.#done = done;
    this.#root.dataset.blockRenders = String(this.renders);
  }

  /** Removes everything this view rendered. */
  clear() {
    this.#reset();
    this.#src = "";
  }

  #reset() {
    for (const b of this.#blocks) b.el?.remove();
    this.#blocks = [];
    this.#frozen = 0;
    this.#frozenLen = 0;
    this.#links = Object.create(null);
  }

  /** Re-lexes the open tail only; freezes the blocks that can no longer change. */
  #stream(/** @type {string} */ text) {
    const tail = text.slice(this.#frozenLen);
    const lexer = new Lexer(OPTIONS);
    Object.assign(lexer.tokens.links, this.#links);
    const tokens = lexer.lex(tail);
    let covered = 0;
    for (const t of tokens) covered += t.raw.length;
    // Offsets are only trusted when the tokens cover the tail exactly; otherwise freeze nothing.
    let freeze = 0;
    if (covered === tail.length) {
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
    const lexer = new Lexer(OPTIONS);
    const tokens = lexer.lex(text);
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
    pass.highlight = final;
    pass.provisional = false;
    const frag = sanitize(parser.parse([t]).trim());
    decorate(frag);
    b.provisional = pass.provisional;
    if (!b.el) {
      b.el = document.createElement("div");
      b.el.className = "md-block";
    }
    b.el.replaceChildren(frag);
    this.renders++;
  }
}
