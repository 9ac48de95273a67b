/**
 * Token latency and memory of the app, each next to a baseline measured in the same run.
 *
 * A fake model streams unique tokens through a real `opencode serve`; `main.ts --headless` runs as
 * a child process and a real Chromium shows its UI. Every token is stamped three times on one
 * machine clock (epoch ms with a fraction): when the fake model wrote it, when a plain SSE reader
 * of OpenCode's `/event` in this process saw it (the baseline: what any client gets), and when a
 * MutationObserver in the page saw it in the transcript (through our core, WebSocket and Preact).
 * Memory: the app's RSS next to a hello-world `Deno.serve` in the same runtime.
 *
 * Run with `deno task bench`. It prints figures; it asserts nothing.
 * @module
 */
import type { Page } from "playwright-core";
import { decodeServer, encodeClient, PROTOCOL, TOKEN_PREFIX } from "../proto/envelope.js";
import { startOpencode } from "../tests/support/opencode_server.ts";
import { startAppProcess } from "../tests/support/app_process.ts";
import { launchBrowser, watchErrors } from "../tests/support/browser.ts";
import { median, percentile, runCleanups, startHelloServer } from "./support.ts";

/** ~67 tokens/s: a fast hosted model streaming one word-piece per chunk. */
const TOKEN_DELAY_MS = 15;
const TOKENS_PER_ROUND = 500;
const ROUNDS = 3;
const WARMUP_TOKENS = 40;
const ROUND_TIMEOUT_MS = TOKENS_PER_ROUND * TOKEN_DELAY_MS + 20_000;
const TOKEN = /r(\d+)t(\d{4})/g;

/** One round's raw stamps; keys are token ids like `r1t0042`. */
interface RoundStamps {
  sent: Map<string, number>;
  sse: Map<string, number>;
  ws: Map<string, number>;
  dom: Map<string, number>;
  /** SSE events and core pushes that completed at least one token. */
  sseEvents: number;
  pushes: number;
  /** Observer callbacks that revealed at least one new token. */
  updates: number;
  /** Animation frames in which such an update happened. */
  frames: number;
}

interface Stats {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

interface RoundResult {
  sse: Stats;
  ws: Stats;
  dom: Stats;
  overhead: Stats;
  core: Stats;
  tokens: number;
  sseEvents: number;
  pushes: number;
  updates: number;
  frames: number;
}

// ---------------------------------------------------------------------------------------------
// Statistics and printing

function stats(values: number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: percentile(s, 50),
    p90: percentile(s, 90),
    p99: percentile(s, 99),
    max: s.at(-1) ?? NaN,
  };
}

function medianStats(list: Stats[]): Stats {
  return {
    n: median(list.map((s) => s.n)),
    p50: median(list.map((s) => s.p50)),
    p90: median(list.map((s) => s.p90)),
    p99: median(list.map((s) => s.p99)),
    max: median(list.map((s) => s.max)),
  };
}

function latencies(sent: Map<string, number>, seen: Map<string, number>): number[] {
  const out: number[] = [];
  for (const [token, at] of seen) {
    const from = sent.get(token);
    if (from !== undefined) out.push(at - from);
  }
  return out;
}

