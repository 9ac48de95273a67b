/**
 * Staying connected, end to end: the event stream's watchdog and reconnects, an owned OpenCode
 * server killed mid-reply (the app restarts it), an attached one stopped and started again on
 * the same port, an instance dispose, a browser whose socket drops, two browsers on one core,
 * and a client that stops reading. Real OpenCode with the fake model, `main.ts` as a child
 * process, real Chromium; after each disruption every tab must equal what the server stored.
 */
import type { Browser, Page } from "playwright-core";
import { assert, assertEquals, firstDifference, waitFor } from "./support/assert.ts";
import {
  createSandbox,
  DEFAULT_OPENCODE_BIN,
  type OpencodeServer,
  type Sandbox,
  startOpencode,
} from "./support/opencode_server.ts";
import { type FakeModel, startFakeModel } from "./support/fake_model.ts";
import { type AppProcess, childPids, startAppProcess } from "./support/app_process.ts";
import { launchBrowser, withTestHooks } from "./support/browser.ts";
import { connect, request } from "./support/ws_client.ts";
import { EventStream, type StreamState } from "../core/opencode/events.ts";
import { encodeClient, ipc, PROTOCOL, TOKEN_PREFIX } from "../proto/envelope.js";
import { shutdownAfterAll } from "./support/shutdown.ts";

// Shared servers, app and browser live across tests; shutdownAfterAll closes them.
const opts = { sanitizeOps: false, sanitizeResources: false };
const STREAM_TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// Helpers: what the server stored, what a page shows.

interface ShownMessage {
  id: string;
  role: string;
  /** The text parts, in order, whitespace collapsed (markdown rendering drops some). */
  texts: string[];
}

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

/** The messages a server stored for a session, reduced to what a page shows of them. */
async function stored(url: string, dir: string, sessionId: string): Promise<ShownMessage[]> {
  const q = `?directory=${encodeURIComponent(dir)}`;
  const res = await fetch(`${url}/session/${sessionId}/message${q}`);
  assert(res.ok, `GET messages of ${sessionId}: HTTP ${res.status}`);
  const list = await res.json() as {
    info: { id: string; role: string };
    parts: { type: string; text?: string; synthetic?: boolean }[];
  }[];
  return list.map((m) => ({
    id: m.info.id,
    role: m.info.role,
    texts: m.parts.filter((p) => p.type === "text" && !p.synthetic).map((p) =>
      squash(p.text ?? "")
    ),
  }));
}

/** The transcript on screen: every message article and the text of its text parts. */
async function shown(page: Page): Promise<ShownMessage[]> {
  // A string: this file is type-checked without the DOM library.
  return await page.evaluate(
    `[...document.querySelectorAll('[role="log"] article[data-message-id]')]
    .map((a) => ({
      id: a.getAttribute("data-message-id"),
      role: a.getAttribute("data-role"),
      texts: [...a.querySelectorAll(".part.text[data-part-id]")]
        .map((p) => (p.textContent ?? "").replace(/\\s+/g, " ").trim()),
    }))`,
  ) as ShownMessage[];
}

async function activeSession(page: Page): Promise<string> {
  const id = await page.evaluate(
    `document.querySelector('[role="tab"][aria-selected="true"]')?.closest("[data-session-id]")
      ?.getAttribute("data-session-id") ?? ""`,
  );
  return String(id);
}

async function tabIds(page: Page): Promise<string[]> {
  return await page.evaluate(
    `[...document.querySelectorAll('[role="tablist"] [data-session-id]')]
      .map((t) => t.getAttribute("data-session-id"))`,
  ) as string[];
}

/** Waits until the page shows exactly what the server stored for the session on screen. */
async function assertShowsStored(page: Page, url: string, dir: string, what: string) {
  const id = await activeSession(page);
  assert(id, `${what}: a session is on screen`);
  let diff: string | null = "not compared yet";
  let last: ShownMessage[] = [];
  try {
    await waitFor(
      async () => {
        last = await shown(page);
        diff = firstDifference(last, await stored(url, dir, id));
        return diff === null;
      },
      `${what}: the page equals what the server stored`,
      20_000,
      200,
    );
  } catch (err) {
    throw new Error(
      `${(err as Error).message}\nfirst difference: ${diff}\nshown: ${
        JSON.stringify(last).slice(0, 1500)
      }`,
    );
  }
  const ids = last.map((m) => m.id);
  assertEquals(new Set(ids).size, ids.length, `${what}: no message shown twice`);
}

