// @ts-check
/**
 * The push-to-talk key: a KeyboardEvent.code (default Right Alt), its label, and the window-wide
 * listener that turns holding it into press/release (auto-repeat ignored) and Esc into cancel.
 */

export const DEFAULT_PUSH_KEY = "AltRight";

/** A readable name for a key code. @param {string} code */
export function keyLabel(code) {
  const named = /** @type {Record<string, string>} */ ({
    AltRight: "Right Alt",
    AltLeft: "Left Alt",
    ControlRight: "Right Ctrl",
    ControlLeft: "Left Ctrl",
    ShiftRight: "Right Shift",
    ShiftLeft: "Left Shift",
    MetaRight: "Right Meta",
    MetaLeft: "Left Meta",
    Space: "Space",
    CapsLock: "Caps Lock",
    ContextMenu: "Menu",
    ScrollLock: "Scroll Lock",
    Pause: "Pause",
  });
  if (named[code]) return named[code];
  const m = /^(?:Key|Digit)(.)$/.exec(code);
  return m ? m[1] : code;
}

/** Keys that cannot be the push-to-talk key (they do something else everywhere). */
export const RESERVED_KEYS = new Set(["Escape", "Enter", "Tab", "Backspace", "NumpadEnter"]);

/**
 * Listens on the window: the key held → onPress, released → onRelease, Esc → onCancel (which
 * returns whether it cancelled something; if so, Esc goes no further). `enabled()` is checked
 * on every event (off while a dialog is open). Returns the function that stops listening.
 * @param {{
 *   key: () => string,
 *   enabled: () => boolean,
 *   onPress: () => void,
 *   onRelease: () => void,
 *   onCancel: () => boolean,
 * }} opts
 */
export function listenPushKey(opts) {
  let held = false;
  /** @param {KeyboardEvent} e */
  const down = (e) => {
    if (e.code === "Escape" || e.key === "Escape") {
      if (opts.onCancel()) {
        e.preventDefault();
        e.stopPropagation();
      }
      held = false;
      return;
    }
    if (e.code !== opts.key() || !opts.enabled()) return;
    e.preventDefault();
    e.stopPropagation();
    if (e.repeat || held) return;
    held = true;
    opts.onPress();
  };
  /** @param {KeyboardEvent} e */
  const up = (e) => {
    if (e.code !== opts.key() || !held) return;
    e.preventDefault();
    e.stopPropagation();
    held = false;
    opts.onRelease();
  };
  // The window losing focus while the key is held (Alt+Tab) ends the recording too.
  const blur = () => {
    if (!held) return;
    held = false;
    opts.onRelease();
  };
  addEventListener("keydown", down, true);
  addEventListener("keyup", up, true);
  addEventListener("blur", blur);
  return () => {
    removeEventListener("keydown", down, true);
    removeEventListener("keyup", up, true);
    removeEventListener("blur", blur);
  };
}
