// @ts-check
/**
 * The tab strip: one tab per open session (`role="tablist"`), each showing its title and whether
 * it is busy, done, or waiting for the person. Closing a tab never deletes the session.
 */
import { html } from "../lib/html.js";
import { closeTab, newSession, openSession } from "../state/actions.js";
import {
  activeSessionId,
  needsAttention,
  sessions,
  statusOf,
  unseen,
  workspace,
} from "../state/store.js";

/** @param {string} id */
export function titleOf(id) {
  const s = sessions.value.find((x) => x.id === id);
  return s?.title || "New session";
}

/** @param {string} id @returns {"attention" | "busy" | "done" | ""} */
export function markerOf(id) {
  if (needsAttention(id)) return "attention";
  if (statusOf(id) !== "idle") return "busy";
  if (unseen.value.has(id)) return "done";
  return "";
}

const MARKER_TEXT = { attention: "needs you", busy: "working", done: "done", "": "" };

export function Tabs() {
  const tabs = workspace.value.tabs ?? [];
  const active = activeSessionId.value;
  return html`
    <nav class="tabs">
      <div role="tablist" aria-label="Sessions" class="tablist">
        ${tabs.map((t) => {
          const id = t.sessionId ?? "";
          const marker = markerOf(id);
          const title = titleOf(id);
          return html`
            <div class="tab ${id === active ? "active" : ""}" key=${id} data-session-id=${id}
              data-marker=${marker}>
              <button type="button" role="tab" aria-selected=${id === active ? "true" : "false"}
                aria-label=${title} title=${title} tabindex=${id === active ? 0 : -1}
                onClick=${() => openSession(id)}
                onAuxClick=${(/** @type {MouseEvent} */ e) => {
                  if (e.button === 1) closeTab(id);
                }}>
                <span class="marker" aria-hidden="true"></span>
                <span class="tab-title">${title}</span>
                ${marker
                  ? html`<span class="visually-hidden">(${MARKER_TEXT[marker]})</span>`
                  : null}
              </button>
              <button type="button" class="tab-close" aria-label=${`Close ${title}`}
                onClick=${() => closeTab(id)}>×</button>
            </div>
          `;
        })}
      </div>
      <button type="button" class="tab-new" aria-label="New session" title="New session (Ctrl+T)"
        onClick=${() => newSession()}>+</button>
    </nav>
  `;
}
