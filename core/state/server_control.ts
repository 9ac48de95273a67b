/**
 * What the person can do to the server from the settings: reconnect; restart, stop and start a
 * server the app started; switch to another server (checked first) and back; start one in another
 * project directory. Every switch applies at once: the client, event stream and sessions follow
 * the new server and every window resyncs. What is kept for the next start is saved in the
 * settings; the kept server's password is a secret (its own file, never sent to a window).
 */
import { ipc } from "../../proto/gen/ipc.js";
import { passwordHeaders } from "../opencode/basic_auth.ts";
import type { OpencodeClient } from "../opencode/client.ts";
import { checkServer, normalizeServerUrl } from "../opencode/server_check.ts";
import type { Supervisor } from "../opencode/supervisor.ts";
import { writeServerPassword } from "../config/server_settings.ts";
import type { KeyKeeper } from "./key_keeper.ts";
import type { ServerStatus, Store } from "./store.ts";

const Kind = ipc.ServerActionKind;

export interface ServerControlOptions {
  store: Store;
  client: OpencodeClient;
  supervisor: Supervisor;
  keys: KeyKeeper;
  env: Record<string, string | undefined>;
  /** Where the kept server's password lives; null: it is not kept. */
  passwordFile: string | null;
  log: (line: string) => void;
}

/** One server to talk to, as {@link ServerControl} switches to it. */
interface Target {
  url: string;
  version: string;
  owned: boolean;
  pid?: number;
  password?: string;
  /** Known for a server the app started; else asked (`GET /path`). */
  directory?: string;
}

export class ServerControl {
  #opts: ServerControlOptions;
  /** Actions run one after another: a Stop and a Start clicked at once stay in order. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Set when windows must resync once the current action has replied. */
  #resyncReason = "";
  /** Every window must resync (set by the app once the bridge is up). */
  resync: (reason: string) => void = () => {};

  constructor(opts: ServerControlOptions) {
    this.#opts = opts;
  }

