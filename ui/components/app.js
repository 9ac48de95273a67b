// @ts-check
/** The whole window: session bar, transcript, input, status bar. */
import { html } from "../lib/html.js";
import { newSession, openSession } from "../state/actions.js";
import { currentSessionId, directory, sessions, statusOf } from "../state/store.js";
import { Composer } from "./composer.js";
import { StatusBar } from "./status_bar.js";
import { Transcript } from "./transcript.js";

function SessionBar() {
  const list = sessions.value;
  const current = currentSessionId.value;
  return html`
    <header class="session-bar">
      <span class="brand">OpenCode Desk</span>
      <label class="session-pick">
        <span class="visually-hidden">Session</span>
        <select aria-label="Session" value=${current}
          onChange=${(/** @type {Event} */ e) =>
            openSession(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
          ${current ? null : html`<option value="">No session</option>`}
          ${list.map((s) =>
            html`<option key=${s.id} value=${s.id}>
            ${s.title || s.id}${statusOf(s.id ?? "") !== "idle" ? " ●" : ""}
          </option>`
          )}
        </select>
      </label>
      <button type="button" aria-label="New session" onClick=${() => newSession()}>+ New</button>
      <span class="spacer"></span>
      ${directory.value
        ? html`<span class="directory" title="Project directory">${directory.value}</span>`
        : null}
    </header>
  `;
}

/** @param {{ conn: import("../lib/connection.js").Connection, hasToken: boolean }} props */
export function App({ conn, hasToken }) {
  if (!hasToken) {
    return html`
      <main class="no-token" role="alert">
        <h1>OpenCode Desk</h1>
        <p>This page needs the link the app printed when it started (it ends in <code>#token=…</code>).</p>
      </main>
    `;
  }
  return html`
    <div class="app">
      <${SessionBar} />
      <main class="chat">
        <${Transcript} />
        <${Composer} />
      </main>
      <${StatusBar} conn=${conn} />
    </div>
  `;
}