/** Visits every tab and checks each one against the server. */
async function assertEveryTabShowsStored(page: Page, url: string, dir: string, what: string) {
  const tabs = await tabIds(page);
  assert(tabs.length > 0, `${what}: tabs are open`);
  for (const id of tabs) {
    await page.locator(`[data-session-id="${id}"] [role="tab"]`).click();
    await waitFor(async () => await activeSession(page) === id, `tab ${id} on screen`);
    await assertShowsStored(page, url, dir, `${what}, tab ${id}`);
  }
}

function statusBar(page: Page) {
  return page.getByRole("status", { name: "Connection status" });
}

async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await statusBar(page).getByText("Connected").waitFor({ timeout: 30_000 });
  return page;
}

async function type(page: Page, text: string): Promise<void> {
  const input = page.getByRole("textbox", { name: "Message" });
  await input.fill(text);
  await input.press("Enter");
}

async function newTab(page: Page): Promise<string> {
  const before = await tabIds(page);
  await page.getByRole("button", { name: "New session" }).click();
  return await waitFor(async () => {
    const id = await activeSession(page);
    return id && !before.includes(id) ? id : "";
  }, "a new tab");
}

/**
 * Records, from now on, every distinct text of the last assistant text part of a message not on
 * screen yet; a resync that loses or doubles tokens shows up as a text that is not a prefix of
 * the reply.
 */
async function recordReply(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const seen = [];
    globalThis.__seen = seen;
    const sel = '[role="log"] article[data-role="assistant"]';
    const old = new Set([...document.querySelectorAll(sel)].map((a) => a.dataset.messageId));
    const read = () => {
      const fresh = [...document.querySelectorAll(sel)].filter((a) => !old.has(a.dataset.messageId));
      const parts = fresh.length ? fresh[fresh.length - 1].querySelectorAll(".part.text") : [];
      const t = parts.length ? (parts[parts.length - 1].textContent ?? "").replace(/\\s+/g, " ").trim() : "";
      if (t && seen[seen.length - 1] !== t) seen.push(t);
    };
    new MutationObserver(read).observe(document.body,
      { childList: true, subtree: true, characterData: true });
  })()`);
}

async function assertOnlyPrefixes(page: Page, full: string, what: string): Promise<void> {
  const seen = await page.evaluate("globalThis.__seen") as string[];
  const want = squash(full);
  assert(seen.length >= 2, `${what}: the reply streamed (saw ${JSON.stringify(seen)})`);
  for (const t of seen) {
    assert(want.startsWith(t), `${what}: showed text that is not a prefix of the reply: "${t}"`);
  }
}

/** Whether the server logged a new `/event` subscriber at or after `since` (epoch ms). */
function eventConnectedSince(oc: OpencodeServer, since: number): boolean {
  return oc.logs().some((line) => {
    const at = line.match(/^timestamp=(\S+) .*message="event connected"/)?.[1];
    return at !== undefined && Date.parse(at) >= since;
  });
}

async function lastReplyText(page: Page): Promise<string> {
  return squash(
    await page.locator('[role="log"] article[data-role="assistant"] .part.text').last()
      .textContent() ?? "",
  );
}

function words(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i} `);
}

function rssMiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
}

// ---------------------------------------------------------------------------------------------
// The event stream against small in-process SSE servers.

function sse(events: string[], opts: { end?: boolean } = {}): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const e of events) c.enqueue(enc.encode(`data: ${e}\n\n`));
      if (opts.end) c.close();
    },
  });
}

const SSE_HEADERS = { "content-type": "text/event-stream" };
const CONNECTED = JSON.stringify({ type: "server.connected", properties: {} });

function recorder() {
  const states: string[] = [];
  let opens = 0;
  return {
    states,
    opens: () => opens,
    onOpen: () => {
      opens++;
    },
    onState: (s: StreamState, detail: string) => states.push(detail ? `${s}: ${detail}` : s),
  };
}

