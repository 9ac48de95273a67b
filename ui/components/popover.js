// @ts-check
/**
 * What the pickers next to the input share: a popover that closes on Escape (focus back on its
 * button) and on a click outside, arrow-key movement among its items, and the chevron.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { refreshCatalog } from "../state/actions.js";
import { catalog } from "../state/store.js";

/**
 * Open/close state of a popover: closes on Escape (focus back on the trigger) and on a click
 * outside it.
 */
export function usePopover() {
  const [open, setOpen] = useState(false);
  const wrap = useRef(/** @type {HTMLDivElement | null} */ (null));
  const trigger = useRef(/** @type {HTMLButtonElement | null} */ (null));
  useEffect(() => {
    if (!open) return;
    // The core's last read of the catalog may have failed (a slow server): opening retries it.
    if (!(catalog.peek().providers ?? []).length) refreshCatalog();
    /** @param {PointerEvent} e */
    const away = (e) => {
      if (!wrap.current?.contains(/** @type {Node} */ (e.target))) setOpen(false);
    };
    document.addEventListener("pointerdown", away, true);
    return () => document.removeEventListener("pointerdown", away, true);
  }, [open]);
  const close = (refocus = true) => {
    setOpen(false);
    if (refocus) requestAnimationFrame(() => trigger.current?.focus());
  };
  /** @param {KeyboardEvent} e */
  const onEscape = (e) => {
    if (e.key !== "Escape" || !open) return;
    e.preventDefault();
    e.stopPropagation();
    close();
  };
  return { open, setOpen, wrap, trigger, close, onEscape };
}

/** Arrow-key movement among a popover's items. @param {KeyboardEvent} e @param {HTMLElement[]} items */
export function moveFocus(e, items) {
  const at = items.indexOf(/** @type {HTMLElement} */ (document.activeElement));
  let next = -1;
  if (e.key === "ArrowDown") next = at < 0 ? 0 : Math.min(items.length - 1, at + 1);
  else if (e.key === "ArrowUp") next = at < 0 ? items.length - 1 : Math.max(0, at - 1);
  else if (e.key === "Home") next = 0;
  else if (e.key === "End") next = items.length - 1;
  else return false;
  e.preventDefault();
  items[next]?.focus();
  return true;
}

export const CHEVRON = html`
  <svg class="chevron" viewBox="0 0 16 16" width="10" height="10"
    aria-hidden="true">
    <path d="M4 6l4 4 4-4" />
  </svg>
`;

/**
 * The name of a picker's button: what it picks and the current value, whether that is the
 * server's default (nothing chosen) and whether the server still offers it.
 * @param {string} what @param {string} name @param {boolean} chosen @param {boolean} unknown
 */
export function pickerLabel(what, name, chosen, unknown) {
  return `${what}: ${name}${chosen ? "" : " (default)"}${
    unknown ? " (not offered by the server)" : ""
  }`;
}
