// @ts-check
/**
 * The tab menu (right-click or Shift+F10 on a tab): Rename, Close, Close others, Delete…. Arrow
 * keys, Home and End move among its items; Escape and Tab close it.
 */
import { signal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { comboLabel } from "../lib/keys.js";
import { focusActiveTab } from "../lib/focus.js";
import { closeOthers, closeTab } from "../state/actions.js";
import { workspace } from "../state/store.js";
import { titleOf } from "../state/sessions.js";
import { askDelete, startRename } from "../state/view.js";

/** The open tab menu, if any: for which tab and where. */
const menu = signal(/** @type {{ id: string, x: number, y: number } | null} */ (null));

/** Opens the menu of a tab at a point of the window. @param {string} id @param {number} x @param {number} y */
export function openTabMenu(id, x, y) {
  menu.value = { id, x, y };
}

/** The right-click menu of a tab, where `openTabMenu` put it. */
export function TabMenu() {
  const m = menu.value;
  const ref = useRef(/** @type {HTMLDivElement | null} */ (null));
  const [pos, setPos] = useState(/** @type {{ left: number, top: number } | null} */ (null));
  useEffect(() => {
    const el = ref.current;
    if (!el || !m) return;
    // Keep the menu inside the window.
    const r = el.getBoundingClientRect();
    setPos({
      left: Math.max(4, Math.min(m.x, innerWidth - r.width - 4)),
      top: Math.max(4, Math.min(m.y, innerHeight - r.height - 4)),
    });
    /** @type {HTMLElement | null} */ (el.querySelector('[role="menuitem"]'))?.focus();
    /** @param {PointerEvent} e */
    const away = (e) => {
      if (!el.contains(/** @type {Node} */ (e.target))) menu.value = null;
    };
    const blur = () => (menu.value = null);
    document.addEventListener("pointerdown", away, true);
    addEventListener("blur", blur);
    return () => {
      document.removeEventListener("pointerdown", away, true);
      removeEventListener("blur", blur);
    };
  }, [m?.id, m?.x, m?.y]);
  if (!m) return null;
  const id = m.id;
  const others = (workspace.value.tabs ?? []).length > 1;
  /** @param {() => unknown} run @param {boolean} [refocus] */
  const act = (run, refocus = true) => () => {
    menu.value = null;
    if (refocus) focusActiveTab();
    run();
  };
  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    const items = /** @type {HTMLElement[]} */ ([
      ...(ref.current?.querySelectorAll('[role="menuitem"]:not([aria-disabled="true"])') ?? []),
    ]);
    const at = items.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    let next = -1;
    if (e.key === "ArrowDown") next = (at + 1) % items.length;
    else if (e.key === "ArrowUp") next = (at - 1 + items.length) % items.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = items.length - 1;
    else if (e.key === "Escape" || e.key === "Tab") {
      e.preventDefault();
      menu.value = null;
      focusActiveTab();
      return;
    } else return;
    e.preventDefault();
    items[next]?.focus();
  };
  const style = pos
    ? { left: `${pos.left}px`, top: `${pos.top}px` }
    : { left: `${m.x}px`, top: `${m.y}px`, visibility: "hidden" };
  return html`
    <div class="menu tab-menu" role="menu" aria-label=${`Tab: ${titleOf(id)}`} ref=${ref}
      style=${style} onKeyDown=${onKeyDown}>
      <button type="button" role="menuitem" tabindex="-1"
        onClick=${act(() => startRename(id), false)}>
        <span>Rename</span><kbd>F2</kbd>
      </button>
      <button type="button" role="menuitem" tabindex="-1" onClick=${act(() => closeTab(id))}>
        <span>Close</span><kbd>${comboLabel("Mod+W")}</kbd>
      </button>
      <button type="button" role="menuitem" tabindex="-1" aria-disabled=${others ? "false" : "true"}
        disabled=${!others} onClick=${act(() => closeOthers(id))}>
        <span>Close others</span>
      </button>
      <div class="menu-separator" role="separator"></div>
      <button type="button" role="menuitem" tabindex="-1" class="danger"
        onClick=${act(() => askDelete(id), false)}>
        <span>Delete…</span>
      </button>
    </div>
  `;
}
