// @ts-check
/**
 * Whether this page is the app's own window or a tab in a browser. The core knows (the window
 * opened with a token of its own) and says so in the `Reach` push after hello; until then a page
 * counts as a browser tab, whose browser keeps Ctrl+T, Ctrl+W and Ctrl+Tab for itself.
 */
import { signal } from "@preact/signals";

/** True in the app's own window. */
export const nativeWindow = signal(false);

/**
 * The form of a window shortcut that reaches a page inside a browser tab (the browser never
 * hands Ctrl+T, Ctrl+W, Ctrl+Tab or Ctrl+digit to a page). Both forms work everywhere; labels
 * show the one that applies.
 * @type {Record<string, string>}
 */
export const BROWSER_FORMS = {
  "Mod+T": "Alt+T",
  "Mod+W": "Alt+W",
  "Ctrl+Tab": "Alt+]",
  "Ctrl+Shift+Tab": "Alt+[",
  "Ctrl+PageDown": "Alt+]",
  "Ctrl+PageUp": "Alt+[",
  ...Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => [`Mod+${n}`, `Alt+Shift+${n}`])),
};

/** The combination to advertise on this page. @param {string} combo */
export function shownCombo(combo) {
  return nativeWindow.value ? combo : BROWSER_FORMS[combo] ?? combo;
}

/** Whether the main pointer is a finger (a phone or tablet): no hover, no Shift+Enter. */
export function coarsePointer() {
  return globalThis.matchMedia?.("(pointer: coarse)").matches ?? false;
}
