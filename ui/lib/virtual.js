// @ts-check
/**
 * A windowed list inside a scroll container: only the rows near the viewport are in the DOM, two
 * spacers stand in for the rest. Rows have variable heights: each rendered row is measured (on
 * render, then with a ResizeObserver) and remembered by key; a row never measured counts at its
 * estimated height.
 *
 * It also owns where the view sits. It follows the end of the list (new rows, a row growing as
 * tokens arrive) until the person scrolls away from the end; otherwise it keeps the first visible
 * row still while heights change above it (measured rows replacing estimates, rows entering the
 * window). This is done here, not left to CSS scroll anchoring, which WebKit lacks.
 *
 * Rows are keyed by a stable id: a row that stays in the window keeps its DOM and components. The
 * list re-renders when the window moves; `render` should return a memoized component so the rows
 * themselves do not.
 */
import { useLayoutEffect, useReducer, useRef } from "preact/hooks";
import { html } from "./html.js";

/** Within this many pixels of the end counts as "at the end": the view follows. */
const END_SLACK_PX = 40;
/** Renders in a row that layout passes may ask for before the browser gets to paint. */
const MAX_CHAINED_RENDERS = 8;

/**
 * @template T
 * @typedef {{
 *   items: T[],
 *   keyOf: (item: T) => string,
 *   estimate: (item: T) => number,
 *   render: (item: T, index: number, count: number) => import("preact").ComponentChildren,
 *   scroller: { current: HTMLElement | null },
 *   control?: { current: VirtualControl | null },
 *   onFollowChange?: (following: boolean) => void,
 *   overscan?: number,
 *   windowFrom?: number,
 *   children?: import("preact").ComponentChildren,
 * }} VirtualListProps
 */

/** @typedef {{ toEnd: () => void, following: () => boolean }} VirtualControl */

/** Index of the row that contains `y` (clamped to the rows). @param {Float64Array} offsets @param {number} y */
export function rowAt(offsets, y) {
  const n = offsets.length - 1;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid + 1] <= y) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, Math.max(0, n - 1));
}

/** The mutable state of one list and what it does between renders; lives as long as the list. */
class ListState {
  /** @type {Map<string, number>} measured height by key */
  heights = new Map();
  /** @type {Float64Array} offsets[i] = top of row i; offsets[n] = the whole height */
  offsets = new Float64Array(1);
  /** @type {string[]} */
  keys = [];
  /** @type {unknown[] | null} the items `keys` and `offsets` belong to */
  items = null;
  dirty = true;
  start = 0;
  end = 0;
  following = true;
  /** scrollTop after the last scroll event or the last move made here */
  lastTop = 0;
  chained = 0;
  /**
   * The first visible row, its distance from the top of the viewport, and scrollTop then.
   * @type {{ key: string, top: number, scrollTop: number } | null}
   */
  anchor = null;
  /** @type {Map<string, HTMLElement>} rendered row wrappers by key */
  els = new Map();
  /** @type {HTMLElement | null} */
  scroller = null;
  /** @type {HTMLElement | null} */
  list = null;
  /** @type {ResizeObserver | null} */
  ro = null;
  /** @type {(following: boolean) => void} */
  onFollowChange = () => {};
  /** @type {() => void} */
  force = () => {};

  /** Top of the viewport in list coordinates. @param {HTMLElement} el */
  viewTop(el) {
    return el.scrollTop - (this.list?.offsetTop ?? 0);
  }

  /** @param {boolean} on */
  setFollowing(on) {
    if (this.following === on) return;
    this.following = on;
    this.onFollowChange(on);
  }

  /** Remembers the first visible row and its distance from the top of the viewport. */
  saveAnchor() {
    const el = this.scroller;
    if (!el) return;
    this.anchor = null;
    const top = this.viewTop(el);
    for (let i = this.start; i < this.end; i++) {
      const row = this.els.get(this.keys[i]);
      if (row && row.offsetTop + row.offsetHeight > top) {
        this.anchor = {
          key: this.keys[i],
          top: row.offsetTop - el.scrollTop,
          scrollTop: el.scrollTop,
        };
        return;
      }
    }
  }

  /** Puts the view back: at the end when following, else the anchor row where it was. */
  settle() {
    const el = this.scroller;
    if (!el) return;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < END_SLACK_PX;
    // The person scrolled up and the scroll event is not in yet: stop following now.
    if (this.following && !atEnd && el.scrollTop < this.lastTop - 2) this.setFollowing(false);
    if (this.following) el.scrollTop = el.scrollHeight;
    else if (this.anchor) {
      // A scroll made since the anchor was saved (its event not in yet) counts too.
      const moved = el.scrollTop - this.anchor.scrollTop;
      const row = this.els.get(this.anchor.key);
      const want = row ? row.offsetTop - this.anchor.top + moved : el.scrollTop;
      if (Math.abs(el.scrollTop - want) >= 1) el.scrollTop = want;
    }
    this.lastTop = el.scrollTop;
    this.saveAnchor();
  }

  /** Whether the rendered rows cover the viewport. */
  covered() {
    const el = this.scroller;
    const n = this.keys.length;
    if (!el || this.end - this.start >= n) return true;
    const first = this.els.get(this.keys[this.start]);
    const last = this.els.get(this.keys[this.end - 1]);
    if (!first || !last) return false;
    const top = this.viewTop(el);
    if (this.start > 0 && first.offsetTop > top) return false;
    return this.end >= n || last.offsetTop + last.offsetHeight >= top + el.clientHeight;
  }

