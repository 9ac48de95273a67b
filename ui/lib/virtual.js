// @ts-check
/**
 * A windowed list inside a scroll container: only the rows near the viewport are in the DOM, two
 * spacers stand in for the rest. Rows have variable heights: each rendered row is measured (on
 * render, then with a ResizeObserver) and remembered by key; a row never measured counts at its
 * estimated height.
 *
 * It also owns where the view sits. It follows the end of the list (new rows, a row growing as
 * tokens arrive) until the person scrolls away from the end. Otherwise it keeps the first visible
 * row still while heights change above it (measured rows replacing estimates, rows entering the
 * window): done here, not left to CSS scroll anchoring, which WebKit lacks. While the person
 * scrolls, the correction goes into the top spacer instead of scrollTop (writing scrollTop would
 * cut a smooth scroll short); it is settled into scrollTop once scrolling stops.
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
/** Scrolling counts as over this long after the last scroll event. */
const SCROLL_IDLE_MS = 160;

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
 *   onNearTop?: () => void,
 *   overscan?: number,
 *   windowFrom?: number,
 *   children?: import("preact").ComponentChildren,
 * }} VirtualListProps
 */

/**
 * `toKey` brings a row into view (rendered at the next paint); false when there is no such row.
 * @typedef {{ toEnd: () => void, following: () => boolean, toKey: (key: string) => boolean }} VirtualControl
 */

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
  /** @type {Map<string, number>} the caller's estimate by key, as first computed */
  estimates = new Map();
  /** Sums over measured rows, of their estimates and of their heights: estimates are scaled. */
  estimatedSum = 0;
  measuredSum = 0;
  /** The scale the offsets were computed with. */
  appliedScale = 1;
  /** @type {Float64Array} offsets[i] = top of row i; offsets[n] = the whole height */
  offsets = new Float64Array(1);
  /** @type {string[]} */
  keys = [];
  /** @type {unknown[] | null} the items `keys` belong to */
  items = null;
  /** @type {string[]} the keys `offsets` were computed for */
  offsetKeys = [];
  dirty = true;
  start = 0;
  end = 0;
  /** Pixels the top spacer is taller than the rows it stands for (corrections while scrolling). */
  shift = 0;
  following = true;
  /** Pixels beyond the viewport that must stay rendered (half the overscan). */
  margin = 0;
  /** scrollTop after the last scroll event or the last move made here */
  lastTop = 0;
  chained = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} pending end of a scroll */
  scrolling = undefined;
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
  /** @type {HTMLElement | null} */
  above = null;
  /** @type {HTMLElement | null} */
  below = null;
  /** @type {ResizeObserver | null} */
  ro = null;
  /** @type {(following: boolean) => void} */
  onFollowChange = () => {};
  /** Called when the view is within a screen of the top (the caller loads older rows). */
  onNearTop = () => {};
  /** @type {() => void} */
  force = () => {};

  /** Tells the caller when the view comes within a screen of the top. */
  nearTop() {
    const el = this.scroller;
    if (el && this.keys.length && el.scrollTop < el.clientHeight) this.onNearTop();
  }

  /** Top of the viewport in list coordinates. @param {HTMLElement} el */
  viewTop(el) {
    return el.scrollTop - (this.list?.offsetTop ?? 0);
  }

  /** Sets the spacers' heights for the current window and shift. */
  applySpacers() {
    if (!this.above || !this.below) return;
    const n = this.keys.length;
    this.above.style.height = `${Math.max(0, this.offsets[this.start] + this.shift)}px`;
    this.below.style.height = `${this.offsets[n] - this.offsets[Math.min(this.end, n)]}px`;
  }

  /** @param {boolean} on */
  setFollowing(on) {
    if (this.following === on) return;
    this.following = on;
    this.onFollowChange(on);
  }

  /**
   * Moves scrollTop by `delta` (a move made here, not by the person): the anchor and the last
   * known position move with it.
   * @param {HTMLElement} el @param {number} delta
   */
  moveTop(el, delta) {
    const before = el.scrollTop;
    el.scrollTop = before + delta;
    const moved = el.scrollTop - before;
    if (this.anchor) this.anchor.scrollTop += moved;
    this.lastTop += moved;
  }

  /** Folds the top spacer's correction into scrollTop; the content stays where it is on screen. */
  unshift() {
    const el = this.scroller;
    if (!el || !this.shift) return;
    const shift = this.shift;
    this.shift = 0;
    this.applySpacers();
    this.moveTop(el, -shift);
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

  /**
   * Moves the content by `delta` pixels relative to the viewport: through scrollTop when nobody
   * scrolls, else through the top spacer (as far as it goes).
   * @param {HTMLElement} el @param {number} delta
   */
  shiftView(el, delta) {
    if (this.scrolling !== undefined && this.start > 0) {
      const room = Math.max(0, this.offsets[this.start] + this.shift); // spacers stay >= 0
      const applied = Math.max(-room, delta);
      // A bounded correction: a larger one is a write after all (and never a gap to cross).
      if (Math.abs(this.shift + applied) <= el.clientHeight) {
        this.shift += applied;
        this.applySpacers();
        delta -= applied;
      }
    }
    if (Math.abs(delta) >= 1) this.moveTop(el, -delta);
  }

  /** Puts the view back: at the end when following, else the anchor row where it was. */
  settle() {
    const el = this.scroller;
    if (!el) return;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < END_SLACK_PX;
    // The person scrolled up and the scroll event is not in yet: stop following now.
    if (this.following && !atEnd && el.scrollTop < this.lastTop - 2) this.setFollowing(false);
    if (this.following) {
      if (this.shift) {
        this.shift = 0;
        this.applySpacers();
      }
      el.scrollTop = el.scrollHeight;
      this.lastTop = el.scrollTop;
    } else if (this.anchor) {
      // A scroll made since the anchor was saved (its event not in yet) counts too.
      const moved = el.scrollTop - this.anchor.scrollTop;
      const row = this.els.get(this.anchor.key);
      // How far the anchor row drifted from where it should be, in the viewport.
      const drift = row ? row.offsetTop - el.scrollTop - (this.anchor.top - moved) : 0;
      if (Math.abs(drift) >= 1) this.shiftView(el, -drift);
    }
    this.lastTop = el.scrollTop;
    this.saveAnchor();
  }

  /** Scrolling stopped: the top spacer goes back to what its rows measure, scrollTop takes it. */
  scrolled() {
    this.scrolling = undefined;
    this.unshift();
    // Estimates are rescaled only now (see layout()): render with them.
    if (this.scale() !== this.appliedScale) {
      this.dirty = true;
      this.force();
    } else this.cover();
  }

  /**
   * Whether the rendered rows cover the viewport and `margin` pixels either side: rows enter the
   * window before they come into view, so they are filled in (and measured) out of sight.
   */
  covered() {
    const el = this.scroller;
    const n = this.keys.length;
    if (!el || this.end - this.start >= n) return true;
    const first = this.els.get(this.keys[this.start]);
    const last = this.els.get(this.keys[this.end - 1]);
    if (!first || !last) return false;
    const top = this.viewTop(el) - this.margin;
    const bottom = this.viewTop(el) + el.clientHeight + this.margin;
    if (this.start > 0 && first.offsetTop > top) return false;
    return this.end >= n || last.offsetTop + last.offsetHeight >= bottom;
  }

  /** Renders again when the rows do not cover the viewport (a bounded number of times a frame). */
  cover() {
    if (this.covered() || this.chained >= MAX_CHAINED_RENDERS) return;
    if (this.chained++ === 0) requestAnimationFrame(() => this.chained = 0);
    this.force();
  }

  /** @param {string} key @param {number} h */
  measured(key, h) {
    const before = this.heights.get(key);
    if (before === h) return;
    if (before === undefined) {
      this.estimatedSum += this.estimates.get(key) ?? h;
      this.measuredSum += h;
    }
    this.heights.set(key, h);
    this.dirty = true;
  }

  /** How much taller rows measure than the caller estimates (0.25 to 4). */
  scale() {
    if (!this.estimatedSum) return 1;
    return Math.min(4, Math.max(0.25, this.measuredSum / this.estimatedSum));
  }

  /** @param {unknown[]} items @param {(item: any) => string} keyOf @param {(item: any) => number} estimate */
  layout(items, keyOf, estimate) {
    if (this.items !== items) {
      this.items = items;
      this.keys = items.map(keyOf);
      this.dirty = true;
    }
    if (!this.dirty) return;
    // The rows above the window may be estimated anew (a better scale): the top spacer keeps
    // its height through `shift`, or the content on screen would jump.
    const anchorKey = this.keys === this.offsetKeys ? "" : this.offsetKeys[this.start] ?? "";
    const topBefore = this.offsets[Math.min(this.start, this.offsets.length - 1)];
    const n = items.length;
    const offsets = new Float64Array(n + 1);
    // Rescaled estimates move everything above the window: not while the person scrolls.
    if (this.scrolling === undefined) this.appliedScale = this.scale();
    const scale = this.appliedScale;
    for (let i = 0; i < n; i++) {
      const key = this.keys[i];
      let h = this.heights.get(key);
      if (h === undefined) {
        let e = this.estimates.get(key);
        if (e === undefined) this.estimates.set(key, e = estimate(items[i]));
        h = e * scale;
      }
      offsets[i + 1] = offsets[i] + h;
    }
    this.offsets = offsets;
    this.dirty = false;
    const at = anchorKey ? this.keys.indexOf(anchorKey) : this.start;
    if (at >= 0 && at < n && !this.following) this.shift -= offsets[at] - topBefore;
    this.offsetKeys = this.keys;
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
  st.onNearTop = props.onNearTop ?? (() => {});
  st.force = () => force(0);
  st.margin = overscan / 2;
  const listRef = useRef(/** @type {HTMLDivElement | null} */ (null));
  const aboveRef = useRef(/** @type {HTMLDivElement | null} */ (null));
  const belowRef = useRef(/** @type {HTMLDivElement | null} */ (null));

  st.layout(items, keyOf, estimate);
  const n = items.length;
  const total = st.offsets[n];

  // The window: the rows that meet the viewport, and `overscan` pixels more either side.
  let start = 0;
  let end = n;
  if (n > windowFrom) {
    const el = scroller.current;
    const height = el?.clientHeight || globalThis.innerHeight || 800;
    const top = st.following || !el ? total - height : st.viewTop(el) - st.shift;
    start = rowAt(st.offsets, Math.max(0, top - overscan));
    end = rowAt(st.offsets, Math.max(0, top + height + overscan)) + 1;
  }
  // The top spacer cannot be shorter than nothing: what does not fit is corrected by scrollTop
  // (the anchor drifts by it, and settle() moves the view).
  if (st.offsets[start] + st.shift < 0) st.shift = -st.offsets[start];
  st.start = start;
  st.end = end;

  // Once: measure rows as they change, follow scrolling.
  useLayoutEffect(() => {
    const el = scroller.current;
    const list = listRef.current;
    if (!el || !list) return;
    st.scroller = el;
    st.list = list;
    st.above = aboveRef.current;
    st.below = belowRef.current;
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
      clearTimeout(st.scrolling);
      st.scrolling = setTimeout(() => st.scrolled(), SCROLL_IDLE_MS);
      // Only a move up leaves the end: when the view is below the end after a move down, what
      // is below it grew since (this event was queued before the rows grew).
      const top = el.scrollTop;
      if (el.scrollHeight - top - el.clientHeight < END_SLACK_PX) st.setFollowing(true);
      else if (top < st.lastTop - 1) st.setFollowing(false);
      // Rows may have grown since the last look (their ResizeObserver report not in yet): settle
      // from the saved anchor plus this move, not from the layout as it is now.
      st.settle();
      st.cover();
      st.nearTop();
    };
    el.addEventListener("scroll", onScroll, { passive: true });
    // Home and End jump at once: a smooth scroll across thousands of rows would be cut short by
    // the first correction of a row measured on the way.
    /** @param {KeyboardEvent} e */
    const onKey = (e) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (e.key !== "Home" && e.key !== "End") return;
      const t = /** @type {HTMLElement} */ (e.target);
      if (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
      e.preventDefault();
      if (e.key === "End") return toEnd();
      st.setFollowing(false);
      st.moveTop(el, -el.scrollTop);
      st.force();
    };
    el.addEventListener("keydown", onKey);
    const toEnd = () => {
      st.setFollowing(true);
      el.scrollTop = el.scrollHeight;
      st.force();
    };
    /** @param {string} key */
    const toKey = (key) => {
      const i = st.keys.indexOf(key);
      if (i < 0) return false;
      st.setFollowing(false);
      const top = (st.list?.offsetTop ?? 0) + st.offsets[i] - el.clientHeight / 3;
      st.moveTop(el, Math.max(0, top) - el.scrollTop);
      st.force();
      return true;
    };
    if (props.control) {
      props.control.current = { toEnd, following: () => st.following, toKey };
    }
    return () => {
      ro.disconnect();
      clearTimeout(st.scrolling);
      el.removeEventListener("scroll", onScroll);
      el.removeEventListener("keydown", onKey);
      st.els.clear();
      st.ro = null;
    };
  }, []);

  // After every render: observe new rows, forget gone ones, put the view back in place.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list || !st.ro) return;
    st.applySpacers();
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
    // A correction kept in the top spacer goes to scrollTop when nobody scrolls, and at the
    // first row, where it would show as a gap above it.
    if (st.scrolling === undefined || st.start === 0) st.unshift();
    st.settle();
    st.cover();
    st.nearTop();
  });

  const rows = [];
  for (let i = start; i < end; i++) {
    const key = st.keys[i];
    rows.push(html`<div class="v-row" key=${key} data-key=${key}>${render(items[i], i, n)}</div>`);
  }
  // The spacers' heights are set in the layout effect (and while scrolling), never by props.
  return html`
    <div class="v-list" ref=${listRef}>
      <div class="v-spacer" aria-hidden="true" ref=${aboveRef}></div>
      ${rows}
      <div class="v-spacer" aria-hidden="true" ref=${belowRef}></div>
      ${props.children}
    </div>
  `;
}
