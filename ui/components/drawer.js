// @ts-check
/**
 * In a narrow window the session history is a drawer over the chat: opening it moves focus into
 * it, Esc or a tap on the backdrop closes it, and focus goes back to the menu button.
 */
import { useEffect } from "preact/hooks";
import { focusById } from "../lib/focus.js";
import { isNarrow, NARROW_QUERY, sidebarOpen, toggleSidebar } from "../state/view.js";

/** Wires the drawer behaviour to the sidebar's open state (used once, by app.js). */
export function useDrawer() {
  const open = sidebarOpen.value;
  // A window made narrow shows the chat, not a drawer left open from the wide layout.
  useEffect(() => {
    const query = globalThis.matchMedia?.(NARROW_QUERY);
    const onChange = () => {
      if (query?.matches) sidebarOpen.value = false; // not saved: the next start opens it as before
    };
    query?.addEventListener("change", onChange);
    return () => query?.removeEventListener("change", onChange);
  }, []);
  useEffect(() => {
    if (!open || !isNarrow()) return;
    const first = /** @type {HTMLElement | null} */ (document.querySelector(
      "#session-sidebar .session-item[data-current='true'] .session-open, #session-sidebar .session-open",
    ));
    if (first) first.focus();
    else focusById("session-search");
    /** @param {KeyboardEvent} e */
    const onKey = (e) => {
      if (e.key !== "Escape" || !isNarrow() || document.querySelector("dialog[open]")) return;
      e.preventDefault();
      toggleSidebar(false);
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      const inside = document.activeElement?.closest("#session-sidebar");
      if (inside || document.activeElement === document.body) {
        /** @type {HTMLElement | null} */ (document.querySelector(".sidebar-toggle"))?.focus();
      }
    };
  }, [open]);
}
