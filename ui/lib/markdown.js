// @ts-check
/**
 * Markdown from the model, rendered safely: lexing, rendering and sanitizing, for whole texts and
 * for the blocks of a streaming one ({@linkcode MarkdownView} in `markdown_view.js`).
 *
 * Safety: model output is untrusted. Raw HTML in it is shown as text, links keep only absolute
 * http(s)/mailto targets, images become links (or inline `data:` rasters), and every block's HTML
 * goes through DOMPurify with a small allowlist before it reaches the DOM.
 *
 * Cost: in proportion to the text's length. Code past {@linkcode MAX_HIGHLIGHT} characters is
 * not highlighted, and long inline text is parsed in pieces ({@linkcode INLINE_PIECE}).
 */
import { Lexer, Parser, Renderer } from "marked";
import DOMPurify from "dompurify";
import hljs from "highlight.js";

/** Code longer than this is shown without highlighting (highlight.js is linear but not free). */
const MAX_HIGHLIGHT = 100_000;
/**
 * Inline text longer than this is parsed in pieces cut at a space: marked's inline parsing can
 * take time in the square of a paragraph's length (seconds for a 300 KB one), pieces bound it.
 * An emphasis, code span or link across a cut shows as its plain characters.
 */
const INLINE_PIECE = 4_000;
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

/** A lexer with this module's options; `lexer.tokens.links` gathers link definitions. */
export function newLexer() {
  return new Lexer(OPTIONS);
}

/**
 * `lexer.lex(src)` with the inline parsing of long texts done in {@linkcode INLINE_PIECE}s: the
 * cost stays in proportion to the length. Cuts depend only on the text before them, so they do
 * not move as a streamed paragraph grows.
 * @param {Lexer} lexer
 * @param {string} src
 */
export function lex(lexer, src) {
  lexer.blockTokens(src, lexer.tokens);
  for (const { src: inline, tokens } of lexer.inlineQueue) {
    lexer.state.inRawBlock = false;
    for (let at = 0; at < inline.length;) {
      let end = Math.min(inline.length, at + INLINE_PIECE);
      if (end < inline.length) {
        const space = inline.lastIndexOf(" ", end - 1);
        if (space > at) end = space + 1;
      }
      lexer.inlineTokens(inline.slice(at, end), tokens);
      at = end;
    }
  }
  lexer.inlineQueue = [];
  return lexer.tokens;
}

/**
 * Sanitized, decorated DOM for tokens. Code is highlighted only when `highlight`; `provisional`
 * says some was left plain for that reason (render it again once final).
 * @param {import("marked").Token[]} tokens
 * @param {boolean} highlight
 */
export function renderTokens(tokens, highlight) {
  pass.highlight = highlight;
  pass.provisional = false;
  const frag = sanitize(parser.parse(tokens).trim());
  decorate(frag);
  return { frag, provisional: pass.provisional };
}

/** Sanitized, decorated DOM for a whole markdown text (no streaming). @param {string} text */
export function renderMarkdown(text) {
  return renderTokens(lex(newLexer(), text), true).frag;
}