Deno.test("event stream: a silent stream trips the watchdog and reconnects", async () => {
  let connections = 0;
  await using server = Deno.serve({ port: 0, onListen: () => {} }, () => {
    connections++;
    // Connected, then nothing at all: no heartbeat.
    return new Response(sse([CONNECTED]), { headers: SSE_HEADERS });
  });
  const rec = recorder();
  const stream = new EventStream({
    url: `http://127.0.0.1:${server.addr.port}/event`,
    watchdogMs: 400,
    backoffMs: { initial: 50, max: 100 },
    onOpen: rec.onOpen,
    onEvent: () => {},
    onState: rec.onState,
  });
  void stream.start();
  await waitFor(() => rec.opens() >= 2, "a second open after the watchdog fired", 5_000);
  await stream.close();
  assert(connections >= 2);
  assert(
    rec.states.some((s) => s.includes("nothing for 400 ms")),
    `the watchdog is the reason: ${rec.states.join(", ")}`,
  );
});

Deno.test("event stream: heartbeats keep a quiet stream alive", async () => {
  let connections = 0;
  let beats = 0;
  await using server = Deno.serve({ port: 0, onListen: () => {} }, () => {
    connections++;
    const enc = new TextEncoder();
    let timer: ReturnType<typeof setInterval>;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode(`data: ${CONNECTED}\n\n`));
        timer = setInterval(() => {
          c.enqueue(enc.encode(`data: {"type":"server.heartbeat","properties":{}}\n\n`));
          beats++;
        }, 100);
      },
      cancel() {
        clearInterval(timer);
      },
    });
    return new Response(body, { headers: SSE_HEADERS });
  });
  const rec = recorder();
  const stream = new EventStream({
    url: `http://127.0.0.1:${server.addr.port}/event`,
    watchdogMs: 400,
    onOpen: rec.onOpen,
    onEvent: () => {},
    onState: rec.onState,
  });
  void stream.start();
  // 15 heartbeats 100 ms apart: the 400 ms watchdog would have fired three times over without them.
  await waitFor(() => beats >= 15, "15 heartbeats", 10_000);
  await stream.close();
  assertEquals(connections, 1, `one connection for ${beats} heartbeats: ${rec.states.join(", ")}`);
  assertEquals(rec.states, ["connecting", "connected"]);
});

Deno.test("event stream: a server that accepts but never answers is left after the connect timeout", async () => {
  // Like opencode just before it prints "listening" (docs/opencode-api.md §2.3): the socket
  // takes the connection and nothing ever answers.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  const rec = recorder();
  const stream = new EventStream({
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/event`,
    watchdogMs: 25_000,
    connectTimeoutMs: 300,
    backoffMs: { initial: 50, max: 100 },
    onOpen: rec.onOpen,
    onEvent: () => {},
    onState: rec.onState,
  });
  void stream.start();
  await waitFor(
    () => rec.states.some((s) => s.includes("no answer for 300 ms")),
    "the connect timeout",
    5_000,
  );
  await stream.close();
  listener.close();
  for (const c of held) c.close();
  await accepting.catch(() => {});
});

Deno.test("event stream: the end after an instance dispose reconnects at once and quietly", async () => {
  let connections = 0;
  await using server = Deno.serve({ port: 0, onListen: () => {} }, () => {
    connections++;
    const disposed = JSON.stringify({ type: "server.instance.disposed", properties: {} });
    // The first stream says "disposed" and ends, as opencode does; the next one stays open.
    return new Response(
      sse(connections === 1 ? [CONNECTED, disposed] : [CONNECTED], {
        end: connections === 1,
      }),
      { headers: SSE_HEADERS },
    );
  });
  const rec = recorder();
  const stream = new EventStream({
    url: `http://127.0.0.1:${server.addr.port}/event`,
    onOpen: rec.onOpen,
    onEvent: () => {},
    onState: rec.onState,
  });
  void stream.start();
  await waitFor(() => rec.opens() === 2, "the second open", 5_000);
  await stream.close();
  // Never "reconnecting": the status bar has nothing to alarm anyone about.
  assertEquals(rec.states, ["connecting", "connected", "connected"]);
});

// ---------------------------------------------------------------------------------------------
// The app owns its server, and the server dies mid-reply.

const BIN = Deno.env.get("OPENCODE_BIN") ?? DEFAULT_OPENCODE_BIN;
const browser = await launchBrowser();

