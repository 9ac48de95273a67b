/**
 * Provider keys on the server the app talks to: the `.env` sync at start (a key the server already
 * has is not re-sent; on a server the app did not start the person is asked first), keys entered
 * or removed in the settings, and the one instance reload they need, done once for a batch and
 * only while no session on the server is busy, so no reply of this or another client is cut off.
 * Keys are write-only: what leaves this file is a provider's last four characters at most.
 */
import { ipc } from "../../proto/gen/ipc.js";
import { type ProviderKey, redact } from "../config/env.ts";
import { type OpencodeClient, OpencodeError } from "../opencode/client.ts";
import type { OcProviderList } from "../opencode/types.ts";
import {
  type AuthMethods,
  type OcProviderCredentials,
  planKeySync,
  providerInfos,
  validProviderId,
} from "../opencode/provider_keys.ts";
import { KeyMarks } from "./key_marks.ts";

export type ServerPanel = ipc.ServerPanel.$Properties;
type SyncResult = ipc.KeySyncResult.$Properties;

const Outcome = ipc.KeySyncOutcome;
/** How often the server's session statuses are read while a reload waits for idle. */
const IDLE_POLL_MS = 300;

export interface KeyKeeperOptions {
  client: OpencodeClient;
  /** The panel changed: every window gets it. */
  emit: (panel: ServerPanel) => void;
  /** Whether the person must choose before keys are stored ("store-keys"), or not any more. */
  ask: (asking: boolean) => void;
  log: (line: string) => void;
  /** Which keys on the server the app stored (kept across restarts); in memory when absent. */
  marks?: KeyMarks;
  /**
   * The server's provider list, shared with the catalog (`fresh` reads it again); the client's
   * own read when absent.
   */
  providers?: (fresh: boolean) => Promise<OcProviderList>;
}

export class KeyKeeper {
  #opts: KeyKeeperOptions;
  #marks: KeyMarks;
  #report: SyncResult[] = [];
  #waiting: ProviderKey[] = [];
  #secrets = new Set<string>();
  #reload: Promise<void> | null = null;
  #reloadAgain = false;
  #generation = 0;

  constructor(opts: KeyKeeperOptions) {
    this.#opts = opts;
    this.#marks = opts.marks ?? new KeyMarks(null);
  }

