// @ts-check
/** What a page whose token the app no longer accepts shows instead of "Reconnecting…". */
import { html } from "../lib/html.js";

export function StaleToken() {
  return html`
    <main class="no-token stale-token" role="alert">
      <h1>This link no longer opens OpenCode Desk</h1>
      <p>The app made a new link (from its settings) or was given another key, so this page was
        disconnected.</p>
      <p>To get the new link: look at the terminal where the app runs (it prints the link and a QR
        code at start), or in the app's window open Settings → Open on phone and scan the code.</p>
    </main>
  `;
}