  /** Renders again when the rows do not cover the viewport (a bounded number of times a frame). */
  cover() {
    if (this.covered() || this.chained >= MAX_CHAINED_RENDERS) return;
    if (this.chained++ === 0) requestAnimationFrame(() => this.chained = 0);
    this.force();
  }

  /** @param {string} key @param {number} h */
  measured(key, h) {
    if (this.heights.get(key) === h) return;
    this.heights.set(key, h);
    this.dirty = true;
  }
}

/**
 * A windowed, keyed list (see the module comment). Render it inside `scroller`, the element that
 * scrolls; `children` come after the rows. Lists of `windowFrom` rows or fewer render whole.
 * @template T
 * @param {VirtualListProps<T>} props
 */
export function VirtualList(props) {
  const { items, keyOf, estimate, render, scroller } = props;
  const overscan = props.overscan ?? 900;
  const windowFrom = props.windowFrom ?? 60;
  const [, force] = useReducer((/** @type {number} */ n) => n + 1, 0);
  const stRef = useRef(/** @type {ListState | null} */ (null));
  const st = stRef.current ??= new ListState();
  st.onFollowChange = props.onFollowChange ?? (() => {});
  st.force = () => force(0);
  const listRef = useRef(/** @type {HTMLDivElement | null} */ (null));

  const n = items.length;
  if (st.items !== items) {
    st.items = items;
    st.keys = items.map(keyOf);
    st.dirty = true;
  }
  if (st.dirty) {
    const offsets = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      offsets[i + 1] = offsets[i] + (st.heights.get(st.keys[i]) ?? estimate(items[i]));
    }
    st.offsets = offsets;
    st.dirty = false;
  }
  const total = st.offsets[n];

  // The window: the rows that meet the viewport, and `overscan` pixels more either side.
  let start = 0;
  let end = n;
  if (n > windowFrom) {
    const el = scroller.current;
    const height = el?.clientHeight || globalThis.innerHeight || 800;
    const top = st.following || !el ? total - height : st.viewTop(el);
    start = rowAt(st.offsets, Math.max(0, top - overscan));
    end = rowAt(st.offsets, Math.max(0, top + height + overscan)) + 1;
  }
  st.start = start;
  st.end = end;

  // Once: measure rows as they change, follow scrolling.
  useLayoutEffect(() => {
    const el = scroller.current;
    const list = listRef.current;
    if (!el || !list) return;
    st.scroller = el;
    st.list = list;
    const ro = new ResizeObserver((entries) => {
      for (const e of entries) {
        const row = /** @type {HTMLElement} */ (e.target);
        const key = row.dataset.key;
        // The list itself (its height changed) or a row already gone.
        if (key === undefined || st.els.get(key) !== row) continue;
        st.measured(key, e.borderBoxSize?.[0]?.blockSize ?? row.getBoundingClientRect().height);
      }
      st.settle();
      st.cover();
    });
    ro.observe(list);
    st.ro = ro;
    const onScroll = () => {
      // Only a move up leaves the end: when the view is below the end after a move down, what
      // is below it grew since (this event was queued before the rows grew).
      const top = el.scrollTop;
      if (el.scrollHeight - top - el.clientHeight < END_SLACK_PX) st.setFollowing(true);
      else if (top < st.lastTop - 1) st.setFollowing(false);
      st.lastTop = top;
      st.saveAnchor();
      st.cover();
    };
    el.addEventListener("scroll", onScroll, { passive: true });
    if (props.control) {
      props.control.current = {
        toEnd() {
          st.setFollowing(true);
          el.scrollTop = el.scrollHeight;
          st.force();
        },
        following: () => st.following,
      };
    }
    return () => {
      ro.disconnect();
      el.removeEventListener("scroll", onScroll);
      st.els.clear();
      st.ro = null;
    };
  }, []);

  // After every render: observe new rows, forget gone ones, put the view back in place.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list || !st.ro) return;
    const seen = new Set();
    for (const child of list.children) {
      const row = /** @type {HTMLElement} */ (child);
      const key = row.dataset.key;
      if (key === undefined) continue;
      seen.add(key);
      if (st.els.get(key) !== row) {
        st.els.set(key, row);
        st.ro.observe(row);
      }
      // Measured now rather than at the next observation: the next window uses real sizes.
      st.measured(key, row.getBoundingClientRect().height);
    }
    for (const [key, row] of st.els) {
      if (seen.has(key)) continue;
      st.ro.unobserve(row);
      st.els.delete(key);
    }
    st.settle();
    st.cover();
  });

  const rows = [];
  for (let i = start; i < end; i++) {
    const key = st.keys[i];
    rows.push(html`<div class="v-row" key=${key} data-key=${key}>${render(items[i], i, n)}</div>`);
  }
  return html`
    <div class="v-list" ref=${listRef}>
      <div class="v-spacer" aria-hidden="true" style=${{ height: `${st.offsets[start]}px` }}></div>
      ${rows}
      <div class="v-spacer" aria-hidden="true" style=${{
        height: `${total - st.offsets[end]}px`,
      }}></div>
      ${props.children}
    </div>
  `;
}
