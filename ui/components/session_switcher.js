// @ts-check
/**
 * On a phone the tab strip has no room: the open sessions become one picker (the system's own
 * list on a touch screen) with the session on screen, what each is doing, and Close. Shown by
 * styles/phone.css in narrow windows only; the strip serves wider ones.
 */
import { html } from "../lib/html.js";
import { closeTab, openSession } from "../state/actions.js";
import { activeSessionId, workspace } from "../state/store.js";
import { MARKER_TEXT, markerOf, titleOf } from "../state/sessions.js";
import { CloseIcon } from "./icons.js";

export function SessionSwitcher() {
  const tabs = workspace.value.tabs ?? [];
  const active = activeSessionId.value;
  if (!tabs.length) return null;
  return html`
    <div class="session-switcher">
      <select aria-label="Open sessions" value=${active}
        onChange=${(/** @type {Event} */ e) =>
          openSession(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
        ${tabs.map((t) => {
          const id = t.sessionId ?? "";
          const marker = markerOf(id);
          const note = marker ? ` (${MARKER_TEXT[marker]})` : "";
          return html`<option key=${id} value=${id} selected=${id === active}>${
            titleOf(id) + note
          }</option>`;
        })}
      </select>
      ${active
        ? html`
          <button type="button" class="icon-button switcher-close"
            aria-label=${`Close ${titleOf(active)}`} onClick=${() => closeTab(active)}>
            <${CloseIcon} size=${14} />
          </button>
        `
        : null}
    </div>
  `;
}
