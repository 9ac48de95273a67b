// @ts-check
/**
 * Settings → Anthropic: the API key or the subscription (OAuth tokens from `.env` or stored on
 * the server). The core puts the chosen credential on the server once no session is working and
 * says which one is live; this shows it, the token's countdown, a Refresh that re-reads what the
 * server stored, and the server's own sign-in where it offers one for Anthropic.
 */
import { useEffect, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { call, saveSettings } from "../state/actions.js";
import { loadSubscription, subscription } from "../state/subscription.js";
import { AnthropicAuth, CredentialSource, LiveCredential } from "../state/words.js";
import { ExpiryCountdown } from "./expiry_countdown.js";

/** @typedef {import("../../proto/envelope.js").ipc.ProviderAuthMethod.$Properties} Method */
/** @typedef {import("../../proto/envelope.js").ipc.OAuthAuthorization.$Properties} Authorization */

const PROVIDER = "anthropic";

const LIVE = {
  unknown: "unknown (the server's credential store is not on this machine)",
  none: "no credential",
  "api-key": "the API key",
  oauth: "the subscription",
};
const SOURCE = { none: "", env: " (tokens from .env)", server: " (tokens the server stored)" };

/** The server's own OAuth sign-in for Anthropic, where it offers one. */
function ServerSignIn() {
  const [methods, setMethods] = useState(/** @type {Method[]} */ ([]));
  const [flow, setFlow] = useState(
    /** @type {{ method: number, auth: Authorization } | null} */ (null),
  );
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    call({ getProviderAuth: { providerId: PROVIDER } }).then((r) =>
      setMethods(
        (r?.providerAuth?.providers?.[0]?.methods ?? []).filter((m) => m.type === "oauth"),
      )
    );
  }, []);
  if (!methods.length) return null;
  /** @param {number} method */
  const start = async (method) => {
    const r = await call({ startOauth: { providerId: PROVIDER, method } });
    if (r?.oauthAuthorization) setFlow({ method, auth: r.oauthAuthorization });
  };
  const finish = async () => {
    if (!flow) return;
    setBusy(true);
    const r = await call({ finishOauth: { providerId: PROVIDER, method: flow.method, code } });
    setBusy(false);
    if (r) {
      setFlow(null);
      setCode("");
      saveSettings({ anthropicAuth: AnthropicAuth.value("subscription") });
    }
  };
  return html`
    <div class="server-sign-in">
      ${methods.map((m) =>
        html`<button type="button" key=${m.index} onClick=${() => start(m.index ?? 0)}>
          Sign in: ${m.label}
        </button>`
      )}
      ${flow
        ? html`
          <p>
            <a href=${flow.auth.url} target="_blank" rel="noopener noreferrer">Open the sign-in
              page</a>${flow.auth.instructions ? ` — ${flow.auth.instructions}` : ""}
          </p>
          ${flow.auth.method === "code"
            ? html`<label>Code from the sign-in page <input type="text" value=${code}
                autocomplete="off" onInput=${(/** @type {InputEvent} */ e) =>
              setCode(/** @type {HTMLInputElement} */ (e.currentTarget).value)} /></label>`
            : null}
          <button type="button" disabled=${busy} onClick=${finish}>
            ${busy ? "Waiting for the server…" : "Done"}
          </button>
        `
        : null}
    </div>
  `;
}

export function SubscriptionSettings() {
  const s = subscription.value?.status;
  const chosen = AnthropicAuth.word(s?.chosen);
  const live = LiveCredential.word(s?.live);
  const source = CredentialSource.word(s?.source);
  const [refreshing, setRefreshing] = useState(false);
  const refresh = async () => {
    setRefreshing(true);
    await loadSubscription(true);
    setRefreshing(false);
  };
  /** @param {"api-key" | "subscription"} word */
  const choose = (word) => saveSettings({ anthropicAuth: AnthropicAuth.value(word) });
  return html`
    <fieldset class="settings-group subscription-settings">
      <legend>Anthropic</legend>
      <div class="settings-option">
        <label>
          <input type="radio" name="setting-anthropic" value="api-key"
            checked=${chosen === "api-key"} onChange=${() => choose("api-key")} />
          <span>API key</span>
        </label>
        <span class="settings-hint">${s?.hasApiKey
          ? "ANTHROPIC_API_KEY"
          : "no ANTHROPIC_API_KEY set"}</span>
      </div>
      <div class="settings-option">
        <label>
          <input type="radio" name="setting-anthropic" value="subscription"
            checked=${chosen === "subscription"} onChange=${() => choose("subscription")} />
          <span>Subscription</span>
        </label>
        <span class="settings-hint">${s?.hasTokens
          ? "OAuth tokens from .env or the server"
          : "no tokens in .env or on the server"}</span>
      </div>
      <p class="subscription-live" role="status">
        ${s?.switching
          ? "Switching: waiting until no session is working…"
          : `In use on the server: ${LIVE[live]}${live === "oauth" ? SOURCE[source] : ""}`}
      </p>
      <div class="subscription-expiry">
        <${ExpiryCountdown} />
        ${chosen === "subscription"
          ? html`<button type="button" disabled=${refreshing} onClick=${refresh}>
            ${refreshing ? "Refreshing…" : "Refresh"}
          </button>`
          : null}
      </div>
      ${s?.error ? html`<p class="dialog-error" role="alert">${s.error}</p>` : null}
      <${ServerSignIn} />
    </fieldset>
  `;
}
