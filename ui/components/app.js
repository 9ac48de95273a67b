// @ts-check
/** The whole window: tabs, transcript, input, status bar. */
import { html } from "../lib/html.js";
import { activeSessionId, directory } from "../state/store.js";
import { Composer } from "./composer.js";
import { StatusBar } from "./status_bar.js";
import { Tabs } from "./tabs.js";
import { Transcript } from "./transcript.js";

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
      <header class="top-bar">
        <span class="brand">OpenCode Desk</span>
        <${Tabs} />
        ${directory.value
          ? html`<span class="directory" title="Project directory">${directory.value}</span>`
          : null}
      </header>
      <main class="chat">
        ${activeSessionId.value
          ? html`<${Transcript} key=${activeSessionId.value} sessionId=${activeSessionId.value} />`
          : html`
            <div class="transcript-wrap">
              <p class="empty">No session open. Type below to start one, or press + for a new tab.</p>
            </div>
          `}
        <${Composer} />
      </main>
      <${StatusBar} conn=${conn} />
    </div>
  `;
}
