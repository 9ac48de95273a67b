// @ts-check
/**
 * The tab strip: one tab per open session (`role="tablist"`), each showing its title and whether
 * it is busy, done, or waiting for the person. Closing a tab never deletes the session.
 *
 * Mouse: click switches, middle-click closes, double-click renames, right-click opens the tab
 * menu (Rename, Close, Close others, Delete…), drag reorders. Keyboard inside the strip (roving
 * tabindex): arrows / Home / End switch, Delete closes, F2 renames, Shift+F10 opens the menu,
 * Ctrl+Shift+Left/Right moves the tab. The window-wide shortcuts are in app.js.
 *
 * A tablist may hold only tabs: each tab's close button is for the mouse and hidden from assistive
 * technology (never focusable); the keyboard closes with Delete, Mod+W or the tab menu.
 */
import { signal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { CloseIcon } from "./icons.js";
import { comboLabel } from "../lib/keys.js";
import { closeTab, moveTab, newSession, openSession, renameSession } from "../state/actions.js";
import {
  activeSessionId,
  needsAttention,
  sessions,
  statusOf,
  unseen,
  workspace,
} from "../state/store.js";
import { askDelete } from "./sidebar.js";

/** The session whose tab shows an inline title editor, if any. */
export const renaming = signal("");
/** The open tab menu, if any: for which tab and where. */
const menu = signal(/** @type {{ id: string, x: number, y: number } | null} */ (null));

/**
 * The server names new sessions "New session - <ISO time>" until its title agent renames them;
 * they read as "Untitled" (which also keeps "New session" the name of the one button that makes
 * one).
 */
const PLACEHOLDER = /^New session - \d{4}-\d{2}-\d{2}T/;

/** A session's title as a person should read it. @param {{ title?: string | null } | undefined} s */
export function displayTitle(s) {
  const t = (s?.title ?? "").trim();
  return !t || PLACEHOLDER.test(t) ? "Untitled" : t;
}

/** @param {string} id */
export function titleOf(id) {
  return displayTitle(sessions.value.find((x) => x.id === id));
}

/** @param {string} id @returns {"attention" | "busy" | "done" | ""} */
export function markerOf(id) {
  if (needsAttention(id)) return "attention";
  if (statusOf(id) !== "idle") return "busy";
  if (unseen.value.has(id)) return "done";
  return "";
}

export const MARKER_TEXT = { attention: "needs you", busy: "working", done: "done", "": "" };

/** The DOM id of a tab, for `aria-labelledby` of the panel. @param {string} id */
export const tabDomId = (id) => `tab-${id}`;

/** Moves keyboard focus to the selected tab once the strip has re-rendered. */
export function focusActiveTab() {
  requestAnimationFrame(() => {
    const el = /** @type {HTMLElement | null} */ (
      document.querySelector('[role="tablist"] [role="tab"][aria-selected="true"]')
    );
    el?.focus();
  });
}

/** Moves keyboard focus to one tab once the strip has re-rendered. @param {string} id */
function focusTab(id) {
  requestAnimationFrame(() => document.getElementById(tabDomId(id))?.focus());
}

/** Opens the inline title editor on a tab (F2, double-click, the tab menu). @param {string} id */
export function startRename(id) {
  if (id) renaming.value = id;
}

/** Closes every tab but one (the sessions stay). @param {string} keep */
async function closeOthers(keep) {
  await openSession(keep);
  for (const t of [...(workspace.value.tabs ?? [])]) {
    if (t.sessionId && t.sessionId !== keep) await closeTab(t.sessionId);
  }
}

/** Moves a tab one place left (-1) or right (+1). @param {string} id @param {number} by */
function moveBy(id, by) {
  const order = (workspace.value.tabs ?? []).map((t) => t.sessionId ?? "");
  const to = order.indexOf(id) + by;
  if (order.includes(id) && to >= 0 && to < order.length) moveTab(id, to);
}

/** @param {{ id: string, title: string }} props */
function TitleEditor({ id, title }) {
  const ref = useRef(/** @type {HTMLInputElement | null} */ (null));
  const done = useRef(false);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  /** @param {boolean} save @param {boolean} [refocus] back to the tab (not after a click away) */
  const finish = async (save, refocus = true) => {
    if (done.current) return;
    done.current = true;
    const value = ref.current?.value.trim() ?? "";
    renaming.value = "";
    if (refocus) focusTab(id);
    if (save && value && value !== title) await renameSession(id, value);
  };
  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    e.stopPropagation();
    if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      finish(true);
    } else if (e.key === "Escape") {
      e.preventDefault();
      finish(false);
    }
  };
  return html`
    <input class="tab-rename" ref=${ref} aria-label="Session title" value=${title}
      maxlength="200" onKeyDown=${onKeyDown} onBlur=${() => finish(true, false)} />
  `;
}

