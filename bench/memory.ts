/**
 * Memory with many long sessions open, and the time to switch between two long tabs, each next
 * to a baseline measured in the same run: the core's RSS next to a hello-world `Deno.serve`, and
 * our page's JS heap and switch time next to OpenCode's own web UI on the same server in the same
 * Chromium.
 *
 * Sessions are built through a real `opencode serve` answered by the fake model (token delay 0):
 * one long session turn by turn, a second as a fork of it, and the others as forks of its first
 * N messages (a fork copies stored messages, much faster than replaying turns). On a busy
 * 2-core machine replaying 50 × 250 turns takes far too long, so the build adapts to a time
 * budget and prints what it built.
 *
 *   deno run -A bench/memory.ts [--sessions 50] [--messages 500] [--long 1000] [--budget-s 300]
 *
 * It prints figures; it asserts nothing.
 * @module
 */
import type { Browser, Page } from "playwright-core";
import { ipc } from "../proto/envelope.js";
import { type OpencodeServer, startOpencode } from "../tests/support/opencode_server.ts";
import { startFakeModel } from "../tests/support/fake_model.ts";
import { startAppProcess } from "../tests/support/app_process.ts";
import { launchBrowser } from "../tests/support/browser.ts";
import { connect, request } from "../tests/support/ws_client.ts";
import { percentile, rssMiB, runCleanups, startHelloServer } from "./support.ts";

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

const SESSIONS = flag("sessions", 50);
const MESSAGES = flag("messages", 500);
const LONG = flag("long", 1000);
const BUDGET_MS = flag("budget-s", 300) * 1000;
const SWITCH_ROUNDS = 10;

const log = (line: string) => console.error(`memory: ${line}`);

// ---------------------------------------------------------------------------------------------
// Building sessions through the server

interface Built {
  id: string;
  messages: number;
  /** Id of the last message and of the last assistant text part (what "painted" waits for). */
  lastMessageId: string;
  lastTextPartId: string;
}

interface StoredMessage {
  info: { id: string; role: string };
  parts: { id: string; type: string }[];
}

class Server {
  constructor(readonly oc: OpencodeServer) {}