  /** Runs one action from the settings; resolves with the status after it. */
  act(kind: ipc.ServerActionKind, directory = ""): Promise<ServerStatus> {
    return this.#serial(async () => {
      switch (kind) {
        case Kind.SERVER_ACTION_RECONNECT:
          this.#opts.store.sessions.reconnect();
          break;
        case Kind.SERVER_ACTION_RESTART:
          this.#mustOwn("restart");
          await this.#launch(undefined);
          break;
        case Kind.SERVER_ACTION_STOP:
          this.#mustOwn("stop");
          await this.#opts.supervisor.halt();
          this.#status({ stopped: true, pid: 0 });
          break;
        case Kind.SERVER_ACTION_START:
          await this.#start(directory.trim() || undefined);
          break;
        case Kind.SERVER_ACTION_STORE_KEYS:
        case Kind.SERVER_ACTION_KEYS_NOT_NOW:
          await this.#opts.keys.answer(kind === Kind.SERVER_ACTION_STORE_KEYS);
          break;
        case Kind.SERVER_ACTION_ATTACH_ANYWAY:
          this.#status({ choice: "", otherDirectory: "" });
          break;
        default:
          throw new TypeError(`Cannot act on the server: unknown action ${kind}`);
      }
    });
  }

  /**
   * Switches to the server at `rawUrl` once it answers as OpenCode 1.x (else an Error "Cannot use
   * <url>: <why>" and nothing changes), and keeps it for the next start. An empty URL forgets the
   * kept server and goes back to one the app starts.
   */
  use(rawUrl: string, password: string): Promise<ServerStatus> {
    return this.#serial(async () => {
      if (!rawUrl.trim()) {
        await this.#keep("", "");
        await this.#start(undefined);
        return;
      }
      const url = normalizeServerUrl(rawUrl);
      const version = await checkServer(url, this.#headers(password));
      await this.#opts.supervisor.halt();
      await this.#switchTo({ url, version, owned: false, password: password || undefined });
      await this.#keep(url, password);
      this.#opts.log(`switched to OpenCode ${version} at ${url}`);
    });
  }

  #serial(fn: () => Promise<void>): Promise<ServerStatus> {
    const run = this.#queue.then(fn).finally(() => {
      // After the reply: a window that asked must hear "done" before its socket is closed.
      const reason = this.#resyncReason;
      this.#resyncReason = "";
      if (reason) setTimeout(() => this.resync(reason), 0);
    }).then(() => this.#opts.store.server);
    this.#queue = run.catch((err) => {
      const message = err instanceof Error ? err.message : String(err);
      this.#status({ lastError: message });
    });
    return run;
  }

  #mustOwn(what: string): void {
    if (!this.#opts.store.server.owned) {
      throw new TypeError(`Cannot ${what} the server: the app did not start it`);
    }
  }

  /** Starts a server of the app's own: again after Stop, in another directory, or instead of an attached one. */
  async #start(directory: string | undefined): Promise<void> {
    if (directory) await mustBeDirectory(directory);
    const s = this.#opts.store.server;
    const moving = directory !== undefined && directory !== s.directory;
    if (s.owned && !moving) return await this.#launch(undefined);
    const owned = await this.#opts.supervisor.launch(directory, !s.owned);
    const version = await checkServer(owned.url, this.#headers(this.#password()));
    await this.#switchTo({
      url: owned.url,
      version,
      owned: true,
      pid: owned.pid,
      password: this.#password(),
      directory: this.#opts.supervisor.dir,
    });
    if (s.owned === false) await this.#keep("", "");
    if (directory) this.#opts.store.workspace.setCoreSettings({ serverDirectory: directory });
    this.#opts.log(`started OpenCode ${version} at ${owned.url} in ${this.#opts.supervisor.dir}`);
  }

  /** (Re)starts the owned server on its port; the event stream reconnects to it. */
  async #launch(directory: string | undefined): Promise<void> {
    const owned = await this.#opts.supervisor.launch(directory);
    this.#status({ url: owned.url, pid: owned.pid, stopped: false, lastError: "" });
    this.#opts.store.sessions.reconnect();
  }

  async #switchTo(t: Target): Promise<void> {
    const { store, client, keys } = this.#opts;
    client.retarget(t.url, {
      password: t.password,
      username: this.#opts.env.OPENCODE_SERVER_USERNAME,
    });
    keys.reset();
    this.#status({
      url: t.url,
      version: t.version,
      owned: t.owned,
      pid: t.pid ?? 0,
      directory: t.directory ?? "",
      stopped: false,
      lastError: "",
      choice: "",
      otherDirectory: "",
      note: ipc.ServerNote.SERVER_NOTE_NONE,
      restarts: 0,
    });
    await store.sessions.restart(t.directory);
    this.#status({ directory: store.sessions.directory });
    this.#resyncReason = `The app now talks to ${t.url}`;
  }

  /** Keeps (or forgets, with "") the server for the next start, with its password. */
  async #keep(url: string, password: string): Promise<void> {
    const file = this.#opts.passwordFile;
    try {
      if (file) await writeServerPassword(file, url ? password : "");
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      // Like the settings in a read-only directory: kept until the app quits.
      this.#opts.log(`Cannot keep the server's password in ${file}: ${err.message}`);
    }
    this.#opts.store.workspace.setCoreSettings({
      serverUrl: url,
      serverPasswordSet: !!url && !!password,
    });
  }

  /** The password a server the app starts is given (the app's own environment's). */
  #password(): string | undefined {
    return this.#opts.env.OPENCODE_SERVER_PASSWORD || undefined;
  }

  #headers(password: string | undefined): Record<string, string> {
    return passwordHeaders(password, this.#opts.env.OPENCODE_SERVER_USERNAME);
  }

  #status(patch: Partial<ServerStatus>): void {
    this.#opts.store.status.update(patch);
  }
}

async function mustBeDirectory(path: string): Promise<void> {
  try {
    if ((await Deno.stat(path)).isDirectory) return;
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound || err instanceof Deno.errors.PermissionDenied)) {
      throw err;
    }
  }
  throw new TypeError(`Cannot start a server in ${path}: it is not a directory`);
}