function summarize(r: RoundStamps): RoundResult {
  return {
    sse: stats(latencies(r.sent, r.sse)),
    ws: stats(latencies(r.sent, r.ws)),
    dom: stats(latencies(r.sent, r.dom)),
    // Per token, DOM minus SSE: what our core, socket and UI add to what OpenCode already took.
    overhead: stats(latencies(r.sse, r.dom)),
    core: stats(latencies(r.sse, r.ws)),
    tokens: r.sent.size,
    sseEvents: r.sseEvents,
    pushes: r.pushes,
    updates: r.updates,
    frames: r.frames,
  };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-").padStart(7);
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

function statsRow(label: string, s: Stats, matched: string): string {
  return `  ${label.padEnd(25)}${ms(s.p50)}${ms(s.p90)}${ms(s.p99)}${ms(s.max)}   ${matched}`;
}

function printRound(title: string, r: RoundResult): void {
  const perUpdate = r.updates ? (r.dom.n / r.updates).toFixed(2) : "-";
  const perPush = r.pushes ? (r.ws.n / r.pushes).toFixed(2) : "-";
  console.log(`${title}`);
  console.log(
    `  ${"ms".padEnd(25)}${"p50".padStart(7)}${"p90".padStart(7)}` +
      `${"p99".padStart(7)}${"max".padStart(7)}   matched`,
  );
  console.log(statsRow("token→SSE (opencode)", r.sse, `${r.sse.n}/${r.tokens}`));
  console.log(statsRow("token→WS push (core)", r.ws, `${r.ws.n}/${r.tokens}`));
  console.log(statsRow("token→DOM (app)", r.dom, `${r.dom.n}/${r.tokens}`));
  console.log(statsRow("DOM−SSE (our overhead)", r.overhead, `${r.overhead.n} in both`));
  console.log(statsRow("  of which WS−SSE (core)", r.core, `${r.core.n} in both`));
  console.log(
    `  coalescing: ${r.sseEvents} SSE deltas → ${r.pushes} core pushes (${perPush} tokens each)` +
      ` → ${r.updates} DOM updates (${perUpdate} each) in ${r.frames} animation frames`,
  );
}

// ---------------------------------------------------------------------------------------------
// Memory

/** VmRSS and VmHWM of a process in KiB (Linux /proc). */
async function memory(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const field = (name: string) =>
    Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))?.[1]);
  return { rss: field("VmRSS"), hwm: field("VmHWM") };
}