/** The right-click menu of a tab. */
function TabMenu() {
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

/**
 * @param {{
 *   id: string, active: boolean, focusable: boolean, dragging: string,
 *   onDrag: (id: string) => void,
 * }} props
 */
function Tab({ id, active, focusable, dragging, onDrag }) {
  const marker = markerOf(id);
  const title = titleOf(id);
  const editing = renaming.value === id;
  const ref = useRef(/** @type {HTMLDivElement | null} */ (null));
  const [dropSide, setDropSide] = useState("");
  useEffect(() => {
    if (active) ref.current?.scrollIntoView?.({ block: "nearest", inline: "nearest" });
  }, [active]);

  /** @param {MouseEvent} e */
  const onContextMenu = (e) => {
    e.preventDefault();
    menu.value = { id, x: e.clientX, y: e.clientY };
  };
  /** @param {DragEvent} e */
  const onDragOver = (e) => {
    if (!dragging || dragging === id) return;
    e.preventDefault();
    const r = /** @type {HTMLElement} */ (e.currentTarget).getBoundingClientRect();
    setDropSide(e.clientX < r.left + r.width / 2 ? "before" : "after");
  };
  /** @param {DragEvent} e */
  const onDrop = (e) => {
    e.preventDefault();
    const side = dropSide;
    setDropSide("");
    if (!dragging || dragging === id) return;
    // The position among the other tabs, which is what the core counts from.
    const others = (workspace.value.tabs ?? []).map((t) => t.sessionId ?? "")
      .filter((x) => x !== dragging);
    moveTab(dragging, others.indexOf(id) + (side === "after" ? 1 : 0));
  };
  const state = MARKER_TEXT[marker];
  return html`
    <div class="tab" ref=${ref} data-session-id=${id} data-marker=${marker}
      data-drop=${dropSide}
      data-active=${active ? "true" : "false"} data-dragging=${dragging === id ? "true" : "false"}
      draggable=${editing ? "false" : "true"}
      onDragStart=${(/** @type {DragEvent} */ e) => {
        e.dataTransfer?.setData("text/plain", title);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
        onDrag(id);
      }}
      onDragEnd=${() => onDrag("")} onDragOver=${onDragOver}
      onDragLeave=${() => setDropSide("")} onDrop=${onDrop} onContextMenu=${onContextMenu}>
      ${editing ? html`<${TitleEditor} id=${id} title=${title} />` : html`
        <button type="button" role="tab" id=${tabDomId(id)} aria-selected=${active
          ? "true"
          : "false"}
          aria-controls="session-panel" aria-label=${title} aria-keyshortcuts="Delete F2 Shift+F10"
          aria-description=${state || undefined} title=${state ? `${title} (${state})` : title}
          tabindex=${focusable ? 0 : -1}
          onClick=${() => openSession(id)}
          onMouseDown=${(/** @type {MouseEvent} */ e) => {
            if (e.button === 1) e.preventDefault(); // no autoscroll on middle-click
          }}
          onAuxClick=${(/** @type {MouseEvent} */ e) => {
            if (e.button === 1) closeTab(id);
          }}
          onDblClick=${() => startRename(id)}>
          <span class="marker" aria-hidden="true"></span>
          <span class="tab-title">${title}</span>
        </button>
      `}
      <button type="button" class="tab-close" tabindex="-1" aria-hidden="true"
        title=${`Close (${comboLabel("Mod+W")})`} onClick=${() => closeTab(id)}>
        <${CloseIcon} />
      </button>
    </div>
  `;
}

export function Tabs() {
  const tabs = workspace.value.tabs ?? [];
  const active = activeSessionId.value;
  const [dragging, setDragging] = useState("");

  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    if (target.getAttribute("role") !== "tab") return;
    const ids = tabs.map((t) => t.sessionId ?? "");
    // The tab with the focus (normally the selected one; a click elsewhere may differ).
    const focused = target.closest(".tab")?.getAttribute("data-session-id") ?? active;
    const at = ids.indexOf(focused);
    const go = (/** @type {number} */ i) => {
      const id = ids[(i + ids.length) % ids.length];
      if (!id) return;
      openSession(id);
      focusActiveTab();
    };
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.shiftKey && (e.key === "ArrowLeft" || e.key === "ArrowRight")) {
      e.preventDefault();
      moveBy(focused, e.key === "ArrowLeft" ? -1 : 1);
      focusTab(focused);
      return;
    }
    if (mod || e.altKey) return;
    switch (e.key) {
      case "ArrowLeft":
        go(at - 1);
        break;
      case "ArrowRight":
        go(at + 1);
        break;
      case "Home":
        go(0);
        break;
      case "End":
        go(ids.length - 1);
        break;
      case "Delete":
        closeTab(focused).then(focusActiveTab);
        break;
      case "F2":
        startRename(focused);
        break;
      case "F10":
        if (!e.shiftKey) return;
        /* falls through */
      case "ContextMenu": {
        const r = target.getBoundingClientRect();
        menu.value = { id: focused, x: r.left, y: r.bottom + 2 };
        break;
      }
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  return html`
    <div class="tabs">
      <div role="tablist" aria-label="Open sessions" class="tablist" onKeyDown=${onKeyDown}>
        ${tabs.map((t, i) => {
          const id = t.sessionId ?? "";
          // Roving tabindex: the selected tab is the strip's one stop (the first if none is).
          const focusable = id === active || (i === 0 && !tabs.some((x) => x.sessionId === active));
          return html`
            <${Tab} key=${id} id=${id} active=${id === active} focusable=${focusable}
              dragging=${dragging} onDrag=${setDragging} />
          `;
        })}
      </div>
      <button type="button" class="tab-new icon-button" aria-label="New session"
        title=${`New session (${comboLabel("Mod+T")})`} onClick=${() => newSession()}>
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <path d="M8 3v10M3 8h10" />
        </svg>
      </button>
      <${TabMenu} />
    </div>
  `;
}
