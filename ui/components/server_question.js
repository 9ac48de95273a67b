// @ts-check
/**
 * The questions the core asks about the server (`ServerStatus.choice`), with their two answers:
 * a server found for another project directory (attach anyway, or start one here), and `.env`
 * keys for a server the app did not start (store them there, or not now). Shown as a banner in
 * the window and in Settings → Server; the core decides what each answer does.
 */
import { useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { ipc } from "../../proto/envelope.js";
import { serverAction } from "../lib/server_link.js";
import { server } from "../state/store.js";

const A = ipc.ServerActionKind;

/** @type {Record<string, { text: (s: ipc.ServerStatus.$Properties) => string, answers: [number, string][] }>} */
const QUESTIONS = {
  "foreign-directory": {
    text: (s) =>
      `The OpenCode server found at ${s.url} works in ${s.otherDirectory}, not in this project ` +
      "directory.",
    answers: [
      [A.SERVER_ACTION_ATTACH_ANYWAY, "Attach anyway"],
      [A.SERVER_ACTION_START, "Start a server here"],
    ],
  },
  "store-keys": {
    text: () =>
      "The app did not start this server. Store the API keys of the .env file in its own " +
      "store? They stay there after the app quits, for every client of that server.",
    answers: [
      [A.SERVER_ACTION_STORE_KEYS, "Store keys on this server"],
      [A.SERVER_ACTION_KEYS_NOT_NOW, "Not now"],
    ],
  },
};

/** @param {{ banner?: boolean }} props */
export function ServerQuestion({ banner = false }) {
  const s = server.value;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const q = s?.choice ? QUESTIONS[s.choice] : undefined;
  if (!s || !q) return null;
  const answer = async (/** @type {number} */ kind) => {
    setBusy(true);
    setError("");
    try {
      await serverAction(kind);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return html`
    <div class=${banner ? "app-notice server-question" : "server-question"} role="alert">
      <p>${q.text(s)}</p>
      ${q.answers.map(([kind, label]) =>
        html`<button type="button" key=${kind} disabled=${busy} onClick=${() => answer(kind)}>
          ${label}</button>`
      )}
      ${error ? html`<p class="server-said error">${error}</p>` : null}
    </div>
  `;
}
