/**
 * The composition root: find or start the OpenCode server (and restart it if it dies), sync API
 * keys, load the saved tabs and settings, start the store and the bridge. main.ts adds the command
 * line and the window; tests call this directly.
 */
import { type Bridge, startBridge } from "./bridge/server.ts";
import { newToken } from "./bridge/auth.ts";
import { providerKeys } from "./config/env.ts";
import { SettingsStore, statePath } from "./config/settings.ts";
import { OpencodeClient } from "./opencode/client.ts";
import { syncProviderKeys } from "./opencode/auth_sync.ts";
import {
  discover,
  findOpencodeBinary,
  type OwnedServer,
  type ServerExit,
  spawnServer,
} from "./opencode/discover.ts";
import { Store } from "./state/store.ts";
import { VERSION } from "./version.ts";
import { startVoice } from "./voice/start_voice.ts";

export interface AppOptions {
  host: string;
  port: number;
  serverUrl: string | null;
  dir: string;
  env: Record<string, string | undefined>;
  token?: string;
  log?: (line: string) => void;
}

export interface App {
  bridge: Bridge;
  store: Store;
  /** The server this app started (the current one, after restarts), or null when attached. */
  readonly owned: OwnedServer | null;
  token: string;
  close(): Promise<void>;
}

const RESTART_DELAYS_MS = [0, 500, 2000, 5000];

export async function startApp(opts: AppOptions): Promise<App> {
  const log = opts.log ?? ((line: string) => console.error(`opencode-desk: ${line}`));
  let closing: Promise<void> | null = null;
  let store: Store | null = null;
  let owned: OwnedServer | null = null;
  let restarts = 0;
  let restarting: Promise<void> | null = null;

  // A server we started that exits on its own is started again on the same port, so the
  // event stream and every client simply reconnect.
  const onExit = (exit: ServerExit) => {
    if (exit.requested || closing) return;
    const port = owned ? Number(new URL(owned.url).port) : 0;
    log(`OpenCode exited unexpectedly (code ${exit.code}); restarting it`);
    store?.noteServer("OpenCode stopped unexpectedly; restarting it…");
    restarting = restart(port);
  };
  const restart = async (port: number) => {
    for (const delay of RESTART_DELAYS_MS) {
      await new Promise((r) => setTimeout(r, delay));
      if (closing) return;
      const bin = findOpencodeBinary(opts.env);
      if (!bin) break;
      try {
        const env = Object.fromEntries(
          Object.entries(opts.env).filter((e): e is [string, string] => e[1] !== undefined),
        );
        owned = await spawnServer({ bin, dir: opts.dir, env, port, onExit });
        if (closing) {
          // The app began to quit while the server started: it must not outlive the app.
          await owned.stop();
          return;
        }
        restarts++;
        log(`restarted OpenCode at ${owned.url}`);
        store?.noteServer(`OpenCode was restarted (${restarts}×)`);
        store?.reconnect();
        return;
      } catch (err) {
        log(`could not restart OpenCode: ${(err as Error).message}`);
      }
    }
    store?.noteServer("OpenCode stopped and could not be restarted");
  };

  const found = await discover({
    serverUrl: opts.serverUrl ?? undefined,
    dir: opts.dir,
    env: opts.env,
    onExit,
  });
  owned = found.owned;
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
  const token = opts.token ?? newToken();
  const voiceStore = store;
  const voice = await startVoice({
    env: opts.env,
    settings: () => voiceStore.settings().voice ?? {},
  });
  let bridge: Bridge;
  try {
    bridge = await startBridge({
      store,
      token,
      host: opts.host,
      port: opts.port,
      app: { version: VERSION, voice },
    });
  } catch (err) {
    closing = Promise.resolve();
    voice.close();
    await store.close();
    await owned?.stop();
    throw err;
  }
  const s = store;
  return {
    bridge,
    store: s,
    get owned() {
      return owned;
    },
    token,
    close() {
      closing ??= (async () => {
        await bridge.shutdown();
        voice.close();
        await s.close();
        await restarting;
        await owned?.stop();
      })();
      return closing;
    },
  };
}
