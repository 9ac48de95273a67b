/**
 * The bridge over real sockets: who may connect, what happens to bad frames, and that every
 * request gets exactly its own reply. The OpenCode server is unreachable on purpose here: the
 * bridge must answer with typed errors, not hang or crash.
 */
import { assert, assertEquals } from "./support/assert.ts";
import { encodeClient, ipc, MAX_CLIENT_FRAME_BYTES } from "../proto/envelope.js";
import { connect as connectAs } from "./support/ws_client.ts";
import { rawRequest } from "./support/raw_http.ts";
import { startBridge } from "../core/bridge/server.ts";
import { OpencodeClient } from "../core/opencode/client.ts";
import { Store } from "../core/state/store.ts";

const TOKEN = "test-token-123";

async function withBridge(fn: (origin: string, port: number) => Promise<void>): Promise<void> {
  // Port 9 (discard) on loopback: nothing listens, so every upstream call fails fast.
  const store = new Store({ client: new OpencodeClient("http://127.0.0.1:9"), owned: false });
  const bridge = await startBridge({
    store,
    token: TOKEN,
    host: "127.0.0.1",
    port: 0,
    app: { version: "test" },
  });
  try {
    await fn(bridge.origin, bridge.port);
  } finally {
    await bridge.shutdown();
    await store.close();
  }
}

function connect(port: number, opts: { token?: string | null; origin?: string | null } = {}) {
  return connectAs(port, { token: TOKEN, ...opts });
}

async function refused(port: number, opts: { token?: string | null; origin?: string | null }) {
  const err = await connect(port, opts).then(
    (o) => {
      o.ws.close();
      return null;
    },
    (e: Error) => e,
  );
  assert(err, "the socket must be refused");
  assert(/403/.test(err.message), `expected a 403 refusal, got: ${err.message}`);
}

Deno.test("bridge refuses a socket without a token", async () => {
  await withBridge(async (_, port) => await refused(port, { token: null }));
});

Deno.test("bridge refuses a socket with a wrong token", async () => {
  await withBridge(async (_, port) => await refused(port, { token: "nope" }));
});

Deno.test("bridge refuses a foreign Origin even with the right token", async () => {
  await withBridge(async (_, port) => {
    await refused(port, { origin: "http://evil.example" });
    await refused(port, { origin: `http://localhost:${port + 1}` });
    await refused(port, { origin: null });
  });
});

Deno.test("bridge refuses a DNS-rebinding Host on loopback", async () => {
  await withBridge(async (_, port) => {
    // fetch() would overwrite Host, so speak HTTP by hand.
    const status = async (host: string) => (await rawRequest(port, "/", [`Host: ${host}`])).status;
    assertEquals(await status(`evil.example:${port}`), 403);
    assertEquals(await status(`localhost:${port}`), 200);
  });
});

Deno.test("bridge answers hello with a snapshot and correlates replies by id", async () => {
  await withBridge(async (_, port) => {
    const { ws, next } = await connect(port);
    ws.send(encodeClient({ requestId: 7, hello: { client: "test" } }));
    ws.send(encodeClient({ requestId: 8, openSession: { sessionId: "ses_x" } }));
    ws.send(encodeClient({ requestId: 9, openSession: {} }));
    const replies = new Map<number, ipc.ServerMessage>();
    while (replies.size < 3) {
      const m = await next();
      if (m.requestId) replies.set(m.requestId, m);
    }
    assertEquals(replies.get(7)!.payload, "snapshot");
    assertEquals(replies.get(7)!.snapshot!.appVersion, "test");
    // The server is unreachable: a typed error, not a hang.
    assertEquals(replies.get(8)!.error!.code, ipc.ErrorCode.ERROR_CODE_UNAVAILABLE);
    assertEquals(replies.get(9)!.error!.code, ipc.ErrorCode.ERROR_CODE_BAD_REQUEST);
    ws.close();
  });
});

Deno.test("bridge answers a text frame, garbage bytes and a request without id, and lives on", async () => {
  await withBridge(async (_, port) => {
    const { ws, next } = await connect(port);
    ws.send("hello?");
    const a = await next();
    assertEquals(a.error?.code, ipc.ErrorCode.ERROR_CODE_BAD_FRAME);
    assert(a.error!.message!.includes("binary"), a.error!.message!);
    ws.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0x08]));
    const b = await next();
    assertEquals(b.error?.code, ipc.ErrorCode.ERROR_CODE_BAD_FRAME);
    assert(b.error!.message!.startsWith("Cannot decode frame"), b.error!.message!);
    ws.send(encodeClient({ hello: {} }));
    const c = await next();
    assertEquals(c.error?.code, ipc.ErrorCode.ERROR_CODE_BAD_REQUEST);
    // Still serving on the same socket.
    ws.send(encodeClient({ requestId: 1, hello: {} }));
    assertEquals((await next()).payload, "snapshot");
    ws.close();
  });
});

Deno.test("bridge closes a socket that sends an oversize frame; others are unaffected", async () => {
  await withBridge(async (_, port) => {
    const bystander = await connect(port);
    const { ws, next, closed } = await connect(port);
    ws.send(new Uint8Array(MAX_CLIENT_FRAME_BYTES + 1));
    const err = await next();
    assertEquals(err.error?.code, ipc.ErrorCode.ERROR_CODE_BAD_FRAME);
    assertEquals((await closed).code, 4001);
    bystander.ws.send(encodeClient({ requestId: 3, hello: {} }));
    assertEquals((await bystander.next()).requestId, 3);
    bystander.ws.close();
  });
});

Deno.test("bridge serves the page with a CSP and only listed files", async () => {
  await withBridge(async (origin) => {
    const page = await fetch(origin + "/");
    const html = await page.text();
    const csp = page.headers.get("content-security-policy") ?? "";
    assert(html.includes('<script type="importmap">'), "import map inlined");
    assert(csp.includes("script-src 'self' 'sha256-"), csp);
    assert(!csp.includes("unsafe-eval"), csp);
    for (
      const path of [
        "/vendor/preact.mjs",
        "/vendor/protobuf.mjs",
        "/proto/gen/ipc.js",
        "/ui/main.js",
      ]
    ) {
      const res = await fetch(origin + path);
      await res.body?.cancel();
      assertEquals(res.status, 200, path);
    }
    for (
      const path of [
        "/vendor/../deno.json",
        "/ui/%2e%2e/deno.json",
        "/ui/..%2fmain.ts",
        "/node_modules/preact/package.json",
        "/main.ts",
      ]
    ) {
      const res = await fetch(origin + path);
      await res.body?.cancel();
      assertEquals(res.status, 404, path);
    }
  });
});
