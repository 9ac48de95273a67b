// @ts-check
/**
 * The bottom line: whether we are connected to the server; for the session on screen, a retry
 * countdown, the context window meter and the cost so far; then which server and versions.
 */
import { html } from "../lib/html.js";
import { ipc } from "../../proto/envelope.js";
import { activeSessionId, appVersion, server } from "../state/store.js";
import { ContextMeter, RetryNotice } from "./context_meter.js";

const C = ipc.ConnectionState;
const Note = ipc.ServerNote;

/**
 * What the app did to its server, in words; null when there is nothing to say.
 * @param {ipc.ServerStatus.$Properties} s
 */
export function noteText(s) {
  switch (s.note) {
    case Note.SERVER_NOTE_RESTARTING:
      return `OpenCode stopped unexpectedly (exit code ${s.exitCode ?? "?"}); restarting it…`;
    case Note.SERVER_NOTE_RESTARTED:
      return `OpenCode was restarted (${s.restarts ?? 1}×)`;
    case Note.SERVER_NOTE_RESTART_FAILED:
      return "OpenCode stopped and could not be restarted";
    case Note.SERVER_NOTE_INCOMPATIBLE:
      return `Cannot use the server at ${s.url}: ${s.detail}`;
    default:
      return null;
  }
}

/** @param {{ conn: import("../lib/connection.js").Connection }} props */
export function StatusBar({ conn }) {
  const s = server.value;
  let state = "connecting";
  let text = "Connecting…";
  if (conn.state.value === "reconnecting") {
    state = "reconnecting";
    text = "Reconnecting to the app…";
  } else if (conn.state.value === "open" && s) {
    switch (s.state) {
      case C.CONNECTION_STATE_CONNECTED:
        state = "connected";
        text = "Connected";
        break;
      case C.CONNECTION_STATE_RECONNECTING:
        state = "reconnecting";
        text = `Server unreachable, retrying${s.attempt ? ` (attempt ${s.attempt})` : ""}…`;
        break;
      case C.CONNECTION_STATE_DOWN:
        state = "down";
        text = "Server down, retrying…";
        break;
      default:
        text = "Connecting to the server…";
    }
  }
  let detail = conn.detail.value;
  if (conn.state.value === "open" && s) {
    const note = noteText(s);
    const cause = s.note === Note.SERVER_NOTE_INCOMPATIBLE ? "" : s.detail;
    detail = note && cause ? `${note} (${cause})` : note || cause || "";
  }
  const sessionId = activeSessionId.value;
  return html`
    <footer class="status-bar" role="status" aria-label="Connection status" data-state=${state}>
      <span class="dot" aria-hidden="true"></span>
      <span class="state">${text}</span>
      ${detail ? html`<span class="detail" title=${detail}>${detail}</span>` : null}
      <span class="spacer"></span>
      ${sessionId ? html`<${RetryNotice} key=${sessionId} sessionId=${sessionId} />` : null}
      ${sessionId ? html`<${ContextMeter} key=${sessionId} sessionId=${sessionId} />` : null}
      ${s?.url
        ? html`<span class="server" title="OpenCode server">${s.url}${
          s.owned ? " (started by this app)" : ""
        }</span>`
        : null}
      ${s?.version ? html`<span class="version">OpenCode ${s.version}</span>` : null}
      ${appVersion.value ? html`<span class="version">Desk ${appVersion.value}</span>` : null}
    </footer>
  `;
}