function opencodeChild(app: AppProcess): number {
  return childPids(app.pid).find((p) => {
    try {
      return Deno.readTextFileSync(`/proc/${p}/cmdline`).includes("opencode");
    } catch {
      return false;
    }
  }) ?? 0;
}

Deno.test({
  name:
    "app restarts the OpenCode server it owns when it dies mid-reply; every tab equals the store",
  ...opts,
  fn: async () => {
    await using model = await startFakeModel({ tokenDelayMs: 5 });
    const sandbox = await createSandbox({ modelUrl: model.url });
    const stateDir = await Deno.makeTempDir({ prefix: "desk-resilience-" });
    let app: AppProcess | null = null;
    try {
      app = await startAppProcess({
        args: ["--headless", "--dir", sandbox.dir, "--port", "0"],
        env: {
          ...sandbox.env,
          PATH: Deno.env.get("PATH") ?? "",
          OPENCODE_BIN: BIN,
          OPENCODE_DESK_NO_DISCOVERY: "1",
          OPENCODE_DESK_STATE: `${stateDir}/state.json`,
        },
        cwd: sandbox.dir,
      });
      const started = app.output().find((l) => l.includes("started OpenCode"));
      assert(started, `the app started its own server:\n${app.output().join("\n")}`);
      const url = started.match(/at (http\S+)/)![1];
      const first = await waitFor(() => opencodeChild(app!), "the owned opencode process");

      const page = await openPage(browser, app.url);
      // A finished exchange in one tab, a reply streaming in a second when the server dies.
      model.enqueue({ tokens: words("done", 12), delayMs: 5 });
      await type(page, "first tab");
      await waitFor(
        async () => (await lastReplyText(page)) === squash(words("done", 12).join("")),
        "the first reply",
        STREAM_TIMEOUT_MS,
      );
      await newTab(page);
      model.enqueue({ tokens: words("cut", 200), delayMs: 60 });
      await type(page, "second tab");
      await page.locator('[role="log"] article[data-role="assistant"] .part.text')
        .getByText("cut5").waitFor({ timeout: STREAM_TIMEOUT_MS });

      Deno.kill(first, "SIGKILL");
      // The status bar says what happened, and the app is back on the same address.
      await statusBar(page).getByText(/restarted/).waitFor({ timeout: 60_000 });
      await statusBar(page).getByText("Connected").waitFor({ timeout: 30_000 });
      const second = await waitFor(() => {
        const pid = opencodeChild(app!);
        return pid !== first ? pid : 0;
      }, "a new opencode process");
      assert(second !== first);
      assert(
        app.output().some((l) => l.includes(`restarted OpenCode at ${url}`)),
        `restarted on the same port:\n${app.output().join("\n")}`,
      );

      // The cut reply is what the server kept ("" for the part that was streaming): the page
      // shows exactly that, in both tabs, once each.
      await assertEveryTabShowsStored(page, url, sandbox.dir, "after the restart");
      // And the restarted server works: the next message streams in full.
      model.enqueue({ tokens: words("again", 20), delayMs: 10 });
      await type(page, "after the crash");
      await waitFor(
        async () => (await lastReplyText(page)) === squash(words("again", 20).join("")),
        "a reply from the restarted server",
        STREAM_TIMEOUT_MS,
      );
      await assertShowsStored(page, url, sandbox.dir, "after the next reply");
      await page.close();
    } finally {
      if (app) await app.stop();
      await sandbox.remove().catch(() => {});
      await Deno.remove(stateDir, { recursive: true });
    }
  },
});

// ---------------------------------------------------------------------------------------------
// An attached server, shared by the next tests.

const model: FakeModel = await startFakeModel({ tokenDelayMs: 5 });
const sandbox: Sandbox = await createSandbox({ modelUrl: model.url });
let oc: OpencodeServer = await startOpencode({ model, sandbox });
const stateDir = await Deno.makeTempDir({ prefix: "desk-resilience-" });
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});

