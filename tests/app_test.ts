/**
 * The core against the real OpenCode server (fake model only): attaching, discovery, streaming
 * through the bridge, provider errors, and the lifecycle of a server the app starts itself.
 */
import { assert, assertEquals, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { createSandbox } from "./support/opencode_server.ts";
import { startFakeModel } from "./support/fake_model.ts";
import { alive, childPids, startAppProcess } from "./support/app_process.ts";
import { connect, type Opened, request } from "./support/ws_client.ts";
import { startApp } from "../core/app.ts";
import { ipc } from "../proto/envelope.js";

const BIN = new URL("../build/tools/node_modules/opencode-ai/bin/opencode.exe", import.meta.url)
  .pathname;
const quiet = () => {};

function opencodeChildren(pid: number): number[] {
  return childPids(pid).filter((p) => {
    try {
      return Deno.readTextFileSync(`/proc/${p}/cmdline`).includes("opencode");
    } catch {
      return false;
    }
  });
}

// OPENCODE_DESK_NO_DISCOVERY=1 makes the app start its own server even when others run on this
// machine (they would be attached to otherwise; see the discovery test below).
Deno.test("app starts its own server, and stops it on SIGTERM and SIGINT", async () => {
  await using model = await startFakeModel();
  const sandbox = await createSandbox({ modelUrl: model.url });
  try {
    const env = {
      ...sandbox.env,
      PATH: Deno.env.get("PATH") ?? "",
      OPENCODE_BIN: BIN,
      OPENCODE_DESK_NO_DISCOVERY: "1",
    };
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const app = await startAppProcess({
        args: ["--headless", "--dir", sandbox.dir],
        env,
        cwd: sandbox.dir,
      });
      const started = app.output().find((l) => l.includes("started OpenCode"));
      assert(started, `the app says it started a server:\n${app.output().join("\n")}`);
      const [server] = await waitFor(() => opencodeChildren(app.pid), "the owned opencode process");
      assert(alive(server));
      // The server it started answers and works in the chosen directory.
      const url = started.match(/at (http\S+)/)![1];
      const path = await (await fetch(`${url}/path`)).json();
      assertEquals(path.directory, sandbox.dir);
      app.child.kill(signal);
      await app.exited;
      await waitFor(() => !alive(server), `opencode ${server} gone after ${signal}`, 10_000);
    }
  } finally {
    await sandbox.remove();
  }
});

const oc = await startOpencode({ tokenDelayMs: 5 });
// The server is shared by the tests below (so Deno's sanitizers are off for them) and stopped
// after the last one.
const opts = { sanitizeOps: false, sanitizeResources: false };
Deno.test.afterAll(async () => {
  await oc.stop();
  assert(!alive(oc.pid), "the shared opencode server stopped");
});

/** Starts the app in-process attached to the shared server and opens a socket that said hello. */
async function withClient(
  fn: (
    c: { app: Awaited<ReturnType<typeof startApp>>; sock: Opened; pushes: ipc.ServerMessage[] },
  ) => Promise<void>,
): Promise<void> {
  const app = await startApp({
    host: "127.0.0.1",
    port: 0,
    serverUrl: oc.url,
    dir: oc.dir,
    env: oc.env,
    log: quiet,
  });
  try {
    const sock = await connect(app.bridge.port, { token: app.token });
    const pushes: ipc.ServerMessage[] = [];
    try {
      await fn({ app, sock, pushes });
    } finally {
      sock.ws.close();
    }
  } finally {
    await app.close();
  }
}

Deno.test({
  name: "app discovers a running local server without being told where",
  ...opts,
  fn: async () => {
    // The fixture binds OpenCode's default port when it is free, else it is found by its process;
    // on a busy machine another running server may be found first. Either way the app attaches
    // to a live server and owns nothing (no binary to start one: OPENCODE_BIN is bogus).
    const app = await startApp({
      host: "127.0.0.1",
      port: 0,
      serverUrl: null,
      dir: oc.dir,
      env: { ...oc.env, OPENCODE_BIN: "/nonexistent" },
      log: quiet,
    });
    try {
      assertEquals(app.owned, null);
      const health = await (await fetch(`${app.store.sessions.client.baseUrl}/global/health`))
        .json();
      assertEquals(health.healthy, true);
      if (new URL(oc.url).port === "4096") assertEquals(app.store.sessions.client.baseUrl, oc.url);
    } finally {
      await app.close();
    }
  },
});