  /**
   * Hands the `.env` keys to the server: per provider synced, failed or skipped (with why), or
   * waiting for the person's answer on a server the app did not start (`owned` false).
   */
  async syncAtStart(keys: ProviderKey[], owned: boolean): Promise<void> {
    for (const k of keys) this.#secrets.add(k.key);
    if (!keys.length) return;
    let connected = new Set<string>();
    try {
      const list = await this.#providers(false);
      connected = new Set(list.connected ?? []);
      // A .env key the server already holds (stored by an earlier run) is still the .env's.
      const held = serverKeys(list.all);
      for (const k of keys) {
        if (held.get(k.providerID) === k.key.trim()) {
          await this.#marks.mark(k.providerID, k.key, "dotenv");
        }
      }
    } catch (err) {
      if (!(err instanceof OpencodeError)) throw err;
      this.#report = keys.map((k) => ({
        providerId: k.providerID,
        outcome: Outcome.KEY_SYNC_FAILED,
        reason: `Cannot read the server's providers: ${this.#clean(err.message)}`,
      }));
      return this.#changed();
    }
    const byId = new Map(keys.map((k) => [k.providerID, k]));
    const send: ProviderKey[] = [];
    this.#report = planKeySync(keys, connected, owned).map((d) => {
      if (d.action === "send") send.push(byId.get(d.providerID)!);
      if (d.action === "ask") this.#waiting.push(byId.get(d.providerID)!);
      const outcome = d.action === "skip"
        ? Outcome.KEY_SYNC_SKIPPED
        : d.action === "ask"
        ? Outcome.KEY_SYNC_WAITING
        : d.action === "fail"
        ? Outcome.KEY_SYNC_FAILED
        : Outcome.KEY_SYNC_SYNCED;
      return { providerId: d.providerID, outcome, reason: d.reason };
    });
    await this.#store(send, "dotenv");
    if (this.#waiting.length) this.#opts.ask(true);
    this.#changed();
  }

  /** The person's answer to "store the .env keys on this server?". */
  async answer(store: boolean): Promise<void> {
    const waiting = this.#waiting.splice(0);
    this.#opts.ask(false);
    if (store) await this.#store(waiting, "dotenv");
    else {
      for (const k of waiting) {
        this.#result(k.providerID, Outcome.KEY_SYNC_SKIPPED, "not stored: you chose Not now");
      }
    }
    this.#changed();
  }

  /** Stores (or, with an empty key, removes) the key of one provider; reloads when idle. */
  async setKey(providerId: string, key: string): Promise<void> {
    if (!validProviderId(providerId)) {
      throw new TypeError(`Cannot store a key: ${JSON.stringify(providerId)} is not a provider id`);
    }
    const clean = key.trim();
    if (clean) {
      this.#secrets.add(clean);
      await this.#put(providerId, clean);
      await this.#marks.mark(providerId, clean, "entered");
    } else {
      await this.#opts.client.request("DELETE", `/auth/${providerId}`).catch((err) => {
        throw this.#cleanError(err);
      });
      await this.#marks.unmark(providerId);
    }
    this.#scheduleReload();
    this.#changed();
  }

  /** The server changed: what was known about the old one's keys goes. */
  reset(): void {
    this.#generation++;
    this.#report = [];
    this.#waiting = [];
    this.#opts.ask(false);
  }

  /** The providers, the start's sync report and whether a reload waits. */
  async panel(fresh = false): Promise<ServerPanel> {
    const client = this.#opts.client;
    const [list, methods] = await Promise.all([
      this.#providers(fresh),
      client.request<AuthMethods>("GET", "/provider/auth").catch((err) => {
        if (!(err instanceof OpencodeError)) throw err;
        return {} as AuthMethods;
      }),
    ]);
    return {
      providers: providerInfos(
        list.all as OcProviderCredentials[],
        list.connected ?? [],
        await this.#marks.known(serverKeys(list.all)),
        methods,
      ),
      keySync: [...this.#report],
      reloadWaiting: this.#reload !== null,
    };
  }

  /** Resolves once no reload is pending (tests and shutdown). */
  async settled(): Promise<void> {
    while (this.#reload) await this.#reload;
  }

  async #store(keys: ProviderKey[], from: "dotenv" | "entered"): Promise<void> {
    let stored = 0;
    for (const { providerID, key } of keys) {
      try {
        await this.#put(providerID, key);
        await this.#marks.mark(providerID, key, from);
        this.#result(providerID, Outcome.KEY_SYNC_SYNCED, "");
        stored++;
      } catch (err) {
        if (!(err instanceof OpencodeError)) throw err;
        this.#result(providerID, Outcome.KEY_SYNC_FAILED, err.message);
      }
    }
    if (stored) {
      this.#opts.log(`stored API keys for: ${keys.map((k) => k.providerID).join(", ")}`);
      this.#scheduleReload();
    }
  }

  async #put(providerId: string, key: string): Promise<void> {
    try {
      await this.#opts.client.request("PUT", `/auth/${providerId}`, { type: "api", key });
    } catch (err) {
      throw this.#cleanError(err);
    }
  }

  #result(providerId: string, outcome: ipc.KeySyncOutcome, reason: string): void {
    const entry = { providerId, outcome, reason: this.#clean(reason) };
    const at = this.#report.findIndex((r) => r.providerId === providerId);
    if (at >= 0) this.#report[at] = entry;
    else this.#report.push(entry);
  }

  /**
   * One `POST /instance/dispose` for every key change so far, once no session on the server is
   * busy (disposing aborts running replies, of this app and of every other client).
   */
  #scheduleReload(): void {
    if (this.#reload) {
      this.#reloadAgain = true;
      return;
    }
    const generation = this.#generation;
    this.#reload = (async () => {
      do {
        await this.#whenIdle(generation);
        if (generation !== this.#generation) return;
        // Changes made until now are covered by this reload; later ones need another.
        this.#reloadAgain = false;
        try {
          await this.#opts.client.request("POST", "/instance/dispose");
        } catch (err) {
          if (!(err instanceof OpencodeError)) throw err;
          this.#opts.log(`Cannot reload the server to apply keys: ${this.#clean(err.message)}`);
        }
      } while (this.#reloadAgain);
    })().finally(() => {
      this.#reload = null;
      this.#changed(true); // the reloaded server lists the keys' providers as connected
    });
  }

  async #whenIdle(generation: number): Promise<void> {
    while (generation === this.#generation) {
      try {
        const statuses = await this.#opts.client.sessionStatus();
        if (Object.values(statuses).every((s) => !s?.type || s.type === "idle")) return;
      } catch (err) {
        if (!(err instanceof OpencodeError)) throw err;
      }
      await new Promise((r) => setTimeout(r, IDLE_POLL_MS));
    }
  }

  #clean(text: string): string {
    return redact(text, this.#secrets);
  }

  #cleanError(err: unknown): unknown {
    if (!(err instanceof OpencodeError)) return err;
    return new OpencodeError(this.#clean(err.message), err.status, err.name_);
  }

  #providers(fresh: boolean): Promise<OcProviderList> {
    return this.#opts.providers?.(fresh) ?? this.#opts.client.providers();
  }

  #changed(fresh = false): void {
    this.panel(fresh).then(this.#opts.emit, (err) => {
      if (!(err instanceof OpencodeError)) throw err;
    });
  }
}

/** The key the server holds for each provider that carries one (`GET /provider` lists them). */
function serverKeys(all: unknown): Map<string, string> {
  const keys = new Map<string, string>();
  for (const p of (all ?? []) as { id?: string; key?: unknown }[]) {
    if (p.id && typeof p.key === "string" && p.key) keys.set(p.id, p.key);
  }
  return keys;
}
