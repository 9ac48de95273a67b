// @ts-check
/**
 * The settings dialog: theme, how a message is sent, text size, chat density, whether the agent
 * picker lists subagents, models (settings_models.js) and Anthropic's credential
 * (settings_subscription.js). A choice applies at once, in every window on this core, and the core keeps it
 * for the next start (state.json). Opened by the gear button or Ctrl/Cmd+,.
 */
import { html } from "../lib/html.js";
import { useModal } from "../lib/modal.js";
import { comboLabel } from "../lib/keys.js";
import { saveSettings } from "../state/actions.js";
import { Density, SendKey, TextSize, Theme } from "../state/words.js";
import { settings } from "../state/store.js";
import { settingsOpen, shortcutsOpen } from "../state/view.js";
import { VoiceSettings } from "./voice_settings.js";
import { ModelSettings } from "./settings_models.js";
import { SubscriptionSettings } from "./settings_subscription.js";
import { ServerSettings } from "./settings_server.js";
import { ReachSettings } from "./reach_settings.js";

/** @typedef {import("../../proto/envelope.js").ipc.Settings.$Properties} Settings */

/**
 * Each group's `fallback` is what an unset value means (the core cleans the file the same way).
 * @type {{ key: "theme" | "sendKey" | "textSize" | "density", legend: string, fallback: string,
 *   options: { value: string, label: string, hint?: string }[] }[]}
 */
const GROUPS = [
  {
    key: "theme",
    legend: "Theme",
    fallback: "system",
    options: [
      { value: "system", label: "System", hint: "follows the desktop's light or dark mode" },
      { value: "light", label: "Light" },
      { value: "dark", label: "Dark" },
    ],
  },
  {
    key: "sendKey",
    legend: "Send a message with",
    fallback: "enter",
    options: [
      { value: "enter", label: "Enter", hint: "Shift+Enter starts a new line" },
      {
        value: "mod-enter",
        label: comboLabel("Mod+Enter"),
        hint: "Enter starts a new line",
      },
    ],
  },
  {
    key: "textSize",
    legend: "Text size",
    fallback: "normal",
    options: [
      { value: "small", label: "Small" },
      { value: "normal", label: "Normal" },
      { value: "large", label: "Large" },
    ],
  },
  {
    key: "density",
    legend: "Chat density",
    fallback: "normal",
    options: [
      { value: "compact", label: "Compact" },
      { value: "normal", label: "Regular" },
      { value: "comfortable", label: "Comfortable" },
    ],
  },
];

/** The enum behind each group, to turn its words into the protocol's values and back. */
const ENUMS = { theme: Theme, sendKey: SendKey, textSize: TextSize, density: Density };

const current = (/** @type {Settings} */ s, /** @type {(typeof GROUPS)[number]} */ g) =>
  ENUMS[g.key].word(s[g.key]);

export function SettingsButton() {
  return html`
    <button type="button" class="icon-button settings-button" aria-label="Settings"
      aria-haspopup="dialog" title=${`Settings (${comboLabel("Mod+,")})`}
      onClick=${() => (settingsOpen.value = true)}>
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
        <circle cx="8" cy="8" r="2.2" />
        <path
          d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
      </svg>
    </button>
  `;
}

export function SettingsDialog() {
  const open = settingsOpen.value;
  const ref = useModal(
    open,
    (d) => /** @type {HTMLInputElement | null} */ (d.querySelector("input:checked"))?.focus(),
  );

  const s = settings.value;
  /** @param {(typeof GROUPS)[number]} g @param {string} word */
  const choose = (g, word) =>
    saveSettings({ [g.key]: ENUMS[g.key].value(/** @type {never} */ (word)) });

  return html`
    <dialog class="dialog settings-dialog" ref=${ref} aria-labelledby="settings-title"
      onKeyDown=${(/** @type {KeyboardEvent} */ e) => e.stopPropagation()}
      onCancel=${(/** @type {Event} */ e) => {
        e.preventDefault();
        settingsOpen.value = false;
      }}>
      <h2 id="settings-title">Settings</h2>
      ${GROUPS.map((g) =>
        html`
          <fieldset class="settings-group" key=${g.key}>
            <legend>${g.legend}</legend>
            ${g.options.map((o) => {
              const hintId = `setting-${g.key}-${o.value}-hint`;
              return html`
                <div class="settings-option" key=${o.value}>
                  <label>
                    <input type="radio" name=${`setting-${g.key}`} value=${o.value}
                      checked=${current(s, g) === o.value}
                      aria-describedby=${o.hint ? hintId : undefined}
                      onChange=${() => choose(g, o.value)} />
                    <span>${o.label}</span>
                  </label>
                  ${o.hint ? html`<span class="settings-hint" id=${hintId}>${o.hint}</span>` : null}
                </div>
              `;
            })}
          </fieldset>
        `
      )}
      <fieldset class="settings-group">
        <legend>Agents</legend>
        <div class="settings-option">
          <label>
            <input type="checkbox" checked=${!!s.showSubagents}
              onChange=${() => saveSettings({ showSubagents: !settings.value.showSubagents })} />
            <span>Show subagents in the agent picker</span>
          </label>
        </div>
      </fieldset>
      ${open
        ? html`
          <${ModelSettings} />
          <${SubscriptionSettings} />
        `
        : null}
      ${open ? html`<${VoiceSettings} />` : null}
      ${open ? html`<${ServerSettings} />` : null}
      <${ReachSettings} />
      <p class="settings-note">Saved for every window and the next start.</p>
      <div class="dialog-buttons">
        <button type="button" onClick=${() => (shortcutsOpen.value = true)}>
          Keyboard shortcuts
        </button>
        <button type="button" onClick=${() => (settingsOpen.value = false)}>Close</button>
      </div>
    </dialog>
  `;
}
