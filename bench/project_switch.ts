/**
 * Switching projects: how long `ShowProject` takes to answer for a directory the core opens for
 * the first time (the server makes that directory's instance, the core reads its sessions and
 * pending requests) next to switching back to one it holds (the baseline: no server call).
 * A real `opencode serve` (one server, many directories) and `main.ts --headless`; the requests go
 * over the app's WebSocket like a window's. Run with
 * `deno run --allow-all bench/project_switch.ts`. It prints figures; it asserts nothing.
 * @module
 */
import { startOpencode } from "../tests/support/opencode_server.ts";
import { startAppProcess } from "../tests/support/app_process.ts";
import { connect, request } from "../tests/support/ws_client.ts";
import { median } from "./support.ts";

const PROJECTS = 6;
const SWITCHES = 30;

const oc = await startOpencode({});
const stateDir = await Deno.makeTempDir({ prefix: "bench-projects-" });
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});
try {
  const token = new URL(app.url).hash.replace(/^#token=/, "");
  const ws = await connect(Number(new URL(app.origin).port), { token });
  const pushes: unknown[] = [];
  await request(ws, { hello: {} }, []);
  const dirs: string[] = [];
  for (let i = 0; i < PROJECTS; i++) {
    const dir = `${oc.sandbox}/bench-${i}`;
    await Deno.mkdir(dir);
    dirs.push(dir);
  }
  /** Milliseconds from sending ShowProject to its reply. */
  const show = async (directory: string) => {
    const t0 = performance.now();
    const reply = await request(ws, { showProject: { directory } }, pushes as never[]);
    if (reply.error) throw new Error(reply.error.message ?? "");
    return performance.now() - t0;
  };
  const first: number[] = [];
  for (const dir of dirs) first.push(await show(dir));
  const known: number[] = [];
  for (let i = 0; i < SWITCHES; i++) known.push(await show(dirs[i % dirs.length]));
  const fmt = (xs: number[]) =>
    `median ${median(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
  console.log(`ShowProject, first open of a directory (${PROJECTS}): ${fmt(first)}`);
  console.log(`ShowProject, a project the core holds (${SWITCHES}, baseline): ${fmt(known)}`);
  ws.ws.close();
  await ws.closed;
} finally {
  await app.stop();
  await oc.stop();
  await Deno.remove(stateDir, { recursive: true });
}
