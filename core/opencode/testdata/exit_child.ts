/**
 * Test support for installExitHandlers: starts an owned opencode server (bin and sandbox env come
 * in as JSON on argv), installs the exit handlers, prints `{"pid","url"}` and waits to be killed.
 */

import { installExitHandlers, spawnServer } from "../server_process.ts";

const { bin, dir, env } = JSON.parse(Deno.args[0]);
const server = await spawnServer({ bin, dir, env, clearEnv: true });
installExitHandlers(() => server.stop());
console.log(JSON.stringify({ pid: server.pid, url: server.url }));
setInterval(() => {}, 60_000);