Deno.test({
  name: "app shows an attached server that went away as down and recovers when it returns",
  ...opts,
  fn: async () => {
    const page = await openPage(browser, app.url);
    await newTab(page);
    model.enqueue({ tokens: words("gone", 200), delayMs: 60 });
    await type(page, "stay with me");
    await page.locator('[role="log"] article[data-role="assistant"] .part.text')
      .getByText("gone5").waitFor({ timeout: STREAM_TIMEOUT_MS });

    const port = Number(new URL(oc.url).port);
    await oc.stop();
    await statusBar(page).getByText(/Server (down|unreachable), retrying/).waitFor({
      timeout: 30_000,
    });
    await waitFor(
      async () => await statusBar(page).getAttribute("data-state") === "down",
      "the status says the server is down",
      30_000,
    );
    // The same server comes back on the same port, with the same data.
    oc = await startOpencode({ model, sandbox, port });
    assertEquals(Number(new URL(oc.url).port), port);
    await waitFor(
      async () => await statusBar(page).getAttribute("data-state") === "connected",
      "connected again without a reload",
      45_000,
      100,
    );
    await assertEveryTabShowsStored(page, oc.url, oc.dir, "after the server came back");
    model.enqueue({ tokens: words("back", 20), delayMs: 10 });
    await type(page, "are you back");
    await waitFor(
      async () => (await lastReplyText(page)) === squash(words("back", 20).join("")),
      "a reply after the server came back",
      STREAM_TIMEOUT_MS,
    );
    await assertShowsStored(page, oc.url, oc.dir, "after the next reply");
    await page.close();
  },
});

Deno.test({
  name: "browser whose socket drops mid-reply reconnects and resyncs without losing a token",
  ...opts,
  fn: async () => {
    const page = await openPage(browser, withTestHooks(app.url));
    await newTab(page);
    const tokens = words("blip", 50);
    model.enqueue({ tokens, delayMs: 80 });
    await recordReply(page);
    await type(page, "drop me");
    const part = page.locator('[role="log"] article[data-role="assistant"] .part.text');
    await part.getByText("blip4").waitFor({ timeout: STREAM_TIMEOUT_MS });
    await page.evaluate("globalThis.__desk.dropSocket()");
    await statusBar(page).getByText("Reconnecting to the app…").waitFor({ timeout: 5_000 });
    await statusBar(page).getByText("Connected").waitFor({ timeout: 30_000 });
    // Tokens streamed while the socket was down are there at once, before the reply ends.
    const atReconnect = await lastReplyText(page);
    assert(
      squash(tokens.join("")).startsWith(atReconnect) && atReconnect.includes("blip4"),
      `resynced text: ${atReconnect}`,
    );
    await waitFor(
      async () => (await lastReplyText(page)) === squash(tokens.join("")),
      "the complete reply",
      STREAM_TIMEOUT_MS,
    );
    await assertOnlyPrefixes(page, tokens.join(""), "across the drop");
    await assertShowsStored(page, oc.url, oc.dir, "after the drop");
    await page.close();
  },
});

Deno.test({
  name: "two browsers on one core end with identical transcripts",
  ...opts,
  fn: async () => {
    const a = await openPage(browser, app.url);
    const sessionId = await newTab(a);
    const b = await openPage(browser, app.url);
    await b.locator(`[data-session-id="${sessionId}"] [role="tab"]`).click();
    await waitFor(async () => await activeSession(b) === sessionId, "b shows the same tab");
    await recordReply(b);
    const tokens = words("both", 40);
    model.enqueue({ tokens, delayMs: 40 });
    await type(a, "for both of you");
    for (const p of [a, b]) {
      await waitFor(
        async () => (await lastReplyText(p)) === squash(tokens.join("")),
        "the reply in each browser",
        STREAM_TIMEOUT_MS,
      );
    }
    await assertOnlyPrefixes(b, tokens.join(""), "the second browser");
    await assertShowsStored(a, oc.url, oc.dir, "browser a");
    await assertShowsStored(b, oc.url, oc.dir, "browser b");
    assertEquals(await shown(a), await shown(b), "both browsers show the same");
    await a.close();
    await b.close();
  },
});

