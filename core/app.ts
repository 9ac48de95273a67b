/**
 * The composition root: find or start the OpenCode server, sync API keys, start the store and
 * the bridge. main.ts adds the command line and the window; tests call this directly.
 */
import { type Bridge, startBridge } from "./bridge/server.ts";
import { newToken } from "./bridge/auth.ts";
import { providerKeys } from "./config/env.ts";
import { OpencodeClient } from "./opencode/client.ts";
import { syncProviderKeys } from "./opencode/auth_sync.ts";
import { discover, type OwnedServer } from "./opencode/discover.ts";
import { Store } from "./state/store.ts";
import { VERSION } from "./version.ts";

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
  owned: OwnedServer | null;
  token: string;
  close(): Promise<void>;
}

export async function startApp(opts: AppOptions): Promise<App> {
  const log = opts.log ?? ((line: string) => console.error(`opencode-desk: ${line}`));
  const found = await discover({
    serverUrl: opts.serverUrl ?? undefined,
    dir: opts.dir,
    env: opts.env,
  });
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
  const store = new Store({
    client,
    owned: found.owned !== null,
    version: found.version,
    directory: found.owned ? opts.dir : undefined,
  });
  await store.start();
  const token = opts.token ?? newToken();
  let bridge: Bridge;
  try {
    bridge = await startBridge({
      store,
      token,
      host: opts.host,
      port: opts.port,
      app: { version: VERSION },
    });
  } catch (err) {
    await store.close();
    await found.owned?.stop();
    throw err;
  }
  let closing: Promise<void> | null = null;
  return {
    bridge,
    store,
    owned: found.owned,
    token,
    close() {
      closing ??= (async () => {
        await bridge.shutdown();
        await store.close();
        await found.owned?.stop();
      })();
      return closing;
    },
  };
}