  #url(path: string): string {
    return `${this.oc.url}${path}?directory=${encodeURIComponent(this.oc.dir)}`;
  }

  async post(path: string, body: unknown) {
    const res = await fetch(this.#url(path), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`Cannot POST ${path}: ${res.status} ${await res.text()}`);
    return await res.json();
  }

  async messages(id: string): Promise<StoredMessage[]> {
    const res = await fetch(this.#url(`/session/${id}/message`));
    if (!res.ok) throw new Error(`Cannot read messages of ${id}: ${res.status}`);
    return await res.json();
  }

  async describe(id: string): Promise<Built> {
    const list = await this.messages(id);
    const lastText = list.findLast((m) => m.info.role === "assistant")?.parts
      .findLast((p) => p.type === "text");
    return {
      id,
      messages: list.length,
      lastMessageId: list.at(-1)?.info.id ?? "",
      lastTextPartId: lastText?.id ?? "",
    };
  }
}

const FILLER = [
  "a short question",
  "a longer question that wraps over a couple of lines in a narrow window, so rows differ",
  "something with a list:\n- first point\n- second point\n- third point",
  "a question about `code` and **emphasis** in markdown",
];

/**
 * Replays turns (the sync endpoint: each turn completes first) until `target` messages, or until
 * `budgetMs` runs out (the first turn, which loads the instance's plugins, is not counted).
 */
async function buildByTurns(
  server: Server,
  target: number,
  budgetMs: number,
): Promise<{ id: string; msPerTurn: number }> {
  const session = await server.post("/session", { title: "Long session A" });
  const say = (n: number) => ({
    parts: [{ type: "text", text: `Turn ${n}: ${FILLER[n % FILLER.length]}` }],
  });
  await server.post(`/session/${session.id}/message`, say(0));
  const started = performance.now();
  let messages = 2;
  let turns = 0;
  let scaled = false;
  while (messages < target) {
    await server.post(`/session/${session.id}/message`, say(turns + 1));
    turns++;
    messages += 2;
    const elapsed = performance.now() - started;
    const msPerTurn = elapsed / turns;
    // Scale down when replaying every turn would not fit the budget.
    const fits = messages + Math.floor((budgetMs - elapsed) / msPerTurn) * 2;
    if (turns >= 5 && fits < target) {
      if (!scaled) log(`${msPerTurn.toFixed(0)} ms per turn: scaling the long sessions down`);
      scaled = true;
      target = Math.max(fits, messages);
    }
    if (turns % 50 === 0) log(`long session: ${messages} messages`);
  }
  return { id: session.id, msPerTurn: (performance.now() - started) / Math.max(1, turns) };
}

async function buildAll(server: Server) {
  const started = performance.now();
  const long = await buildByTurns(server, LONG, BUDGET_MS * 0.45);
  const a = await server.describe(long.id);
  let t = performance.now();
  const b = await server.describe((await server.post(`/session/${a.id}/fork`, {})).id);
  const msPerForked = (performance.now() - t) / b.messages;
  // The others: forks of the first `per` messages of A (a fork stops before the message given).
  const stored = await server.messages(a.id);
  const others = SESSIONS - 2;
  const left = BUDGET_MS - (performance.now() - started);
  let per = Math.min(MESSAGES, stored.length);
  const fits = Math.floor(left / Math.max(1, others) / msPerForked);
  if (fits < per) {
    log(`${msPerForked.toFixed(1)} ms per forked message: the others get ${fits} messages`);
    per = Math.max(2, fits - (fits % 2));
  }
  const rest: Built[] = [];
  for (let i = 0; i < others; i++) {
    t = performance.now();
    const at = stored[Math.min(per, stored.length - 1)].info.id;
    const fork = await server.post(
      `/session/${a.id}/fork`,
      per < stored.length ? { messageID: at } : {},
    );
    rest.push(await server.describe(fork.id));
    if ((i + 1) % 10 === 0) log(`forks: ${i + 1} of ${others}`);
  }
  return {
    a,
    b,
    rest,
    all: [a, b, ...rest],
    ms: performance.now() - started,
    msPerTurn: long.msPerTurn,
    msPerForked,
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** The page's JS heap after a full GC, and its DOM node count (CDP). */
async function heap(page: Page): Promise<{ usedMiB: number; nodes: number }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send("HeapProfiler.collectGarbage");
    const usage = await cdp.send("Runtime.getHeapUsage");
    await cdp.send("Performance.enable");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const nodes = metrics.find((m) => m.name === "Nodes")?.value ?? NaN;
    return { usedMiB: usage.usedSize / 2 ** 20, nodes };
  } finally {
    await cdp.detach();
  }
}

/**
 * Clicks `click` in the page and resolves once `painted` is in the DOM and a frame has been
 * produced after it (rAF, then a task: the frame with it was committed). Returns milliseconds.
 */
async function timeSwitch(page: Page, click: string, painted: string): Promise<number> {
  return await page.evaluate(`(async () => {
    const t0 = performance.now();
    document.querySelector(${JSON.stringify(click)}).click();
    await new Promise((resolve) => {
      const check = () => document.querySelector(${JSON.stringify(painted)})
        ? requestAnimationFrame(() => setTimeout(resolve, 0))
        : requestAnimationFrame(check);
      check();
    });
    return performance.now() - t0;
  })()`) as number;
}

/** The lower median (nearest rank), as this bench has always reported it. */
const median = (values: number[]) => percentile([...values].sort((x, y) => x - y), 50);
const p90 = (values: number[]) => percentile([...values].sort((x, y) => x - y), 90);

interface UiFigures {
  heapMiB: number;
  nodes: number;
  firstOpenMs: number[];
  switchMs: number[];
}

/** Our app: 50 tabs opened (each visited once, so its transcript is loaded), then switches. */
async function measureDesk(
  browser: Browser,
  appUrl: string,
  token: string,
  built: Awaited<ReturnType<typeof buildAll>>,
): Promise<UiFigures> {
  const port = Number(new URL(appUrl).port);
  const sock = await connect(port, { token });
  const pushes: ipc.ServerMessage[] = [];
  await request(sock, { hello: {} }, pushes);
  for (const s of built.all) {
    await request(sock, { openTab: { sessionId: s.id, index: -1 } }, pushes);
  }
  sock.ws.close();

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.getByRole("status", { name: "Connection status" }).getByText("Connected")
    .waitFor({ timeout: 60_000 });
  const tab = (id: string) => `[role="tablist"] [data-session-id="${id}"] [role="tab"]`;
  const last = (s: Built) => `[role="log"] article[data-message-id="${s.lastMessageId}"]`;
  await page.locator(tab(built.all.at(-1)!.id)).waitFor({ state: "attached", timeout: 60_000 });
  const firstOpenMs: number[] = [];
  // The long ones last, so switching between them starts from two loaded tabs.
  for (const s of [...built.rest, built.a, built.b]) {
    firstOpenMs.push(await timeSwitch(page, tab(s.id), last(s)));
  }
  const switchMs: number[] = [];
  for (let i = 0; i < SWITCH_ROUNDS; i++) {
    const to = i % 2 === 0 ? built.a : built.b;
    switchMs.push(await timeSwitch(page, tab(to.id), last(to)));
  }
  const h = await heap(page);
  await context.close();
  return { heapMiB: h.usedMiB, nodes: h.nodes, firstOpenMs, switchMs };
}

function base64url(s: string): string {
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** OpenCode's own web UI on the same server: the same 50 sessions opened as tabs, then switches. */
async function measureOpencodeUi(
  browser: Browser,
  oc: OpencodeServer,
  built: Awaited<ReturnType<typeof buildAll>>,
): Promise<UiFigures> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const base = `${oc.url}/server/${base64url(oc.url)}/session/`;
  const painted = (s: Built) =>
    `[data-component="text-part"][data-timeline-part-id="${s.lastTextPartId}"]`;
  const firstOpenMs: number[] = [];
  for (const s of [...built.rest, built.a, built.b]) {
    const t0 = performance.now();
    await page.goto(base + s.id);
    await page.locator(painted(s)).waitFor({ state: "attached", timeout: 60_000 });
    firstOpenMs.push(performance.now() - t0);
  }
  const tab = (s: Built) => `a[data-slot="tab-link"][href$="/session/${s.id}"]`;
  await page.locator(tab(built.a)).waitFor({ state: "attached", timeout: 30_000 });
  const switchMs: number[] = [];
  for (let i = 0; i < SWITCH_ROUNDS; i++) {
    const to = i % 2 === 0 ? built.a : built.b;
    switchMs.push(await timeSwitch(page, tab(to), painted(to)));
  }
  const tabsShown = await page.locator('a[data-slot="tab-link"]').count();
  log(`OpenCode web UI shows ${tabsShown} tabs`);
  const h = await heap(page);
  await context.close();
  return { heapMiB: h.usedMiB, nodes: h.nodes, firstOpenMs, switchMs };
}

// ---------------------------------------------------------------------------------------------
// The run

const cleanups: (() => Promise<unknown>)[] = [];
try {
  const tmp = await Deno.makeTempDir({ prefix: "desk-memory-" });
  cleanups.push(() => Deno.remove(tmp, { recursive: true }));
  const model = await startFakeModel({ tokenDelayMs: 0 });
  cleanups.push(() => model.close());
  const oc = await startOpencode({
    model,
    env: { OPENCODE_DISABLE_AUTOCOMPACT: "1", OPENCODE_DISABLE_PRUNE: "1" },
  });
  cleanups.push(() => oc.stop());
  const server = new Server(oc);

  log(`building ${SESSIONS} sessions (budget ${BUDGET_MS / 1000} s)…`);
  const built = await buildAll(server);
  const counts = built.all.map((s) => s.messages).sort((x, y) => x - y);
  const total = counts.reduce((x, y) => x + y, 0);
  log(`built ${total} messages in ${(built.ms / 1000).toFixed(0)} s`);

  const hello = await startHelloServer(tmp);
  cleanups.push(() => hello.stop());
  const helloRss = await rssMiB(hello.pid);

  const app = await startAppProcess({
    args: ["--headless", "--server", oc.url, "--port", "0"],
    env: { ...oc.env, OPENCODE_DESK_STATE: `${tmp}/state.json` },
  });
  cleanups.push(() => app.stop());
  const token = new URL(app.url).hash.replace("#token=", "");
  await new Promise((r) => setTimeout(r, 1_000));
  const coreIdle = await rssMiB(app.pid);

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  log("opening the tabs in OpenCode Desk…");
  const desk = await measureDesk(browser, app.url, token, built);
  const coreLoaded = await rssMiB(app.pid);
  log("opening the tabs in OpenCode's web UI…");
  const web = await measureOpencodeUi(browser, oc, built);
  const ocRss = await rssMiB(oc.pid);

  const ms = (v: number) => `${v.toFixed(0)} ms`.padStart(12);
  const mib = (v: number) => `${v.toFixed(1)} MiB`.padStart(12);
  const num = (v: number) => `${v.toFixed(0)}`.padStart(12);
  const row = (name: string, ours: string, theirs: string) =>
    console.log(`${name.padEnd(44)}${ours.padStart(14)}${theirs.padStart(18)}`);
  console.log("");
  console.log(
    `Built through the server: ${built.all.length} sessions, ${total} messages ` +
      `(2 long sessions of ${built.a.messages} and ${built.b.messages}; the others ` +
      `${counts[0]}-${counts.at(-3)} each) in ${(built.ms / 1000).toFixed(0)} s ` +
      `(${built.msPerTurn.toFixed(0)} ms per turn, ${built.msPerForked.toFixed(1)} ms per ` +
      `forked message).`,
  );
  console.log("");
  row("", "OpenCode Desk", "OpenCode web UI");
  row("browser JS heap, all tabs opened (after GC)", mib(desk.heapMiB), mib(web.heapMiB));
  row("DOM nodes", num(desk.nodes), num(web.nodes));
  row("first open of a tab, median", ms(median(desk.firstOpenMs)), ms(median(web.firstOpenMs)));
  row(
    `switch between the 2 long tabs, median`,
    ms(median(desk.switchMs)),
    ms(median(web.switchMs)),
  );
  row(`switch between the 2 long tabs, p90`, ms(p90(desk.switchMs)), ms(p90(web.switchMs)));
  console.log("");
  row("", "core (Deno)", "baseline");
  row("RSS at rest (hello-world Deno.serve)", mib(coreIdle), mib(helloRss));
  row("RSS with every tab's transcript loaded", mib(coreLoaded), "");
  row("opencode serve RSS (shared, for scale)", mib(ocRss), "");
  console.log("");
  console.log(
    "Notes: our UI keeps the whole transcripts of the 6 tabs it showed last (the core keeps " +
      "every open tab's); OpenCode's web UI loads 20 " +
      "messages at a time (more on scroll). A web UI tab open is a page load (it has no " +
      `in-app session picker for these sessions); switches are in-app clicks, ${SWITCH_ROUNDS} ` +
      "each, alternating.",
  );
} finally {
  await runCleanups(cleanups);
}
