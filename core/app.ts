/**
 * The composition root: find or start the OpenCode server (its supervisor restarts it if it dies), sync API
 * keys, load the saved tabs and settings, start the store and the bridge. main.ts adds the command
 * line and the window; tests call this directly.
 */
import { type Bridge, startBridge } from "./bridge/server.ts";
import { TokenStore } from "./bridge/token_store.ts";
import { KeyMarks, keyMarksPath } from "./state/key_marks.ts";
import { isDirectory } from "./state/folders.ts";
import { providerKeys } from "./config/env.ts";
import { SettingsStore, statePath } from "./config/settings.ts";
import { passwordPath, readServerPassword } from "./config/server_settings.ts";
import { OpencodeClient } from "./opencode/client.ts";
import { authStorePath, isLoopback, storedOAuth } from "./opencode/anthropic_auth.ts";
import { chooseServer } from "./opencode/choose_server.ts";
import { DEFAULT_PORT, type OwnedServer } from "./opencode/discover.ts";
import { identifyServer, incompatibility } from "./opencode/server_kind.ts";
import { Supervisor } from "./opencode/supervisor.ts";
import { KeyKeeper } from "./state/key_keeper.ts";
import { ServerControl } from "./state/server_control.ts";
import { Store } from "./state/store.ts";
import { ipc } from "../proto/gen/ipc.js";
import { VERSION } from "./version.ts";
import { startVoice } from "./voice/start_voice.ts";
import { NotifySend } from "./window/notify_send.ts";

export interface AppOptions {
  host: string;
  port: number;
  /** More Host names browsers may use when serving beyond loopback (`--allow-host`). */
  allowHosts?: string[];
  serverUrl: string | null;
  dir: string;
  /** False: `dir` is only the working directory; the one kept in the settings wins. */
  dirGiven?: boolean;
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
  /** The settings' server section: actions, switching servers, provider keys. */
  control: ServerControl;
  keys: KeyKeeper;
  /** The browsers' token now (revoking it from the settings makes a new one). */
  readonly token: string;
  /** Brings the app's own window forward (main.ts sets it once the window is open). */
  raiseWindow?: () => void;
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
  client: OpencodeClient,
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
    const url = client.baseUrl;
    identifyServer(url, { headers: client.headers })
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
    dir: opts.dir, // the kept directory replaces it below, once the settings are read
    env: opts.env,
    log,
    onEvent: (e) => {
      store?.status.supervisor(e);
      if (e.kind === "restarted") {
        store?.status.update({ pid: supervisor.owned?.pid ?? 0 });
        store?.sessions.reconnect();
      }
    },
  });

  const settings = new SettingsStore(statePath(opts.env));
  const warning = await settings.load();
  if (warning) log(warning);
  const kept = settings.settings;
  const dir =
    opts.dirGiven === false && kept.serverDirectory && await isDirectory(kept.serverDirectory)
      ? kept.serverDirectory
      : opts.dir;
  const passwordFile = passwordPath(settings.path);
  if (dir !== opts.dir) supervisor.moveTo(dir);
  const chosen = await chooseServer({
    serverUrl: opts.serverUrl,
    dir,
    env: opts.env,
    kept: {
      url: kept.serverUrl ?? "",
      password: kept.serverUrl ? await readServerPassword(passwordFile) : undefined,
      neverStart: kept.neverStartServer === true,
    },
    onExit: supervisor.onExit,
    log,
  });
  const found = chosen.found;
  supervisor.adopt(found?.owned ?? null);
  if (found) {
    log(
      found.owned
        ? `started OpenCode ${found.version} at ${found.url}`
        : `attached to OpenCode ${found.version} at ${found.url}`,
    );
  }
  const client = new OpencodeClient(found?.url ?? `http://127.0.0.1:${DEFAULT_PORT}`, {
    password: chosen.password,
    username: opts.env.OPENCODE_SERVER_USERNAME,
  });
  // The server's auth store is readable only when it runs on this machine. Tokens it holds are
  // remembered before an API key replaces them, so the subscription can switch back to them.
  const storePath = found && isLoopback(found.url) ? authStorePath(opts.env) : null;
  const held = storePath ? await storedOAuth(storePath, "anthropic") : null;
  // In subscription mode Anthropic gets its OAuth tokens (Subscription.start), not the key.
  const subscription =
    settings.settings.anthropicAuth === ipc.AnthropicAuth.ANTHROPIC_AUTH_SUBSCRIPTION;
  store = new Store({
    client,
    owned: !!found?.owned,
    version: found?.version ?? "",
    directory: found?.owned ? dir : undefined,
    settings,
    auth: { env: opts.env, storePath, held },
  });
  const s0 = store;
  store.status.update({
    pid: found?.owned?.pid ?? 0,
    directory: found?.owned ? dir : "",
    stopped: found === null,
    lastError: chosen.lastError,
    choice: chosen.choice,
    otherDirectory: chosen.otherDirectory,
  });
  const keys = new KeyKeeper({
    client,
    emit: (serverPanel) => {
      s0.push({ serverPanel });
      // Keys stored or removed change what the subscription section says is live.
      s0.subscription.reread().catch((err) => log(`Cannot re-read the subscription: ${err}`));
    },
    ask: (asking) => {
      if (asking) s0.status.update({ choice: "store-keys" });
      else if (s0.server.choice === "store-keys") s0.status.update({ choice: "" });
    },
    log,
    marks: new KeyMarks(settings.unsaved ? null : keyMarksPath(settings.path)),
    providers: (fresh) => store.sessions.providerList(fresh),
  });
  const envKeys = providerKeys(opts.env).filter((k) =>
    !(subscription && k.providerID === "anthropic")
  );
  if (found) await keys.syncAtStart(envKeys, found.owned !== null);
  await store.subscription.start(settings.settings.anthropicAuth ?? 0);
  const control = new ServerControl({
    store,
    client,
    supervisor,
    keys,
    env: opts.env,
    passwordFile: settings.unsaved ? null : passwordFile,
    log,
  });
  await store.start();
  if (!found) store.status.update({ stopped: true, lastError: chosen.lastError });
  const unwatch = watchServerKind(store, client, log);
  const tokens = opts.token ?? await TokenStore.open(statePath(opts.env));
  if (typeof tokens !== "string" && tokens.warning) log(tokens.warning);
  const voiceStore = store;
  const voice = await startVoice({
    env: opts.env,
    settings: () => voiceStore.workspace.settings.voice ?? {},
  });
  // A clicked desktop notification shows its session in the app's window and brings it forward.
  const desktop = new NotifySend(log);
  let raise: (() => void) | undefined;
  let bridge: Bridge;
  try {
    bridge = await startBridge({
      store,
      token: tokens,
      tls: opts.tls,
      host: opts.host,
      port: opts.port,
      allowHosts: opts.allowHosts,
      desktop,
      onReveal: () => raise?.(),
      app: { version: VERSION, voice, server: { control, keys } },
    });
    control.resync = (reason) => bridge.resync(reason);
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
    control,
    keys,
    get token() {
      return typeof tokens === "string" ? tokens : tokens.current;
    },
    set raiseWindow(fn: (() => void) | undefined) {
      raise = fn;
    },
    close() {
      closing ??= (async () => {
        unwatch();
        keys.reset();
        // The owned server is told to stop first: when the rest takes longer than the exit
        // handler's grace, the app quits anyway, and the server must not outlive it.
        const server = supervisor.stop();
        await bridge.shutdown();
        await desktop.close();
        voice.close();
        await s.close();
        await server;
      })();
      return closing;
    },
  };
}
