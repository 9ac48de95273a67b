/**
 * Anthropic's credential on the server: the API key (`ANTHROPIC_API_KEY`) or the subscription's
 * OAuth tokens, from `.env` or from what the server already stored. Switching puts the chosen one
 * on the server and disposes its instance so it takes effect, but never while a session works:
 * it waits until every session is idle. It keeps the facts the windows show (which credential is
 * live, when its token expires, where it came from, the core's clock) and never a secret.
 */
import { ipc } from "../../proto/gen/ipc.js";
import { redact } from "../config/env.ts";
import type { OpencodeClient } from "../opencode/client.ts";
import {
  disposeInstance,
  oauthFromEnv,
  type OAuthTokens,
  putApiKey,
  putOAuth,
  readStoredCredential,
  type StoredCredential,
} from "../opencode/anthropic_auth.ts";

export type SubscriptionStatus = ipc.SubscriptionStatus.$Properties;

const PROVIDER = "anthropic";
const Mode = ipc.AnthropicAuth;
const Live = ipc.LiveCredential;
const Source = ipc.CredentialSource;

export interface SubscriptionOptions {
  client: OpencodeClient;
  env: Record<string, string | undefined>;
  /** The server's auth store (`authStorePath`), or null when it is not on this machine. */
  storePath: string | null;
  /** OAuth tokens the server held before the app put an API key there. */
  held?: OAuthTokens | null;
  /** Resolves once no session is busy. */
  whenIdle: () => Promise<void>;
  emit: (status: SubscriptionStatus) => void;
  /** The clock (epoch ms). */
  now?: () => number;
}

export class Subscription {
  #opts: SubscriptionOptions;
  #chosen: ipc.AnthropicAuth = Mode.ANTHROPIC_AUTH_API_KEY;
  #stored: StoredCredential | null = null;
  /** The last OAuth tokens seen in the server's store: kept to switch back to them. */
  #serverTokens: OAuthTokens | null = null;
  /** Where the tokens put on the server came from. */
  #source: ipc.CredentialSource = Source.CREDENTIAL_SOURCE_NONE;
  #switching = 0;
  #error = "";
  /** Switches run one after another. */
  #queue: Promise<void> = Promise.resolve();

  constructor(opts: SubscriptionOptions) {
    this.#opts = opts;
    this.#serverTokens = opts.held ?? null;
  }

  #now(): number {
    return (this.#opts.now ?? Date.now)();
  }

  get #envTokens(): OAuthTokens | null {
    return oauthFromEnv(this.#opts.env);
  }

  get #apiKey(): string {
    return this.#opts.env.ANTHROPIC_API_KEY?.trim() ?? "";
  }

  /** The tokens a switch would use: of `.env` and the server's store, the later to expire. */
  #pickTokens(): { tokens: OAuthTokens; source: ipc.CredentialSource } | null {
    const env = this.#envTokens;
    const server = this.#serverTokens;
    if (server && (!env || server.expires >= env.expires)) {
      return { tokens: server, source: Source.CREDENTIAL_SOURCE_SERVER };
    }
    return env ? { tokens: env, source: Source.CREDENTIAL_SOURCE_ENV } : null;
  }

  #told = "";

  /** The facts for the windows. */
  status(): SubscriptionStatus {
    const s = this.#stored;
    const live = !this.#opts.storePath || !s
      ? Live.LIVE_CREDENTIAL_UNKNOWN
      : s.type === "oauth"
      ? Live.LIVE_CREDENTIAL_OAUTH
      : s.type === "api"
      ? Live.LIVE_CREDENTIAL_API_KEY
      : Live.LIVE_CREDENTIAL_NONE;
    const oauth = s?.type === "oauth";
    const source = !oauth
      ? Source.CREDENTIAL_SOURCE_NONE
      : this.#source || Source.CREDENTIAL_SOURCE_SERVER;
    return {
      chosen: this.#chosen,
      live,
      switching: this.#switching > 0,
      expiresAt: oauth ? s.tokens.expires : 0,
      now: this.#now(),
      source,
      hasApiKey: !!this.#apiKey,
      hasTokens: !!this.#pickTokens(),
      error: this.#error,
    };
  }

  /** Whether a message to `providerId` would go out with an expired subscription token. */
  expiredFor(providerId: string): boolean {
    const s = this.#stored;
    return providerId === PROVIDER && this.#chosen === Mode.ANTHROPIC_AUTH_SUBSCRIPTION &&
      s?.type === "oauth" && s.tokens.expires <= this.#now();
  }

  /** Reads the server's store again (the Refresh button, and after every switch). */
  async reread(): Promise<SubscriptionStatus> {
    const path = this.#opts.storePath;
    if (path) {
      try {
        this.#stored = await readStoredCredential(path, PROVIDER);
      } catch (err) {
        if (!(err instanceof Error)) throw err;
        this.#stored = null;
        this.#error = `Cannot read the server's credentials: ${err.message}`;
      }
      if (this.#stored?.type === "oauth") this.#serverTokens = this.#stored.tokens;
    }
    this.#tell();
    return this.status();
  }

  /**
   * At start, before any session runs: remembers the chosen mode and, for the subscription, puts
   * its tokens on the server (the API key went there with the other keys).
   */
  async start(chosen: ipc.AnthropicAuth): Promise<void> {
    this.#chosen = chosen;
    await this.reread();
    if (chosen === Mode.ANTHROPIC_AUTH_SUBSCRIPTION && this.#stored?.type !== "oauth") {
      await this.#apply();
    } else if (this.#stored?.type === "oauth" && this.#source === Source.CREDENTIAL_SOURCE_NONE) {
      this.#source = Source.CREDENTIAL_SOURCE_SERVER;
    }
  }

  /** Switches to `mode`: once every session is idle, the server gets that credential. */
  choose(mode: ipc.AnthropicAuth): Promise<void> {
    this.#chosen = mode;
    this.#switching++;
    this.#error = "";
    this.#tell();
    const run = this.#queue.then(async () => {
      try {
        await this.#opts.whenIdle();
        await this.#apply();
      } finally {
        this.#switching--;
        this.#tell();
      }
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Puts the chosen credential on the server and disposes its instance. */
  async #apply(): Promise<void> {
    const client = this.#opts.client;
    const subscription = this.#chosen === Mode.ANTHROPIC_AUTH_SUBSCRIPTION;
    const pick = this.#pickTokens();
    const secrets = [this.#apiKey, pick?.tokens.access ?? "", pick?.tokens.refresh ?? ""];
    try {
      if (subscription) {
        if (!pick) {
          throw new TypeError(
            "Cannot use the subscription: no ANTHROPIC_OAUTH_ACCESS, ANTHROPIC_OAUTH_REFRESH and " +
              "ANTHROPIC_OAUTH_EXPIRES in .env, and none stored on the server",
          );
        }
        await putOAuth(client, PROVIDER, pick.tokens);
        this.#source = pick.source;
      } else {
        if (!this.#apiKey) {
          throw new TypeError("Cannot use an API key for Anthropic: ANTHROPIC_API_KEY is not set");
        }
        await putApiKey(client, PROVIDER, this.#apiKey);
        this.#source = Source.CREDENTIAL_SOURCE_NONE;
      }
      await disposeInstance(client);
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      this.#error = redact(err.message, secrets);
    }
    await this.reread();
  }

  /** Tells the windows when a fact changed (the clock alone is no news). */
  #tell(): void {
    const status = this.status();
    const facts = JSON.stringify({ ...status, now: 0 });
    if (facts === this.#told) return;
    this.#told = facts;
    this.#opts.emit(status);
  }
}
