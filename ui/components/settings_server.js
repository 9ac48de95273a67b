// @ts-check
/**
 * The Server section of the settings: which OpenCode server the app talks to (URL, version,
 * started by the app or attached, its process and project directory, the connection and the last
 * error), what the person can do to it (reconnect; restart, stop, start; use another server;
 * start one in another project directory; whether the app starts one when none is found), and
 * the questions the core asks (attach to a server of another project? store keys on a server
 * the app did not start?). The providers and their keys follow (settings_providers.js).
 */
import { useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { ipc } from "../../proto/envelope.js";
import { serverAction, useServer } from "../lib/server_link.js";
import { saveSettings } from "../state/actions.js";
import { server, settings } from "../state/store.js";
import { ProviderSettings } from "./settings_providers.js";
import { ServerQuestion } from "./server_question.js";

const C = ipc.ConnectionState;
const A = ipc.ServerActionKind;

/** The connection state in words. @param {ipc.ServerStatus.$Properties} s */
function stateText(s) {
  if (s.stopped) return "Stopped";
  switch (s.state) {
    case C.CONNECTION_STATE_CONNECTED:
      return "Connected";
    case C.CONNECTION_STATE_RECONNECTING:
      return `Reconnecting${s.attempt ? ` (attempt ${s.attempt})` : ""}…`;
    case C.CONNECTION_STATE_DOWN:
      return "Not reachable";
    default:
      return "Connecting…";
  }
}

/** Runs one request, saying what happened (or why not) in the section's status line. */
function useRunner() {
  const [busy, setBusy] = useState("");
  const [said, setSaid] = useState({ text: "", error: false });
  /** @param {string} what @param {() => Promise<void>} fn @param {string} done */
  const run = async (what, fn, done) => {
    setBusy(what);
    setSaid({ text: `${what}…`, error: false });
    try {
      await fn();
      setSaid({ text: done, error: false });
    } catch (err) {
      setSaid({ text: err instanceof Error ? err.message : String(err), error: true });
    } finally {
      setBusy("");
    }
  };
  return { busy, said, run };
}

export function ServerSettings() {
  const s = server.value ?? {};
  const kept = settings.value;
  const { busy, said, run } = useRunner();
  const [url, setUrl] = useState("");
  const [password, setPassword] = useState("");
  const [dir, setDir] = useState("");
  const act = (
    /** @type {number} */ kind,
    /** @type {string} */ what,
    /** @type {string} */ done,
  ) => run(what, () => serverAction(kind), done);

  return html`
    <section class="settings-group server-settings" aria-labelledby="settings-server-title">
      <h3 id="settings-server-title" class="settings-heading">Server</h3>
      <dl class="server-facts">
        <dt>URL</dt><dd data-fact="url">${s.url || "none"}</dd>
        <dt>Version</dt><dd data-fact="version">${s.version || "unknown"}</dd>
        <dt>Started by</dt>
        <dd data-fact="owner">
          ${s.owned
            ? `this app${s.pid ? ` (process ${s.pid})` : ""}`
            : "another program (the app attached to it)"}
        </dd>
        ${s.directory
          ? html`
            <dt>Project directory</dt>
            <dd data-fact="directory">${s.directory}</dd>
          `
          : null}
        <dt>Connection</dt><dd data-fact="state">${stateText(s)}</dd>
        ${s.lastError || s.detail
          ? html`
            <dt>Last error</dt>
            <dd data-fact="error">${s.lastError || s.detail}</dd>
          `
          : null}
      </dl>
      <${ServerQuestion} />
      <div class="server-buttons">
        <button type="button" disabled=${!!busy}
          onClick=${() => act(A.SERVER_ACTION_RECONNECT, "Reconnecting", "Reconnected.")}>
          Reconnect</button>
        ${s.owned && !s.stopped
          ? html`
            <button type="button" disabled=${!!busy}
              onClick=${() => act(A.SERVER_ACTION_RESTART, "Restarting", "Restarted.")}>
              Restart</button>
            <button type="button" disabled=${!!busy}
              onClick=${() => act(A.SERVER_ACTION_STOP, "Stopping", "Stopped.")}>Stop</button>
          `
          : html`
            <button type="button" disabled=${!!busy}
              onClick=${() => act(A.SERVER_ACTION_START, "Starting", "Started.")}>
              ${s.owned || s.stopped ? "Start" : "Start a server of its own"}</button>
          `}
      </div>
      <form class="server-form" aria-label="Use another server"
        onSubmit=${(/** @type {Event} */ e) => {
          e.preventDefault();
          run("Checking the server", () => useServer(url, password), "Switched.").then(() =>
            setPassword("")
          );
        }}>
        <label>URL of another server
          <input type="url" value=${url} placeholder="http://127.0.0.1:4096" required
            onInput=${(/** @type {any} */ e) => setUrl(e.currentTarget.value)} /></label>
        <label>Password (optional)
          <input type="password" value=${password} autocomplete="off"
            onInput=${(/** @type {any} */ e) => setPassword(e.currentTarget.value)} /></label>
        <button type="submit" disabled=${!!busy || !url.trim()}>Use this server</button>
      </form>
      ${kept.serverUrl
        ? html`
          <p class="settings-hint">
            Kept for the next start: ${kept.serverUrl}${kept.serverPasswordSet
              ? " (with a password)"
              : ""}.
            <button type="button" disabled=${!!busy}
              onClick=${() =>
                run("Going back", () => useServer("", ""), "Back on a server of its own.")}>
              Forget it and use a server of its own</button>
          </p>
        `
        : null}
      <form class="server-form" aria-label="Start with this project directory"
        onSubmit=${(/** @type {Event} */ e) => {
          e.preventDefault();
          run("Starting", () => serverAction(A.SERVER_ACTION_START, dir), "Started.");
        }}>
        <label>Project directory
          <input type="text" value=${dir} placeholder=${s.directory || "/path/to/project"} required
            onInput=${(/** @type {any} */ e) => setDir(e.currentTarget.value)} /></label>
        <button type="submit" disabled=${!!busy ||
          !dir.trim()}>Start with this project directory</button>
      </form>
      <div class="settings-option">
        <label>
          <input type="checkbox" checked=${!kept.neverStartServer}
            onChange=${() =>
              saveSettings({ neverStartServer: !settings.value.neverStartServer })} />
          <span>Start a server when none is found</span>
        </label>
      </div>
      <p class=${`server-said${said.error ? " error" : ""}`} role="status" data-busy=${busy
        ? "true"
        : "false"}>
        ${said.text}</p>
    </section>
    <${ProviderSettings} />
  `;
}
