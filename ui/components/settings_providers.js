// @ts-check
/**
 * The providers of the server and their keys: connected first, a search box, the rest folded.
 * Each says whether it is connected and where its credential comes from; a key can be entered,
 * replaced or removed. Keys are write-only: the field is emptied once sent, and the core only
 * ever tells this window a key's last four characters. What the start did with the .env keys
 * is listed above (synced, failed, skipped, waiting, each with why).
 */
import { useEffect, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { ipc } from "../../proto/envelope.js";
import { refreshServerPanel, serverPanel, setProviderKey } from "../lib/server_link.js";
import { server } from "../state/store.js";

const S = ipc.KeySource;
const O = ipc.KeySyncOutcome;

/** @type {Record<number, string>} */
const SOURCE = {
  [S.KEY_SOURCE_DOTENV]: "key from the .env file",
  [S.KEY_SOURCE_ENTERED]: "key entered here",
  [S.KEY_SOURCE_STORE]: "key in the server's own store",
  [S.KEY_SOURCE_OAUTH]: "signed in (OAuth)",
  [S.KEY_SOURCE_ENV]: "key from the server's environment",
  [S.KEY_SOURCE_CONFIG]: "key in the server's config",
};
/** @type {Record<number, string>} */
const OUTCOME = {
  [O.KEY_SYNC_SYNCED]: "synced",
  [O.KEY_SYNC_FAILED]: "failed",
  [O.KEY_SYNC_SKIPPED]: "skipped",
  [O.KEY_SYNC_WAITING]: "waiting for your answer",
};
/** Removable from here: a key in the server's store, whoever put it there. */
const REMOVABLE = new Set([S.KEY_SOURCE_DOTENV, S.KEY_SOURCE_ENTERED, S.KEY_SOURCE_STORE]);

/**
 * One provider. What happened to a key is said by the list (a row moves between the connected
 * and the other providers when it does).
 * @param {{ p: ipc.ProviderInfo.$Properties, say: (text: string) => void }} props
 */
function ProviderRow({ p, say }) {
  const [editing, setEditing] = useState(false);
  const [key, setKey] = useState("");
  const name = p.name || p.id || "";
  const send = async (/** @type {string} */ value) => {
    say(value ? `Storing the key for ${name}…` : `Removing the key for ${name}…`);
    try {
      await setProviderKey(p.id ?? "", value);
      say(value ? `Key stored for ${name}.` : `Key removed for ${name}.`);
      setEditing(false);
    } catch (err) {
      say(err instanceof Error ? err.message : String(err));
    } finally {
      setKey("");
    }
  };
  const state = p.connected
    ? `Connected, ${SOURCE[p.source ?? 0] ?? "credential from the server"}${
      p.lastFour ? ` ending in ${p.lastFour}` : ""
    }`
    : "Not connected";
  return html`
    <li class="provider-row" data-provider=${p.id} data-connected=${p.connected ? "true" : "false"}>
      <span class="provider-name">${name}</span>
      <span class="provider-state">${state}</span>
      <span class="provider-actions">
        ${p.takesKey && !editing
          ? html`
            <button type="button" onClick=${() => setEditing(true)}
              aria-label=${`${p.connected ? "Replace" : "Enter"} the key of ${name}`}>
                          ${p.connected ? "Replace key" : "Enter key"}</button>
          `
          : null}
        ${p.connected && REMOVABLE.has(p.source ?? 0)
          ? html`
            <button type="button" onClick=${() => send("")}
              aria-label=${`Remove the key of ${name}`}>Remove key</button>
          `
          : null}
      </span>
      ${editing
        ? html`
          <form class="provider-key-form" onSubmit=${(/** @type {Event} */ e) => {
            e.preventDefault();
            if (key.trim()) send(key);
          }}>
            <label>API key for ${name}
              <input type="password" value=${key} autocomplete="off" spellcheck="false"
                onInput=${(/** @type {any} */ e) => setKey(e.currentTarget.value)} /></label>
            <button type="submit" disabled=${!key.trim()}>Save key</button>
            <button type="button" onClick=${() => (setEditing(false), setKey(""))}>Cancel</button>
          </form>
        `
        : null}
    </li>
  `;
}

export function ProviderSettings() {
  const panel = serverPanel.value;
  const [query, setQuery] = useState("");
  const [error, setError] = useState("");
  const [said, say] = useState("");
  const url = server.value?.url ?? "";
  useEffect(() => {
    refreshServerPanel().then(() => setError(""), (err) => setError(String(err?.message ?? err)));
  }, [url]);
  const q = query.trim().toLowerCase();
  const all = (panel?.providers ?? []).filter((p) =>
    !q || `${p.name} ${p.id}`.toLowerCase().includes(q)
  );
  const connected = all.filter((p) => p.connected);
  const rest = all.filter((p) => !p.connected);
  const report = panel?.keySync ?? [];
  return html`
    <section class="settings-group provider-settings" aria-labelledby="settings-providers-title">
      <h3 id="settings-providers-title" class="settings-heading">Providers and keys</h3>
      ${report.length
        ? html`
          <ul class="key-sync" aria-label="API keys from the .env file">
            ${report.map((r) =>
              html`<li key=${r.providerId} data-outcome=${OUTCOME[r.outcome ?? 0]}>
                ${r.providerId}: ${OUTCOME[r.outcome ?? 0]}${r.reason ? ` (${r.reason})` : ""}</li>`
            )}
          </ul>
        `
        : null}
      ${panel?.reloadWaiting
        ? html`<p class="settings-hint" role="status">
            The keys take effect once no session on the server is busy.</p>`
        : null}
      ${error ? html`<p class="server-said error" role="status">${error}</p>` : null}
      <p class="provider-said" role="status">${said}</p>
      <input type="search" class="provider-search" aria-label="Search providers"
        placeholder="Search providers" value=${query}
        onInput=${(/** @type {any} */ e) => setQuery(e.currentTarget.value)} />
      <ul class="provider-list" aria-label="Connected providers">
        ${connected.map((p) => html`<${ProviderRow} key=${p.id} p=${p} say=${say} />`)}
      </ul>
      ${rest.length
        ? html`
          <details class="provider-more" open=${!!q || rest.length <= 8}>
            <summary>Other providers (${rest.length})</summary>
            <ul class="provider-list" aria-label="Other providers">
              ${rest.map((p) => html`<${ProviderRow} key=${p.id} p=${p} say=${say} />`)}
            </ul>
          </details>
        `
        : null}
    </section>
  `;
}
