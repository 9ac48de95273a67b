/**
 * OpenCode 1.18.33 says `server.connected` on `/global/event` a moment before it listens, and
 * what happens in that moment never arrives (docs/opencode-api.md §5.1). A session another client
 * makes then must still reach the app's history, and nothing the app knew may go. A proxy in
 * front of the real OpenCode makes the moment long (it drops every event until told) and holds the
 * app's catch-up read until the session is made, as the moment always comes before it; `main.ts
 * --headless` as a child process, a WebSocket client in place of a window.
 */
import { assert, assertEquals, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { startAppProcess } from "./support/app_process.ts";
import { startLossyProxy } from "./support/lossy_proxy.ts";
import { createSession } from "./support/server_sessions.ts";
import { connect, request } from "./support/ws_client.ts";
import { CATCH_UP_SESSIONS } from "../core/state/sessions.ts";

Deno.test({
  name: "a session made while the event stream is deaf still reaches the history",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await using oc = await startOpencode();
    const known = await createSession(oc.url, "made before the app");
    const proxy = startLossyProxy(oc.url, {
      dropping: true,
      // The catch-up read: the only list read of that many sessions.
      hold: (r) =>
        r.startsWith("GET /session?") && new RegExp(`[?&]limit=${CATCH_UP_SESSIONS}(&|$)`).test(r),
    });
    const stateDir = await Deno.makeTempDir({ prefix: "gap-state-" });
    await using app = await startAppProcess({
      args: ["--headless", "--server", proxy.url, "--port", "0"],
      env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
    });
    try {
      const token = new URL(app.url).hash.replace("#token=", "");
      const port = Number(new URL(app.origin).port);
      const titles = async () => {
        const sock = await connect(port, { token });
        try {
          const reply = await request(sock, { hello: {} }, []);
          return (reply.snapshot?.sessions ?? []).map((s) => s.title ?? "").sort();
        } finally {
          sock.ws.close();
          await sock.closed;
        }
      };
      // The app has read the session list after its stream connected: the snapshot is done.
      await waitFor(async () => (await titles()).includes("made before the app"), "the snapshot");
      await waitFor(() => proxy.held() > 0, "the catch-up read began");
      const made = await createSession(oc.url, "made in the gap");
      await waitFor(() => proxy.dropped() > 0, "the proxy dropped the session's event");
      proxy.drop(false);
      proxy.release();
      await waitFor(
        async () => (await titles()).includes("made in the gap"),
        "the session made in the gap is in the history",
      );
      assertEquals(await titles(), ["made before the app", "made in the gap"], "nothing went");
      assert(made !== known);
    } finally {
      await proxy.close();
      await Deno.remove(stateDir, { recursive: true });
    }
  },
});
