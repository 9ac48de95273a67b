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
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { CloseIcon } from "./icons.js";
import { comboLabel } from "../lib/keys.js";
import { focusActiveTab, focusTab, tabDomId } from "../lib/focus.js";
import { closeTab, moveTab, moveTabBy, newSession, openSession } from "../state/actions.js";
import { activeSessionId, workspace } from "../state/store.js";
import { MARKER_TEXT, markerOf, titleOf } from "../state/sessions.js";
import { isTab } from "../state/indexes.js";
import { otherProjectOf } from "../state/projects.js";
import { renaming, startRename } from "../state/view.js";
import { openTabMenu, TabMenu } from "./tab_menu.js";
import { TitleEditor } from "./tab_title_editor.js";

/**
 * @param {{
 *   id: string, active: boolean, focusable: boolean, dragging: string,
 *   onDrag: (id: string) => void,
 * }} props
 */
function Tab({ id, active, focusable, dragging, onDrag }) {
  const marker = markerOf(id);
  const title = titleOf(id);
  const other = otherProjectOf(id); // a tab of another project than the one on screen
  const editing = renaming.value === id;
  const ref = useRef(/** @type {HTMLDivElement | null} */ (null));
  const [dropSide, setDropSide] = useState("");
  useEffect(() => {
    if (active) ref.current?.scrollIntoView?.({ block: "nearest", inline: "nearest" });
  }, [active]);

  /** @param {MouseEvent} e */
  const onContextMenu = (e) => {
    e.preventDefault();
    openTabMenu(id, e.clientX, e.clientY);
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
          aria-controls="session-panel" aria-label=${other ? `${title} (project ${other})` : title}
          aria-keyshortcuts="Delete F2 Shift+F10" aria-description=${state || undefined}
          title=${`${title}${other ? ` · project ${other}` : ""}${state ? ` (${state})` : ""}`}
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
          ${other ? html`<span class="tab-project" aria-hidden="true">${other}</span>` : null}
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
  const activeIsTab = isTab(active);
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
      moveTabBy(focused, e.key === "ArrowLeft" ? -1 : 1);
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
        openTabMenu(focused, r.left, r.bottom + 2);
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
          const focusable = id === active || (i === 0 && !activeIsTab);
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
