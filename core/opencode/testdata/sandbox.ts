/**
 * Test support: a throwaway HOME/XDG sandbox and offline environment for the real opencode binary
 * (docs/opencode-api.md §2.1), so tests never touch the user's config, auth or network. Private to
 * core/opencode tests; tests/support/opencode_server.ts is the shared fixture for the rest of the
 * app.
 */

import { fileURLToPath } from "node:url";
import { offlineEnv } from "../../../tests/support/opencode_server.ts";

/** The real opencode binary installed by build/tools/package.json. */
export const OPENCODE_BIN = fileURLToPath(
  new URL("../../../build/tools/node_modules/opencode-ai/bin/opencode.exe", import.meta.url),
);

/** Set by `deno task test:unit`: the tests that start the real server are skipped. */
export const UNIT_ONLY = Deno.env.get("OPENCODE_DESK_UNIT_ONLY") === "1";

/** A temp directory with a project dir and the env that confines opencode to it. */
export interface Sandbox extends AsyncDisposable {
  root: string;
  /** An empty project directory to start the server in. */
  project: string;
  /** `$XDG_DATA_HOME/opencode`, where auth.json and the DB go. */
  dataDir: string;
  /** The complete environment for the server (use with `clearEnv: true`). */
  env: Record<string, string>;
}

/**
 * Creates a sandbox whose opencode.json is `config` (default: no providers beyond the built-in
 * ones); dispose it (after stopping the server) to delete it.
 */
export async function createSandbox(
  config: Record<string, unknown> = { autoupdate: false, share: "disabled" },
): Promise<Sandbox> {
  const root = await Deno.makeTempDir({ prefix: "opencode-desk-test-" });
  const home = `${root}/home`;
  const project = `${root}/project`;
  await Deno.mkdir(project, { recursive: true });
  await Deno.writeTextFile(`${root}/opencode.json`, JSON.stringify(config));

  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    ...offlineEnv(home, `${root}/opencode.json`),
  };
  return {
    root,
    project,
    dataDir: `${home}/.local/share/opencode`,
    env,
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}