Deno.test({
  name: "app streams a reply through the bridge in order, equal to what the server stored",
  ...opts,
  fn: async () => {
    await withClient(async ({ app, sock, pushes }) => {
      const hello = await request(sock, { hello: {} }, pushes);
      // Connected, and the core's snapshot read (the catalog follows it): events flow live now.
      await waitFor(
        () =>
          app.store.server.state === ipc.ConnectionState.CONNECTION_STATE_CONNECTED &&
          (app.store.sessions.catalog.agents?.length ?? 0) > 0,
        "event stream connected and read",
      );
      assertEquals(hello.snapshot?.server?.version, "1.18.33");
      const session = {
        id: (await request(sock, { createSession: {} }, pushes)).workspace!.shownSessionId!,
      };
      await request(sock, { openSession: { sessionId: session.id } }, pushes);
      const tokens = Array.from({ length: 40 }, (_, i) => `w${i} `);
      oc.model.enqueue({ tokens, delayMs: 15 });
      const ack = await request(
        sock,
        { sendMessage: { sessionId: session.id, text: "hello" } },
        pushes,
      );
      assertEquals(ack.payload, "ack");

      // Read pushes until the session is idle again with the assistant text complete.
      let text = "";
      let textPart = "";
      let deltas = 0;
      let sawBusy = false;
      let done = false;
      const deadline = Date.now() + 30_000;
      while (!done && Date.now() < deadline) {
        const m = pushes.shift() ?? await sock.next();
        for (const e of m.events?.events ?? []) {
          if (e.partUpdated?.type === "text" && e.partUpdated.sessionId === session.id) {
            const msgId = e.partUpdated.messageId!;
            const isUser = e.partUpdated.text === "hello" && !textPart;
            if (!isUser && msgId) {
              textPart = e.partUpdated.id!;
              text = e.partUpdated.text ?? "";
            }
          }
          if (e.partAppended && e.partAppended.partId === textPart) {
            deltas++;
            text += e.partAppended.delta;
            assert(tokens.join("").startsWith(text), `deltas out of order: ${text}`);
          }
          const st = e.sessionStatusChanged;
          if (st && st.sessionId === session.id) {
            if (st.status?.type === ipc.SessionStatusType.SESSION_STATUS_TYPE_BUSY) sawBusy = true;
            if (sawBusy && st.status?.type === ipc.SessionStatusType.SESSION_STATUS_TYPE_IDLE) {
              done = text === tokens.join("");
            }
          }
        }
      }
      assertEquals(text, tokens.join(""));
      // Coalesced, but still streamed: more than one batch carried text.
      assert(deltas >= 2, `expected several delta batches, got ${deltas}`);
      const stored = await (await fetch(`${oc.url}/session/${session.id}/message`)).json();
      const storedText = stored.at(-1).parts.filter((p: { type: string }) => p.type === "text")
        .map((p: { text: string }) => p.text).join("");
      assertEquals(storedText, text);
      // The core's own transcript equals it too.
      const t = app.store.sessions.transcript(session.id!);
      assertEquals(t.messages!.length, stored.length);
    });
  },
});

Deno.test({
  name: "app surfaces a provider error as a session error and on the message",
  ...opts,
  fn: async () => {
    await withClient(async ({ sock, pushes }) => {
      await request(sock, { hello: {} }, pushes);
      const session = {
        id: (await request(sock, { createSession: {} }, pushes)).workspace!.shownSessionId!,
      };
      await request(sock, { openSession: { sessionId: session.id } }, pushes);
      await request(sock, { sendMessage: { sessionId: session.id, text: "please fail" } }, pushes);
      let sessionFailed: ipc.ErrorInfo.$Properties | null = null;
      let messageError: ipc.ErrorInfo.$Properties | null = null;
      const deadline = Date.now() + 20_000;
      while ((!sessionFailed || !messageError) && Date.now() < deadline) {
        const m = pushes.shift() ?? await sock.next();
        for (const e of m.events?.events ?? []) {
          if (e.sessionFailed && e.sessionFailed.sessionId === session.id) {
            sessionFailed = e.sessionFailed.error!;
          }
          if (
            e.messageUpdated && e.messageUpdated.sessionId === session.id && e.messageUpdated.error
          ) {
            messageError = e.messageUpdated.error;
          }
        }
      }
      assertEquals(sessionFailed?.name, "APIError");
      assertEquals(sessionFailed?.statusCode, 400);
      assert(sessionFailed?.message?.includes("Mock failure"), sessionFailed?.message ?? "none");
      assertEquals(messageError?.name, "APIError");
    });
  },
});

Deno.test({
  name: "app answers a request for an unknown session with a typed error",
  ...opts,
  fn: async () => {
    await withClient(async ({ sock, pushes }) => {
      await request(sock, { hello: {} }, pushes);
      const r = await request(sock, { openSession: { sessionId: "ses_doesnotexist" } }, pushes);
      assertEquals(r.error?.code, ipc.ErrorCode.ERROR_CODE_NOT_FOUND);
      const s = await request(sock, { sendMessage: { sessionId: "", text: "x" } }, pushes);
      assertEquals(s.error?.code, ipc.ErrorCode.ERROR_CODE_BAD_REQUEST);
    });
  },
});
