// @ts-check
/**
 * The settings' "Other devices" and "Notifications" groups: open on a phone, make a new link
 * (dropping every browser on the old one), which notifications to show, and this browser's
 * permission for them.
 */
import { useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { askNotifications, notifyPermission, revokeToken } from "../lib/reach.js";
import { nativeWindow } from "../lib/surface.js";
import { saveSettings } from "../state/actions.js";
import { settings } from "../state/store.js";
import { pairOpen } from "./pair_dialog.js";

function PermissionLine() {
  if (nativeWindow.value) {
    return html`<p class="settings-hint">Shown on the desktop while this window is open.</p>`;
  }
  switch (notifyPermission.value) {
    case "default":
      return html`
        <button type="button" class="reach-allow" onClick=${() => askNotifications()}>
          Allow notifications in this browser
        </button>
      `;
    case "denied":
      return html`<p class="settings-hint">This browser blocks notifications for this page: allow
        them in its site settings.</p>`;
    case "unsupported":
      return html`<p class="settings-hint">${
        isSecureContext
          ? "This browser cannot show notifications."
          : "Browsers show notifications only on https pages: start the app with --tls-cert and --tls-key."
      }</p>`;
    default:
      return null;
  }
}

export function ReachSettings() {
  const s = settings.value;
  const [status, setStatus] = useState("");
  const [asking, setAsking] = useState(false);
  const renew = async () => {
    setAsking(false);
    try {
      await revokeToken();
      setStatus("New link made: browsers on the old one were disconnected.");
    } catch (e) {
      setStatus(`Cannot make a new link: ${/** @type {Error} */ (e).message}`);
    }
  };
  return html`
    <fieldset class="settings-group">
      <legend>Notifications</legend>
      <div class="settings-option">
        <label>
          <input type="checkbox" checked=${!s.muteReplies}
            onChange=${() => saveSettings({ muteReplies: !settings.value.muteReplies })} />
          <span>When a reply finishes in a session not on screen</span>
        </label>
      </div>
      <div class="settings-option">
        <label>
          <input type="checkbox" checked=${!s.muteRequests}
            onChange=${() => saveSettings({ muteRequests: !settings.value.muteRequests })} />
          <span>When a permission or a question waits</span>
        </label>
      </div>
      <${PermissionLine} />
    </fieldset>
    <fieldset class="settings-group">
      <legend>Other devices</legend>
      <div class="settings-option reach-buttons">
        <button type="button" onClick=${() => (pairOpen.value = true)}>Open on phone…</button>
        <button type="button" aria-expanded=${asking} onClick=${() => setAsking(!asking)}>
          New link…
        </button>
      </div>
      ${asking
        ? html`
          <div class="settings-option reach-confirm" role="group" aria-label="Make a new link">
            <p class="settings-hint">
              Every browser and phone using the current link is disconnected and needs the new one.
            </p>
            <div class="reach-buttons">
              <button type="button" class="danger-button" onClick=${renew}>Make new link</button>
              <button type="button" onClick=${() => setAsking(false)}>Cancel</button>
            </div>
          </div>
        `
        : null}
      ${status ? html`<p class="settings-hint" role="status">${status}</p>` : null}
    </fieldset>
  `;
}
