/**
 * The app attached to an OpenCode 1.x server that turns into something it cannot speak to (an
 * upgrade to 2.x on the same port): one sentence in every status bar and once in the terminal,
 * and it goes when a 1.x server is back. The core in-process (`startApp`) against small fake
 * servers on port 0, a WebSocket client in place of the UI.
 */
import { assert, assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { startChangingServer } from "./support/foreign_servers.ts";
import { connect, request } from "./support/ws_client.ts";
import { startApp } from "../core/app.ts";
import { ipc } from "../proto/envelope.js";

const SENTENCE = "it is OpenCode 2.3.2; this version of the app speaks the OpenCode 1.x API";

Deno.test("app names a server that turned into OpenCode 2.x, in the status and the terminal", async () => {
  await using server = startChangingServer();
  const lines: string[] = [];
  const app = await startApp({
    host: "127.0.0.1",
    port: 0,
    serverUrl: server.url,
    dir: Deno.cwd(),
    env: { OPENCODE_DESK_STATE: `${await Deno.makeTempDir()}/state.json` },
    log: (line) => lines.push(line),
  });
  try {
    await waitFor(
      () => app.store.server.state === ipc.ConnectionState.CONNECTION_STATE_CONNECTED,
      "connected to the 1.x server",
    );
    const ui = await connect(Number(new URL(app.bridge.url).port), { token: app.token });
    await request(ui, { hello: {} }, []);
    server.becomeOpencode2("2.3.2");
    // A window sees the sentence in a status push.
    const expected = `Cannot use the server at ${server.url}: ${SENTENCE}`;
    const deadline = Date.now() + 20_000;
    let shown = false;
    while (!shown && Date.now() < deadline) {
      const s = (await ui.next()).serverStatus;
      shown = s?.note === ipc.ServerNote.SERVER_NOTE_INCOMPATIBLE && s.detail === SENTENCE;
    }
    assert(shown, "a status push says why the server cannot be used");
    assertMatch(app.store.server.detail ?? "", new RegExp(SENTENCE.replace(/[.()]/g, "\\$&")));
    // The terminal says it once, however many reconnect attempts follow.
    await waitFor(() => (app.store.server.attempt ?? 0) >= 2, "a second attempt", 20_000);
    assertEquals(lines.filter((l) => l.includes(SENTENCE)), [expected]);
    // Back to 1.x: the stream connects again and the sentence goes.
    server.becomeOpencode1();
    app.store.sessions.reconnect();
    await waitFor(
      () =>
        app.store.server.state === ipc.ConnectionState.CONNECTION_STATE_CONNECTED &&
        app.store.server.note === ipc.ServerNote.SERVER_NOTE_NONE && !app.store.server.detail,
      "connected again, without the sentence",
      20_000,
    );
    ui.ws.close();
    await ui.closed;
  } finally {
    await app.close();
  }
});
