// @ts-check
/**
 * The bar above a session's transcript: the way back to the parent session (in a subagent's
 * session), Undo and Redo, the share link while the session is shared, and the session menu
 * (Changes, Compact, Share or Stop sharing, Export as Markdown). Every action has a button with a
 * name; the menu moves with the arrow keys and closes with Escape.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { openSession } from "../state/actions.js";
import { transcriptOf } from "../state/store.js";
import { sessionOf } from "../state/indexes.js";
import { statusOf, titleOf } from "../state/sessions.js";
import { roleOf } from "../state/words.js";
import {
  compact,
  exportMarkdown,
  lastCopied,
  redoLast,
  share,
  undoLast,
  unshare,
} from "../state/history_actions.js";
import { showChanges } from "./changes_view.js";
import { moveFocus } from "./popover.js";

/** Whether the session has a message of the person's that is not undone yet. @param {string} id */
function canUndo(id) {
  const revert = sessionOf(id)?.revert?.messageId ?? "";
  return transcriptOf(id).messages.value.some((m) =>
    roleOf(m.info.value) === "user" && (!revert || m.id < revert)
  );
}

/** The session menu. @param {{ sessionId: string, busy: boolean }} props */
function SessionMenu({ sessionId, busy }) {
  const [open, setOpen] = useState(false);
  const wrap = useRef(/** @type {HTMLDivElement | null} */ (null));
  const trigger = useRef(/** @type {HTMLButtonElement | null} */ (null));
  useEffect(() => {
    if (!open) return;
    /** @type {HTMLElement | null} */ (wrap.current?.querySelector('[role="menuitem"]'))?.focus();
    /** @param {PointerEvent} e */
    const away = (e) => {
      if (!wrap.current?.contains(/** @type {Node} */ (e.target))) setOpen(false);
    };
    document.addEventListener("pointerdown", away, true);
    return () => document.removeEventListener("pointerdown", away, true);
  }, [open]);
  const shared = !!sessionOf(sessionId)?.shareUrl;
  /** @param {() => unknown} run */
  const act = (run) => () => {
    setOpen(false);
    trigger.current?.focus();
    run();
  };
  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    if (e.key === "Escape" || e.key === "Tab") {
      if (e.key === "Escape") e.preventDefault();
      setOpen(false);
      trigger.current?.focus();
      return;
    }
    const items = /** @type {HTMLElement[]} */ ([
      ...(wrap.current?.querySelectorAll('[role="menuitem"]:not([disabled])') ?? []),
    ]);
    moveFocus(e, items);
  };
  return html`
    <div class="session-menu-wrap" ref=${wrap} onKeyDown=${onKeyDown}>
      <button type="button" class="session-bar-button" ref=${trigger} aria-haspopup="menu"
        aria-expanded=${open ? "true" : "false"} aria-label="Session actions"
        onClick=${() => setOpen(!open)}>⋯</button>
      ${open
        ? html`
          <div class="menu session-menu" role="menu" aria-label="Session actions">
            <button type="button" role="menuitem" tabindex="-1"
              onClick=${act(() => showChanges(sessionId))}>Changes…</button>
            <button type="button" role="menuitem" tabindex="-1" disabled=${busy}
              onClick=${act(() => compact(sessionId))}>Compact</button>
            ${shared
              ? html`
                <button type="button" role="menuitem" tabindex="-1"
                  onClick=${act(() => unshare(sessionId))}>Stop sharing</button>
              `
              : html`
                <button type="button" role="menuitem" tabindex="-1"
                  onClick=${act(() => share(sessionId))}>Share</button>
              `}
            <button type="button" role="menuitem" tabindex="-1"
              onClick=${act(() => exportMarkdown(sessionId))}>Export as Markdown</button>
          </div>
        `
        : null}
    </div>
  `;
}

/** @param {{ sessionId: string }} props */
export function SessionBar({ sessionId }) {
  const session = sessionOf(sessionId);
  const parentId = session?.parentId ?? "";
  const revert = session?.revert?.messageId ?? "";
  const url = session?.shareUrl ?? "";
  const busy = statusOf(sessionId) !== "idle";
  return html`
    <div class="session-bar" role="toolbar" aria-label="Session">
      ${parentId
        ? html`
          <button type="button" class="session-parent" onClick=${() => openSession(parentId)}
            aria-label=${`Back to the parent session: ${titleOf(parentId)}`}>
            ← ${titleOf(parentId)}
          </button>
        `
        : null}
      ${url
        ? html`
          <span class="session-share" role="status">
            Shared${lastCopied.value === url ? " (link copied)" : ""}:
            <a href=${url} target="_blank" rel="noopener noreferrer">${url}</a>
          </span>
        `
        : null}
      <span class="spacer"></span>
      <button type="button" class="session-bar-button" disabled=${busy || !canUndo(sessionId)}
        aria-label="Undo the last turn" title="Undo the last turn (messages and file changes)"
        onClick=${() => undoLast(sessionId)}>↶ Undo</button>
      ${revert
        ? html`
          <button type="button" class="session-bar-button" aria-label="Redo"
            title="Take the undo back" onClick=${() => redoLast(sessionId)}>↷ Redo</button>
        `
        : null}
      <${SessionMenu} sessionId=${sessionId} busy=${busy} />
    </div>
  `;
}