Deno.test({
  name: "instance dispose is normal: the status stays Connected and the next message streams",
  ...opts,
  fn: async () => {
    const page = await openPage(browser, app.url);
    await newTab(page);
    model.enqueue({ tokens: words("pre", 10), delayMs: 5 });
    await type(page, "before the dispose");
    await waitFor(
      async () => (await lastReplyText(page)) === squash(words("pre", 10).join("")),
      "a reply before the dispose",
      STREAM_TIMEOUT_MS,
    );
    await page.evaluate(`(() => {
      const bar = document.querySelector('[role="status"][aria-label="Connection status"]');
      globalThis.__states = [bar.getAttribute("data-state")];
      new MutationObserver(() => globalThis.__states.push(bar.getAttribute("data-state")))
        .observe(bar, { attributes: true, attributeFilter: ["data-state"] });
    })()`);
    const q = `?directory=${encodeURIComponent(oc.dir)}`;
    const disposedAt = Date.now();
    const res = await fetch(`${oc.url}/instance/dispose${q}`, { method: "POST" });
    assertEquals(await res.json(), true);
    // The core's one stream (/global/event) outlives a directory's instance: nothing reconnects,
    // the core reads that directory again, and the next message streams.
    const tokens = words("post", 30);
    model.enqueue({ tokens, delayMs: 20 });
    await recordReply(page);
    await type(page, "after the dispose");
    await waitFor(
      async () => (await lastReplyText(page)) === squash(tokens.join("")),
      "a reply after the dispose",
      STREAM_TIMEOUT_MS,
    );
    await assertOnlyPrefixes(page, tokens.join(""), "after the dispose");
    await assertShowsStored(page, oc.url, oc.dir, "after the dispose");
    const states = await page.evaluate("globalThis.__states") as string[];
    assertEquals([...new Set(states)], ["connected"], "the status never left Connected");
    assertEquals(eventConnectedSince(oc, disposedAt), false, "no directory stream reopened");
    await page.close();
  },
});

// ---------------------------------------------------------------------------------------------
// A client that never reads.