/** All descendants of `pid`, itself included (Linux /proc). */
async function processTree(pid: number): Promise<number[]> {
  const parent = new Map<number, number>();
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${e.name}/stat`);
      parent.set(Number(e.name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, ppid] of parent) if (ppid === tree[i]) tree.push(child);
  }
  return tree;
}

// ---------------------------------------------------------------------------------------------
// The baseline: OpenCode's /event read directly

/**
 * Stamps the first moment each token id is complete in some part's accumulated deltas (a token
 * split across two deltas counts when its last piece arrives).
 */
class TokenStamper {
  readonly seen = new Map<string, number>();
  /** Messages (SSE events, WebSocket pushes) that completed at least one token. */
  messages = 0;
  #parts = new Map<string, { text: string; pos: number }>();

  /** A delta: appended to what the part has. */
  feed(partId: string, delta: string, at: number): void {
    const part = this.#part(partId);
    part.text += delta;
    this.#scan(part, at);
  }

  /** A snapshot of the part's whole text (the core sends one when it first learns a part). */
  replace(partId: string, text: string, at: number): void {
    const part = this.#part(partId);
    part.text = text;
    part.pos = 0;
    this.#scan(part, at);
  }

  #part(partId: string): { text: string; pos: number } {
    let part = this.#parts.get(partId);
    if (!part) this.#parts.set(partId, part = { text: "", pos: 0 });
    return part;
  }

  #scan(part: { text: string; pos: number }, at: number): void {
    TOKEN.lastIndex = part.pos;
    for (let m; (m = TOKEN.exec(part.text));) {
      part.pos = TOKEN.lastIndex;
      if (!this.seen.has(m[0])) this.seen.set(m[0], at);
    }
  }
}

/** The baseline: OpenCode's `/event` read with a plain, chunk-safe line splitter. */
function readServerEvents(url: string) {
  const stamper = new TokenStamper();
  const dispatch = (data: string, at: number) => {
    const event = JSON.parse(data);
    const e = event.payload ?? event;
    if (e.type !== "message.part.delta") return;
    const { partID, delta } = e.properties ?? {};
    if (typeof partID !== "string" || typeof delta !== "string") return;
    const before = stamper.seen.size;
    stamper.feed(partID, delta, at);
    if (stamper.seen.size > before) stamper.messages++;
  };
  const abort = new AbortController();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let onOpen!: () => void;
  const opened = new Promise<void>((resolve) => onOpen = resolve);
  const done = (async () => {
    const res = await fetch(url, {
      headers: { accept: "text/event-stream" },
      signal: abort.signal,
    });
    if (!res.ok || !res.body) throw new Error(`Cannot read ${url}: HTTP ${res.status}`);
    reader = res.body.getReader();
    onOpen();
    const decoder = new TextDecoder();
    let buffer = "";
    let data: string[] = [];
    try {
      while (true) {
        const { value: chunk, done } = await reader.read();
        if (done) break;
        const at = performance.timeOrigin + performance.now();
        buffer += decoder.decode(chunk, { stream: true });
        // A line split across chunks stays in `buffer` until its newline arrives.
        for (let nl; (nl = buffer.indexOf("\n")) >= 0;) {
          const line = buffer.slice(0, nl).replace(/\r$/, "");
          buffer = buffer.slice(nl + 1);
          if (line === "") {
            if (data.length) dispatch(data.join("\n"), at);
            data = [];
          } else if (line.startsWith("data:")) {
            data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
          }
        }
      }
    } catch (err) {
      if (!abort.signal.aborted) throw err;
    }
  })();
  return {
    stamper,
    opened,
    async close() {
      // Aborting alone can leave a pending read of a quiet stream hanging: cancel it too.
      abort.abort();
      await reader?.cancel();
      await done;
    },
  };
}

/**
 * A second client of the core's `/ws` in this process: when the core's push of a token arrives,
 * before any browser work. Splits our overhead into core and UI.
 */
async function readCorePushes(appUrl: string) {
  const url = new URL(appUrl);
  const token = new URLSearchParams(url.hash.slice(1)).get("token") ?? "";
  const stamper = new TokenStamper();
  // @ts-ignore Deno's WebSocket takes headers (browsers set Origin themselves)
  const ws = new WebSocket(`ws://${url.host}/ws`, {
    protocols: [PROTOCOL, TOKEN_PREFIX + token],
    headers: { origin: url.origin },
  });
  ws.binaryType = "arraybuffer";
  let onHello!: () => void;
  const hello = new Promise<void>((resolve) => onHello = resolve);
  ws.onmessage = (ev: MessageEvent) => {
    const at = performance.timeOrigin + performance.now();
    const msg = decodeServer(new Uint8Array(ev.data as ArrayBuffer));
    if (msg.requestId === 1) onHello();
    const before = stamper.seen.size;
    for (const e of msg.events?.events ?? []) {
      const d = e.partAppended;
      if (d?.partId && d.delta) stamper.feed(d.partId, d.delta, at);
      const p = e.partUpdated;
      if (p?.id && p.text) stamper.replace(p.id, p.text, at);
    }
    if (stamper.seen.size > before) stamper.messages++;
  };
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error("Cannot open a socket to the app"));
  });
  ws.send(encodeClient({ requestId: 1, hello: { client: "bench" } }));
  await hello;
  const closed = new Promise((resolve) => ws.onclose = resolve);
  return {
    stamper,
    async close() {
      ws.close();
      await closed;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The page side

/** Installed once in the page (a string: this file is type-checked without the DOM library). */
const PAGE_PROBE = `(() => {
  const root = document.getElementById("app") || document.body;
  const TOKEN = /r(\\d+)t(\\d{4})/g;
  const state = { prefix: "", seen: {}, updates: 0, frames: 0, el: null, pos: 0, framePending: false };
  const probe = {
    reset(prefix) {
      Object.assign(state, { prefix, seen: {}, updates: 0, frames: 0, el: null, pos: 0 });
    },
    count() { return Object.keys(state.seen).length; },
    result() { return { seen: state.seen, updates: state.updates, frames: state.frames }; },
  };
  const read = () => {
    const at = performance.timeOrigin + performance.now();
    if (!state.prefix) return;
    const all = root.querySelectorAll('[role="log"] article[data-role="assistant"] .part.text');
    const el = all.length ? all[all.length - 1] : null;
    if (!el) return;
    if (el !== state.el) { state.el = el; state.pos = 0; }
    const text = el.textContent || "";
    if (text.length < state.pos) state.pos = 0;
    TOKEN.lastIndex = state.pos;
    let fresh = 0;
    for (let m; (m = TOKEN.exec(text));) {
      state.pos = TOKEN.lastIndex;
      if (m[0].startsWith(state.prefix) && !(m[0] in state.seen)) {
        state.seen[m[0]] = at;
        fresh++;
      }
    }
    if (!fresh) return;
    state.updates++;
    if (!state.framePending) {
      state.framePending = true;
      requestAnimationFrame(() => { state.framePending = false; state.frames++; });
    }
  };
  new MutationObserver(read).observe(root, { childList: true, subtree: true, characterData: true });
  globalThis.__bench = probe;
})()`;

/**
 * Page clock minus this process's clock, from the ping with the shortest round trip. Both are
 * epoch-based; this catches a skew between Chromium's and Deno's time origins.
 */
async function clockOffset(page: Page): Promise<{ offset: number; rtt: number }> {
  let best = { offset: 0, rtt: Infinity };
  for (let i = 0; i < 30; i++) {
    const t0 = performance.timeOrigin + performance.now();
    const pageNow = await page.evaluate("performance.timeOrigin + performance.now()") as number;
    const t1 = performance.timeOrigin + performance.now();
    if (t1 - t0 < best.rtt) best = { offset: pageNow - (t0 + t1) / 2, rtt: t1 - t0 };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// The run

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs: number) {
  const end = performance.now() + timeoutMs;
  while (!await check()) {
    if (performance.now() > end) throw new Error(`Cannot finish the bench: no ${what} in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const cleanups: (() => Promise<unknown>)[] = [];
  const tmp = await Deno.makeTempDir({ prefix: "opencode-desk-bench-" });
  cleanups.push(() => Deno.remove(tmp, { recursive: true }));
  try {
    const oc = await startOpencode({ tokenDelayMs: TOKEN_DELAY_MS });
    cleanups.push(() => oc.stop());
    const app = await startAppProcess({
      args: ["--headless", "--server", oc.url, "--port", "0"],
      env: oc.env,
    });
    cleanups.push(() => app.stop());
    const sse = readServerEvents(`${oc.url}/event`);
    cleanups.push(() => sse.close());
    await sse.opened;
    const core = await readCorePushes(app.url);
    cleanups.push(() => core.close());
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());

    const page = await browser.newPage();
    const pageErrors = watchErrors(page);
    await page.goto(app.url);
    try {
      await page.getByRole("status", { name: "Connection status" }).getByText("Connected")
        .waitFor({ timeout: 20_000 });
    } catch (err) {
      const status = await page.getByRole("status").allTextContents();
      throw new Error(`Cannot open the app's page: status ${status}; ${pageErrors.join("; ")}`, {
        cause: err,
      });
    }
    await page.evaluate(PAGE_PROBE);
    const input = page.getByRole("textbox", { name: "Message" });

    const idle = async () => {
      const status = await (await fetch(`${oc.url}/session/status`)).json();
      return Object.values(status).every((s) => (s as { type?: string }).type === "idle");
    };

    const round = async (n: number, count: number): Promise<RoundStamps> => {
      const prefix = `r${n}t`;
      const tokens = Array.from(
        { length: count },
        (_, i) => `${prefix}${String(i + 1).padStart(4, "0")} `,
      );
      oc.model.reset();
      oc.model.enqueue({ tokens, delayMs: TOKEN_DELAY_MS });
      await page.evaluate(`globalThis.__bench.reset(${JSON.stringify(prefix)})`);
      sse.stamper.messages = 0;
      core.stamper.messages = 0;
      await input.fill(`bench round ${n}`);
      await input.press("Enter");
      const ids = tokens.map((t) => t.trim());
      await waitUntil(
        async () =>
          ids.every((id) => sse.stamper.seen.has(id)) &&
          await page.evaluate("globalThis.__bench.count()") === count,
        `all ${count} tokens of round ${n} on screen`,
        ROUND_TIMEOUT_MS,
      );
      await waitUntil(idle, "idle session", 10_000);
      const { offset } = await clockOffset(page);
      const page_ = await page.evaluate("globalThis.__bench.result()") as {
        seen: Record<string, number>;
        updates: number;
        frames: number;
      };
      const sent = new Map<string, number>();
      for (const t of oc.model.tokens()) {
        if (t.field === "content" && t.token.startsWith(prefix)) sent.set(t.token.trim(), t.sentAt);
      }
      const mine = (seen: Map<string, number>) =>
        new Map(ids.filter((id) => seen.has(id)).map((id) => [id, seen.get(id)!]));
      const dom = new Map(
        Object.entries(page_.seen).map(([id, at]) => [id, at - offset] as [string, number]),
      );
      return {
        sent,
        sse: mine(sse.stamper.seen),
        ws: mine(core.stamper.seen),
        dom,
        sseEvents: sse.stamper.messages,
        pushes: core.stamper.messages,
        updates: page_.updates,
        frames: page_.frames,
      };
    };

    // Memory after startup: the app has served the page and holds one idle socket.
    const hello = await startHelloServer(tmp);
    cleanups.push(() => hello.stop());
    await new Promise((r) => setTimeout(r, 500));
    const helloMem = await memory(hello.pid);
    const appStart = await memory(app.pid);
    const clock = await clockOffset(page);

    console.log(
      `opencode-desk latency bench: ${TOKENS_PER_ROUND} tokens per round, one every ` +
        `${TOKEN_DELAY_MS} ms (~${Math.round(1000 / TOKEN_DELAY_MS)} tokens/s), ${ROUNDS} rounds ` +
        `after a ${WARMUP_TOKENS}-token warm-up; ${navigator.hardwareConcurrency} CPUs`,
    );
    console.log(
      `page clock − bench clock: ${clock.offset.toFixed(2)} ms (±${(clock.rtt / 2).toFixed(2)}, ` +
        `corrected per round)\n`,
    );

    await round(0, WARMUP_TOKENS);
    const results: RoundResult[] = [];
    for (let n = 1; n <= ROUNDS; n++) {
      const r = summarize(await round(n, TOKENS_PER_ROUND));
      results.push(r);
      printRound(`round ${n}`, r);
    }
    const appEnd = await memory(app.pid);
    const ocTree = await processTree(oc.pid);
    let ocRss = 0;
    for (const pid of ocTree) ocRss += (await memory(pid)).rss;

    const med: RoundResult = {
      sse: medianStats(results.map((r) => r.sse)),
      ws: medianStats(results.map((r) => r.ws)),
      dom: medianStats(results.map((r) => r.dom)),
      overhead: medianStats(results.map((r) => r.overhead)),
      core: medianStats(results.map((r) => r.core)),
      tokens: TOKENS_PER_ROUND,
      sseEvents: median(results.map((r) => r.sseEvents)),
      pushes: median(results.map((r) => r.pushes)),
      updates: median(results.map((r) => r.updates)),
      frames: median(results.map((r) => r.frames)),
    };
    console.log("");
    printRound(`median of ${ROUNDS} rounds (each figure separately)`, med);
    console.log("");
    console.log("  RSS (VmRSS)");
    console.log(`  ${"hello-world Deno.serve (baseline)".padEnd(40)}${mib(helloMem.rss)}`);
    console.log(
      `  ${"app after startup".padEnd(40)}${mib(appStart.rss)}  ` +
        `(+${mib(appStart.rss - helloMem.rss)} over baseline)`,
    );
    console.log(
      `  ${`app after ${ROUNDS} rounds`.padEnd(40)}${mib(appEnd.rss)}  ` +
        `(+${mib(appEnd.rss - helloMem.rss)} over baseline; peak ${mib(appEnd.hwm)})`,
    );
    console.log(
      `  ${"opencode server (for scale)".padEnd(40)}${mib(ocRss)}  (${ocTree.length} process${
        ocTree.length === 1 ? "" : "es"
      })`,
    );
    if (pageErrors.length) console.log(`\n  page errors: ${pageErrors.join("; ")}`);
    console.log(`\n  total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await runCleanups(cleanups);
  }
}

if (import.meta.main) await main();
