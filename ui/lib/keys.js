// @ts-check
/**
 * Global keyboard shortcuts. A binding names a combination ("Mod+T", "Ctrl+Shift+Tab", "F2")
 * where Mod is Cmd on macOS and Ctrl elsewhere (either is accepted, so Ctrl+T works everywhere).
 * The table of what each combination does lives with the layout (components/app.js); this file
 * only matches key events and labels combinations for tooltips. In a browser tab a label shows
 * the form the browser lets through (lib/surface.js).
 */
import { shownCombo } from "./surface.js";

export const IS_MAC = typeof navigator !== "undefined" &&
  /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/**
 * @typedef {{
 *   combo: string,
 *   run: (e: KeyboardEvent) => unknown,
 *   when?: (e: KeyboardEvent) => boolean,
 * }} Binding
 */

/**
 * @typedef {{ mod: boolean, ctrl: boolean, shift: boolean, alt: boolean, key: string }} Combo
 */

/** @param {string} combo @returns {Combo} */
export function parseCombo(combo) {
  const parts = combo.split("+");
  const key = parts.pop() ?? "";
  const has = (/** @type {string} */ m) => parts.includes(m);
  return { mod: has("Mod"), ctrl: has("Ctrl"), shift: has("Shift"), alt: has("Alt"), key };
}

/** The digit a key event stands for (top row or keypad), or "". @param {KeyboardEvent} e */
function digitOf(e) {
  const m = /^(?:Digit|Numpad)(\d)$/.exec(e.code ?? "");
  return m ? m[1] : "";
}

/** Whether a key event is the combination. @param {KeyboardEvent} e @param {Combo} c */
export function matches(e, c) {
  const ctrlOrMeta = e.ctrlKey || e.metaKey;
  if (c.mod) {
    if (!ctrlOrMeta) return false;
  } else if (c.ctrl) {
    if (!e.ctrlKey) return false;
  } else if (ctrlOrMeta) return false;
  if (c.shift !== e.shiftKey || c.alt !== e.altKey) return false;
  if (/^\d$/.test(c.key)) return digitOf(e) === c.key || e.key === c.key;
  return e.key.toLowerCase() === c.key.toLowerCase();
}

/**
 * Listens on `target` (the window) for the bindings; the first that matches and whose `when`
 * allows it runs, and the browser's own meaning of the keys (new window, close) is prevented.
 * @param {Binding[]} bindings
 * @param {EventTarget} [target]
 * @returns {() => void} removes the listener
 */
export function installShortcuts(bindings, target = globalThis) {
  const parsed = bindings.map((b) => ({ ...b, parsed: parseCombo(b.combo) }));
  /** @param {Event} ev */
  const onKeyDown = (ev) => {
    const e = /** @type {KeyboardEvent} */ (ev);
    if (e.defaultPrevented || e.isComposing) return;
    for (const b of parsed) {
      if (!matches(e, b.parsed) || (b.when && !b.when(e))) continue;
      e.preventDefault();
      e.stopPropagation();
      b.run(e);
      return;
    }
  };
  target.addEventListener("keydown", onKeyDown);
  return () => target.removeEventListener("keydown", onKeyDown);
}

/**
 * How a combination reads on this system and page, e.g. "Ctrl+T" or "⌘T" in the app's window,
 * "Alt+T" in a browser tab. @param {string} combo
 */
export function comboLabel(combo) {
  const c = parseCombo(shownCombo(combo));
  if (IS_MAC) {
    return `${c.ctrl ? "⌃" : ""}${c.alt ? "⌥" : ""}${c.shift ? "⇧" : ""}${
      c.mod ? "⌘" : ""
    }${c.key}`;
  }
  const mods = [c.mod || c.ctrl ? "Ctrl" : "", c.alt ? "Alt" : "", c.shift ? "Shift" : ""];
  return [...mods.filter(Boolean), c.key].join("+");
}