/** A WebSocket client on a bare TCP socket, so it can stop reading (browsers always read). */
class StalledClient {
  #conn: Deno.Conn;
  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  static async open(origin: string, token: string): Promise<StalledClient> {
    const { hostname, port } = new URL(origin);
    const conn = await Deno.connect({ hostname, port: Number(port) });
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    await conn.write(new TextEncoder().encode(
      `GET /ws HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
        `Sec-WebSocket-Protocol: ${PROTOCOL}, ${TOKEN_PREFIX}${token}\r\nOrigin: ${origin}\r\n\r\n`,
    ));
    // Read the answer byte by byte, so not one byte of what follows is consumed.
    let head = "";
    const one = new Uint8Array(1);
    while (!head.endsWith("\r\n\r\n")) {
      if (await conn.read(one) === null) throw new Error(`Cannot upgrade: ${head}`);
      head += String.fromCharCode(one[0]);
    }
    assert(head.startsWith("HTTP/1.1 101"), `upgrade refused: ${head}`);
    return new StalledClient(conn);
  }

  /** Sends one masked binary frame (a client must mask). */
  async send(frame: ipc.ClientMessage.$Properties): Promise<void> {
    const payload = encodeClient(frame);
    const len = payload.length;
    const head = len < 126 ? [0x82, 0x80 | len] : [0x82, 0x80 | 126, len >> 8, len & 255];
    const mask = crypto.getRandomValues(new Uint8Array(4));
    const out = new Uint8Array(head.length + 4 + len);
    out.set(head);
    out.set(mask, head.length);
    for (let i = 0; i < len; i++) out[head.length + 4 + i] = payload[i] ^ mask[i % 4];
    await this.#conn.write(out);
  }

  /** Starts reading at last: returns the close code the server sent, and the bytes before it. */
  async readToClose(timeoutMs: number): Promise<{ code: number; bytes: number }> {
    const buf = new Uint8Array(1 << 20);
    let acc = new Uint8Array(0);
    let bytes = 0;
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const n = await this.#conn.read(buf);
      if (n === null) break;
      bytes += n;
      const merged = new Uint8Array(acc.length + n);
      merged.set(acc);
      merged.set(buf.subarray(0, n), acc.length);
      acc = merged;
      let off = 0;
      while (acc.length - off >= 2) {
        const op = acc[off] & 0x0f;
        let len = acc[off + 1] & 0x7f;
        let h = 2;
        if (len === 126) {
          if (acc.length - off < 4) break;
          len = (acc[off + 2] << 8) | acc[off + 3];
          h = 4;
        } else if (len === 127) {
          if (acc.length - off < 10) break;
          len = Number(new DataView(acc.buffer, off + 2, 8).getBigUint64(0));
          h = 10;
        }
        if (acc.length - off < h + len) break;
        if (op === 0x8) return { code: (acc[off + h] << 8) | acc[off + h + 1], bytes };
        off += h + len;
      }
      acc = acc.slice(off);
    }
    return { code: -1, bytes };
  }

  close(): void {
    this.#conn.close();
  }
}

Deno.test({
  name: "bridge drops a client that stops reading (code 4000) and the core's memory stays bounded",
  ...opts,
  fn: async () => {
    // An app of its own, so its memory holds nothing but this test.
    const slowApp = await startAppProcess({
      args: ["--headless", "--server", oc.url, "--port", "0"],
      env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/slow.json` },
    });
    const token = new URL(slowApp.url).hash.replace("#token=", "");
    const port = Number(new URL(slowApp.origin).port);
    const stalled: StalledClient[] = [];
    try {
      const reader = await connect(port, { token });
      const pushes: ipc.ServerMessage[] = [];
      await request(reader, { hello: {} }, pushes);
      // 4,000 tokens of 8 KiB: 32 MiB of deltas, then the 32 MiB part snapshot.
      const TOKENS = 4_000;
      const big = "x".repeat(8191) + " ";
      const reply = async (stalledClients: number): Promise<number> => {
        const session = {
          id: (await request(reader, { createSession: {} }, pushes)).workspace!.shownSessionId!,
        };
        await request(reader, { openSession: { sessionId: session.id } }, pushes);
        for (let i = 0; i < stalledClients; i++) {
          const c = await StalledClient.open(slowApp.origin, token);
          await c.send({ requestId: 1, hello: {} });
          stalled.push(c);
        }
        model.enqueue({ tokens: Array.from({ length: TOKENS }, () => big), delayMs: 1 });
        let peak = rssMiB(slowApp.pid);
        const sampler = setInterval(() => peak = Math.max(peak, rssMiB(slowApp.pid)), 50);
        try {
          await request(reader, { sendMessage: { sessionId: session.id, text: "big" } }, pushes);
          let text = 0;
          const deadline = Date.now() + 120_000;
          for (let idle = false; !idle && Date.now() < deadline;) {
            const m = pushes.shift() ?? await reader.next();
            for (const e of m.events?.events ?? []) {
              const d = e.partAppended;
              if (d && d.sessionId === session.id) text += d.delta?.length ?? 0;
              const st = e.sessionStatusChanged;
              idle ||= !!st && st.sessionId === session.id && text > 0 &&
                st.status?.type === ipc.SessionStatusType.SESSION_STATUS_TYPE_IDLE;
            }
          }
          assertEquals(text, big.length * TOKENS, "the reading client got the whole reply");
        } finally {
          clearInterval(sampler);
        }
        await request(reader, { closeTab: { sessionId: session.id } }, pushes);
        return peak;
      };
      // The same reply twice: once with only a reading client, once with stalled ones too.
      const base = rssMiB(slowApp.pid);
      const alone = await reply(0);
      const STALLED = 8;
      const withStalled = await reply(STALLED);
      // Without the drop each stalled client would queue both the deltas and the final part
      // (64 MiB each: 530 MiB more for eight, measured); with it, 8 MiB each plus what 2 s of
      // the stream adds before it counts as stalled (200-240 MiB for eight, garbage included).
      const extra = withStalled - alone;
      console.log(
        `core RSS: ${base.toFixed(0)} MiB at rest, peak ${alone.toFixed(0)} MiB streaming, ` +
          `${withStalled.toFixed(0)} MiB with ${STALLED} stalled clients`,
      );
      assert(
        extra < STALLED * 40,
        `${STALLED} stalled clients cost ${extra.toFixed(0)} MiB (at most 8 MiB queued each)`,
      );
      for (const c of stalled) {
        const { code, bytes } = await c.readToClose(30_000);
        assertEquals(code, 4000, `a stalled client is told to resync (after ${bytes} bytes)`);
        // Dropped soon after 8 MiB were waiting (plus what the kernel buffers), long before
        // the 64 MiB of the reply.
        assert(bytes < 32 * 1024 * 1024, `dropped after ${bytes} bytes`);
      }
      reader.ws.close();
    } finally {
      for (const c of stalled) c.close();
      await slowApp.stop();
    }
  },
});

shutdownAfterAll({
  browser,
  app: () => app,
  oc: () => oc,
  dirs: [stateDir],
  also: async () => {
    await model.close();
    await sandbox.remove();
  },
});
