// @ts-check
/**
 * Find in session (Ctrl/Cmd+F while a transcript is on screen): the core searches the whole
 * session, pages this window has not loaded included; the bar says "3 of 17", Enter and
 * Shift+Enter move between hits, and each hit is brought into view (its page loaded first) and
 * highlighted.
 */
import { signal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { html } from "../lib/html.js";
import { call } from "../state/actions.js";
import { loadOlder } from "../state/pages.js";
import { transcriptOf } from "../state/store.js";

/** @typedef {import("../../proto/envelope.js").ipc.FindHit.$Properties} Hit */

/** Pause after the last key before the core searches. */
const TYPE_PAUSE_MS = 200;
const HIGHLIGHT = "find-hit";

/** The bar's state: one bar, for the transcript on screen. */
export const findOpen = signal(false);
const query = signal("");
const hits = signal(/** @type {Hit[]} */ ([]));
const truncated = signal(false);
const current = signal(-1);
const searching = signal(false);

/**
 * The n-th occurrence of `q` in an element's text, as a Range (case-insensitive).
 * @param {Element} el @param {string} q @param {number} n
 */
export function rangeOf(el, q, n) {
  const needle = q.toLowerCase();
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  /** @type {{ node: Text, start: number }[]} */
  const nodes = [];
  let text = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push({ node: /** @type {Text} */ (node), start: text.length });
    text += node.nodeValue ?? "";
  }
  const lower = text.toLowerCase();
  let at = lower.indexOf(needle);
  for (let i = 0; i < n && at >= 0; i++) at = lower.indexOf(needle, at + needle.length);
  if (at < 0) at = lower.indexOf(needle); // markdown rendered fewer: the first will do
  if (at < 0) return null;
  /** @param {number} offset */
  const point = (offset) => {
    let i = nodes.length - 1;
    while (i > 0 && nodes[i].start > offset) i--;
    return { node: nodes[i].node, offset: offset - nodes[i].start };
  };
  const range = document.createRange();
  const a = point(at);
  const b = point(at + needle.length);
  range.setStart(a.node, a.offset);
  range.setEnd(b.node, b.offset);
  return range;
}

/** Waits up to ~1 s of frames for an element. @param {string} selector */
async function element(selector) {
  for (let i = 0; i < 60; i++) {
    const el = document.querySelector(selector);
    if (el) return el;
    await new Promise((r) => requestAnimationFrame(r));
  }
  return null;
}

/** Marks the hit on screen; the Highlight API where there is one, else the part's outline. */
function mark(/** @type {Element} */ part, /** @type {Range | null} */ range) {
  document.querySelectorAll("[data-find-hit]").forEach((e) => e.removeAttribute("data-find-hit"));
  part.setAttribute("data-find-hit", "");
  const registry = /** @type {any} */ (globalThis.CSS)?.highlights;
  const Highlight = /** @type {any} */ (globalThis).Highlight;
  if (registry && Highlight && range) registry.set(HIGHLIGHT, new Highlight(range));
}

function unmark() {
  document.querySelectorAll("[data-find-hit]").forEach((e) => e.removeAttribute("data-find-hit"));
  /** @type {any} */ (globalThis.CSS)?.highlights?.delete(HIGHLIGHT);
}

/**
 * @param {{ sessionId: string, reveal: (messageId: string) => boolean }} props
 */
export function FindBar({ sessionId, reveal }) {
  const input = useRef(/** @type {HTMLInputElement | null} */ (null));
  const timer = useRef(/** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined));

  useEffect(() => {
    /** @param {KeyboardEvent} e */
    const onKey = (e) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "f") {
        e.preventDefault();
        findOpen.value = true;
        requestAnimationFrame(() => input.current?.select());
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  useEffect(() => close, [sessionId]);

  /** @param {number} i */
  const go = async (i) => {
    const list = hits.peek();
    if (!list.length) return;
    const n = (i + list.length) % list.length;
    current.value = n;
    const hit = list[n];
    const t = transcriptOf(sessionId);
    if (!t.messageIndex.has(hit.messageId ?? "")) await loadOlder(sessionId, hit.messageId ?? "");
    if (current.peek() !== n || !reveal(hit.messageId ?? "")) return;
    const part = await element(`[role="log"] [data-part-id="${hit.partId}"]`);
    if (!part || current.peek() !== n) return;
    const range = rangeOf(part, query.peek(), hit.occurrence ?? 0);
    mark(part, range);
    const target = range?.getBoundingClientRect().height ? range : part;
    // A range has no scrollIntoView: its start node's element does.
    const el = target === part ? part : range?.startContainer.parentElement ?? part;
    el.scrollIntoView({ block: "center" });
  };

  const search = async () => {
    const q = query.peek();
    if (!q.trim()) {
      hits.value = [];
      current.value = -1;
      unmark();
      return;
    }
    searching.value = true;
    const reply = await call({ findInSession: { sessionId, query: q } });
    searching.value = false;
    if (query.peek() !== q || !reply?.findResult) return;
    hits.value = reply.findResult.hits ?? [];
    truncated.value = !!reply.findResult.truncated;
    current.value = -1;
    if (hits.peek().length) await go(hits.peek().length - 1); // the newest hit first
    else unmark();
  };

  function close() {
    findOpen.value = false;
    query.value = "";
    hits.value = [];
    current.value = -1;
    unmark();
  }

  if (!findOpen.value) return null;
  const count = hits.value.length;
  const status = !query.value.trim()
    ? ""
    : searching.value && !count
    ? "Searching…"
    : count
    ? `${current.value + 1} of ${count}${truncated.value ? "+" : ""}`
    : "No matches";
  return html`
    <div class="find-bar" role="search">
      <input ref=${input} type="search" aria-label="Find in session" placeholder="Find in session"
        value=${query.value} onInput=${(/** @type {InputEvent} */ e) => {
          query.value = /** @type {HTMLInputElement} */ (e.currentTarget).value;
          clearTimeout(timer.current);
          timer.current = setTimeout(search, TYPE_PAUSE_MS);
        }} onKeyDown=${(/** @type {KeyboardEvent} */ e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            close();
          } else if (e.key === "Enter") {
            e.preventDefault();
            go(current.peek() + (e.shiftKey ? -1 : 1));
          }
        }} />
      <span class="find-count" role="status">${status}</span>
      <button type="button" aria-label="Previous match" disabled=${!count}
        onClick=${() => go(current.peek() - 1)}>↑</button>
      <button type="button" aria-label="Next match" disabled=${!count}
        onClick=${() => go(current.peek() + 1)}>↓</button>
      <button type="button" aria-label="Close find" onClick=${close}>×</button>
    </div>
  `;
}
