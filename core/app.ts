/**
 * The composition root: find or start the OpenCode server (its supervisor restarts it if it dies), sync API
 * keys, load the saved tabs and settings, start the store and the bridge. main.ts adds the command
 * line and the window; tests call this directly.
 */
import { type Bridge, startBridge } from "./bridge/server.ts";
import { TokenStore } from "./bridge/token_store.ts";
import { providerKeys } from "./config/env.ts";
import { SettingsStore, statePath } from "./config/settings.ts";
import { OpencodeClient } from "./opencode/client.ts";
import { syncProviderKeys } from "./opencode/auth_sync.ts";
import { discover, type OwnedServer } from "./opencode/discover.ts";
import { identifyServer, incompatibility } from "./opencode/server_kind.ts";
import { Supervisor } from "./opencode/supervisor.ts";
import { Store } from "./state/store.ts";
import { ipc } from "../proto/gen/ipc.js";
import { VERSION } from "./version.ts";
import { startVoice } from "./voice/start_voice.ts";

export interface AppOptions {
  host: string;
  port: number;
  /** More Host names browsers may use when serving beyond loopback (`--allow-host`). */
  allowHosts?: string[];
  serverUrl: string | null;
  dir: string;
  env: Record<string, string | undefined>;
  /** A fixed browser token; absent: the one kept next to the state file (made at first start). */
  token?: string;
  /** Serve https (PEM text of the certificate and its key). */
  tls?: { cert: string; key: string };
  log?: (line: string) => void;
}

export interface App {
  bridge: Bridge;
  store: Store;
  /** The server this app started (the current one, after restarts), or null when attached. */
  readonly owned: OwnedServer | null;
  /** The browsers' token now (revoking it from the settings makes a new one). */
  readonly token: string;
  close(): Promise<void>;
}

const Conn = ipc.ConnectionState;

/**
 * While the event stream cannot reconnect, asks once per attempt what answers at the server's URL.
 * A server that is no longer OpenCode 1.x (upgraded to 2.x, or another program on the port) is
 * named in one sentence, in every status bar and once in the terminal, instead of only a retry
 * loop of HTTP errors. The note goes when the stream connects again.
 */
function watchServerKind(
  store: Store,
  url: string,
  headers: Record<string, string>,
  log: (line: string) => void,
): () => void {
  let attempt = -1;
  let said = "";
  let checking = false;
  return store.subscribe((push) => {
    if (!("serverStatus" in push)) return;
    const s = push.serverStatus;
    if (s.state === Conn.CONNECTION_STATE_CONNECTED) {
      // The status keeper clears the note itself once the stream connects again.
      attempt = -1;
      said = "";
      return;
    }
    const retrying = s.state === Conn.CONNECTION_STATE_RECONNECTING ||
      s.state === Conn.CONNECTION_STATE_DOWN;
    if (!retrying || checking || (s.attempt ?? 0) === attempt) return;
    attempt = s.attempt ?? 0;
    checking = true;
    identifyServer(url, { headers })
      .then((kind) => {
        // An unreachable server is what the retry loop already says.
        if (kind.kind === "opencode1" || kind.kind === "unreachable") return;
        const why = incompatibility(kind) ?? "";
        if (why === said) return;
        said = why;
        log(`Cannot use the server at ${url}: ${why}`);
        store.status.incompatible(why);
      })
      .catch((err) => log(`could not check what answers at ${url}: ${(err as Error).message}`))
      .finally(() => (checking = false));
  });
}

export async function startApp(opts: AppOptions): Promise<App> {
  const log = opts.log ?? ((line: string) => console.error(`opencode-desk: ${line}`));
  let closing: Promise<void> | null = null;
  let store: Store | null = null;
  const supervisor = new Supervisor({
    dir: opts.dir,
    env: opts.env,
    log,
    onEvent: (e) => {
      store?.status.supervisor(e);
      if (e.kind === "restarted") store?.sessions.reconnect();
    },
  });

  const found = await discover({
    serverUrl: opts.serverUrl ?? undefined,
    dir: opts.dir,
    env: opts.env,
    onExit: supervisor.onExit,
  });
  supervisor.adopt(found.owned);
  log(
    found.owned
      ? `started OpenCode ${found.version} at ${found.url}`
      : `attached to OpenCode ${found.version} at ${found.url}`,
  );
  const client = new OpencodeClient(found.url, {
    password: opts.env.OPENCODE_SERVER_PASSWORD,
    username: opts.env.OPENCODE_SERVER_USERNAME,
  });
  const keys = providerKeys(opts.env);
  if (keys.length) {
    const result = await syncProviderKeys(found.url, keys, fetch, client.headers);
    if (result.synced.length) log(`synced API keys for: ${result.synced.join(", ")}`);
    for (const f of result.failed) {
      log(`could not sync the API key for ${f.providerID}: ${f.error}`);
    }
  }
  const settings = new SettingsStore(statePath(opts.env));
  const warning = await settings.load();
  if (warning) log(warning);
  store = new Store({
    client,
    owned: found.owned !== null,
    version: found.version,
    directory: found.owned ? opts.dir : undefined,
    settings,
  });
  await store.start();
  const unwatch = watchServerKind(store, found.url, found.headers, log);
  const tokens = opts.token ?? await TokenStore.open(statePath(opts.env));
  if (typeof tokens !== "string" && tokens.warning) log(tokens.warning);
  const voiceStore = store;
  const voice = await startVoice({
    env: opts.env,
    settings: () => voiceStore.workspace.settings.voice ?? {},
  });
  let bridge: Bridge;
  try {
    bridge = await startBridge({
      store,
      token: tokens,
      tls: opts.tls,
      host: opts.host,
      port: opts.port,
      allowHosts: opts.allowHosts,
      app: { version: VERSION, voice },
    });
  } catch (err) {
    closing = Promise.resolve();
    unwatch();
    voice.close();
    await store.close();
    await supervisor.stop();
    throw err;
  }
  const s = store;
  return {
    bridge,
    store: s,
    get owned() {
      return supervisor.owned;
    },
    get token() {
      return typeof tokens === "string" ? tokens : tokens.current;
    },
    close() {
      closing ??= (async () => {
        unwatch();
        await bridge.shutdown();
        voice.close();
        await s.close();
        await supervisor.stop();
      })();
      return closing;
    },
  };
}
