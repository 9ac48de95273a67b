// @ts-check
/**
 * Every keyboard shortcut the app has, in one dialog: opened with `?` (when the focus is not in a
 * text field) or from the settings. The window-wide ones are the bindings of components/app.js;
 * the others live with their component (tabs.js, composer.js, the voice push key, the pickers).
 */
import { useRef } from "preact/hooks";
import { html } from "../lib/html.js";
import { useModal } from "../lib/modal.js";
import { comboLabel } from "../lib/keys.js";
import { shownCombo } from "../lib/surface.js";
import { DEFAULT_PUSH_KEY, keyLabel } from "../lib/voice/push_key.js";
import { settings } from "../state/store.js";
import { shortcutsOpen } from "../state/view.js";
import { SendKey } from "../state/words.js";

/** @typedef {{ keys: string[], what: string }} Shortcut */

/** @returns {{ title: string, list: Shortcut[] }[]} */
function groups() {
  const s = settings.value;
  const modEnter = SendKey.word(s.sendKey) === "mod-enter";
  const push = keyLabel(s.voice?.pushToTalkKey || DEFAULT_PUSH_KEY);
  /** The label of a combination, in the form this page answers (a browser tab: Alt+T). */
  const c = (/** @type {string} */ combo) => comboLabel(shownCombo(combo));
  return [
    {
      title: "Anywhere",
      list: [
        { keys: [c("Mod+T")], what: "New session" },
        { keys: [c("Mod+W")], what: "Close the tab" },
        {
          keys: [c("Ctrl+Tab"), c("Ctrl+PageDown")].filter((k, i, a) => a.indexOf(k) === i),
          what: "Next tab",
        },
        {
          keys: [c("Ctrl+Shift+Tab"), c("Ctrl+PageUp")].filter((k, i, a) => a.indexOf(k) === i),
          what: "Previous tab",
        },
        { keys: [`${c("Mod+1")} … ${c("Mod+8")}`], what: "Tab 1 to 8" },
        { keys: [c("Mod+9")], what: "Last tab" },
        { keys: [c("Mod+B")], what: "Show or hide the session history" },
        { keys: [c("Mod+K"), c("Mod+Shift+P")], what: "Command palette: every action by name" },
        { keys: [c("Mod+,")], what: "Settings" },
        { keys: ["F2"], what: "Rename the session" },
        { keys: ["?"], what: "This list (outside a text field)" },
      ],
    },
    {
      title: "Message box",
      list: [
        { keys: [modEnter ? c("Mod+Enter") : "Enter"], what: "Send" },
        { keys: [modEnter ? "Enter" : "Shift+Enter"], what: "New line" },
        { keys: ["Esc"], what: "Stop the agent while it works" },
        { keys: ["/"], what: "Commands (at the start of the box)" },
        { keys: ["@"], what: "Mention a file or an agent" },
        { keys: ["!"], what: "Run a shell command (at the start of the box)" },
        { keys: ["↑", "↓"], what: "Earlier prompts of the session (in an empty box)" },
        { keys: [`Hold ${push}`], what: "Dictate (Esc cancels)" },
      ],
    },
    {
      title: "Tabs (focus on a tab)",
      list: [
        { keys: ["←", "→"], what: "Previous or next tab" },
        { keys: ["Home", "End"], what: "First or last tab" },
        { keys: [c("Mod+Shift+←"), c("Mod+Shift+→")], what: "Move the tab" },
        { keys: ["Delete"], what: "Close the tab" },
        { keys: ["Shift+F10", "Menu"], what: "Tab menu" },
      ],
    },
    {
      title: "Pickers and lists",
      list: [
        { keys: ["↑", "↓"], what: "Move through models and agents" },
        { keys: ["Enter"], what: "Choose the first model found" },
        { keys: ["Alt+↑", "Alt+↓"], what: "Move a favourite model (Settings → Models)" },
        { keys: ["Esc"], what: "Close a picker or dialog" },
      ],
    },
  ];
}

/** Whether a key event happens while typing text (where `?` is a character). @param {Event} e */
function inTextField(e) {
  const t = /** @type {HTMLElement | null} */ (e.target);
  if (!t || !(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  if (t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  return t instanceof HTMLInputElement &&
    !["checkbox", "radio", "button", "submit", "range", "color"].includes(t.type);
}

/**
 * Opens the list on `?` outside text fields; `blocked()` says when another dialog is open.
 * @param {() => boolean} blocked @returns {() => void} stops listening
 */
export function installHelpKey(blocked) {
  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    if (e.key !== "?" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (inTextField(e) || blocked() || shortcutsOpen.value) return;
    e.preventDefault();
    shortcutsOpen.value = true;
  };
  globalThis.addEventListener("keydown", onKeyDown);
  return () => globalThis.removeEventListener("keydown", onKeyDown);
}

export function ShortcutsDialog() {
  const open = shortcutsOpen.value;
  const closeRef = useRef(/** @type {HTMLButtonElement | null} */ (null));
  const ref = useModal(open, () => closeRef.current?.focus());
  const close = () => (shortcutsOpen.value = false);
  return html`
    <dialog class="dialog shortcuts-dialog" ref=${ref} aria-labelledby="shortcuts-title"
      onKeyDown=${(/** @type {KeyboardEvent} */ e) => e.stopPropagation()}
      onCancel=${(/** @type {Event} */ e) => {
        e.preventDefault();
        close();
      }}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      ${open
        ? groups().map((g) =>
          html`
            <section class="shortcut-group" key=${g.title} aria-labelledby=${`sc-${g.title}`}>
              <h3 id=${`sc-${g.title}`}>${g.title}</h3>
              <dl>
                ${g.list.map((s) =>
                  html`
                    <div class="shortcut" key=${s.what}>
                      <dt>${s.keys.map((k, i) =>
                        html`${i ? html`<span class="or"> or </span>` : null}<kbd>${k}</kbd>`
                      )}</dt>
                      <dd>${s.what}</dd>
                    </div>
                  `
                )}
              </dl>
            </section>
          `
        )
        : null}
      <div class="dialog-buttons">
        <button type="button" ref=${closeRef} onClick=${close}>Close</button>
      </div>
    </dialog>
  `;
}
