/**
 * Scale: what opening a session, holding many open tabs, a long session history and a cold start
 * cost, ours next to OpenCode's web UI (served by the same `opencode serve`) or a hello-world
 * `Deno.serve`, in the same headless Chromium, in one run.
 *
 * Sessions are built through the real server: one of ~125 messages by real prompts against the
 * fake model (tests/support/long_session.ts), `opencode export`ed, and larger ones `opencode
 * import`ed from copies of it with fresh, time-ordered ids (the turns repeated:
 * tests/support/session_copies.ts).
 *
 *   deno run -A bench/scale.ts [--rounds 3] [--tabs 20] [--sessions 1000] [--parts abcd]
 *
 * It prints figures; it asserts nothing.
 * @module
 */
import { startOpencode } from "../tests/support/opencode_server.ts";
import { type AppProcess, startAppProcess } from "../tests/support/app_process.ts";
import { launchBrowser } from "../tests/support/browser.ts";
import { buildLongSession, LONG_SESSION_ENV } from "../tests/support/long_session.ts";
import { SessionCopies } from "../tests/support/session_copies.ts";
import { type App, newPage, openByClick, openByNavigation, type Opened } from "./open_page.ts";
import { flag, median, percentile, rssMiB, startHelloServer } from "./support.ts";

const ROUNDS = flag("rounds", 3);
const TABS = flag("tabs", 20);
const SESSIONS = flag("sessions", 1000);
/** Which parts run (`--parts cd`: only the sidebar and the cold start). */
const PARTS = Deno.args.includes("--parts") ? Deno.args[Deno.args.indexOf("--parts") + 1] : "abcd";
const SIZES = PARTS.includes("a") ? [125, 1250, 12500] : [12500];
const log = (line: string) => console.error(`scale: ${line}`);
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : "-");

const started = performance.now();
const oc = await startOpencode({ tokenDelayMs: 0, env: LONG_SESSION_ENV });
const base = await buildLongSession(oc, {
  messages: 125,
  textEvery: 3,
  toolCallsPerTurn: 2,
  compactEvery: 0,
});
const other = await buildLongSession(oc, { messages: 4, title: "Other", compactEvery: 0 });
log(`base session: ${base.messages} messages in ${(base.ms / 1000).toFixed(0)} s`);

const copies = await SessionCopies.of(oc, base.sessionId);
const importCopy = (messages: number, title: string) => copies.copy(messages, title);

const sized = new Map<number, Opened>();
for (const n of SIZES) {
  const s = await importCopy(n, `Scale ${n}`);
  sized.set(n, s);
  log(`imported ${n} messages in ${(s.ms / 1000).toFixed(1)} s`);
}
const check = await (await fetch(`${oc.url}/session/${sized.get(12500)!.sessionId}/message`))
  .json();
log(`the server holds ${check.length} messages of the largest session`);

/** A desk app whose state opens `tabs` with `shown` on screen. */
async function startDesk(tabs: string[], shown: string): Promise<AppProcess & { dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "scale-bench-" });
  await Deno.writeTextFile(
    `${dir}/state.json`,
    JSON.stringify({
      version: 1,
      settings: {},
      projects: {
        [oc.dir]: {
          workspace: { tabs: tabs.map((sessionId) => ({ sessionId })), activeSessionId: shown },
        },
      },
    }),
  );
  const app = await startAppProcess({
    args: ["--headless", "--server", oc.url, "--port", "0"],
    env: { ...oc.env, OPENCODE_DESK_STATE: `${dir}/state.json` },
  });
  return Object.assign(app, { dir });
}

const browser = await launchBrowser();
const b64 = btoa(oc.url).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const theirs: App = {
  name: "OpenCode web",
  open: (id) => `${oc.url}/server/${b64}/session/${id}`,
  textPart: (id) => `[data-component="text-part"][data-timeline-part-id="${id}"]`,
  tab: (id) => `a[data-slot="tab-link"][href$="/session/${id}"]`,
};
const ourApp = (desk: AppProcess): App => ({
  name: "OpenCode Desk",
  open: () => `${desk.origin}/${new URL(desk.url).hash}`,
  textPart: (id) => `[role="log"] [data-part-id="${id}"]`,
  tab: (id) => `[data-session-id="${id}"] [role="tab"]`,
});

// (a) Open by navigation and by click, per size.
const openRows: {
  n: number;
  navOurs: number;
  navTheirs: number;
  clickOurs: number;
  clickTheirs: number;
}[] = [];
for (const n of PARTS.includes("a") ? SIZES : []) {
  const s = sized.get(n)!;
  const desk = await startDesk([other.sessionId, s.sessionId], s.sessionId);
  const ours = ourApp(desk);
  const nav = new Map<App, number[]>([[ours, []], [theirs, []]]);
  const click = new Map<App, number[]>([[ours, []], [theirs, []]]);
  for (const app of [ours, theirs]) await openByNavigation(browser, app, s); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const app of r % 2 ? [theirs, ours] : [ours, theirs]) {
      nav.get(app)!.push(await openByNavigation(browser, app, s));
    }
  }
  for (const app of [ours, theirs]) {
    const page = await newPage(browser);
    if (app === theirs) {
      await page.goto(app.open(other.sessionId));
      await page.evaluate(
        `globalThis.__painted(${JSON.stringify(app.textPart(other.lastTextPartId))})`,
      );
    }
    await page.goto(app.open(s.sessionId));
    await page.evaluate(`globalThis.__painted(${JSON.stringify(app.textPart(s.lastTextPartId))})`);
    await openByClick(page, app, s, other); // warm-up
    for (let r = 0; r < ROUNDS; r++) click.get(app)!.push(await openByClick(page, app, s, other));
    await page.close();
  }
  await desk.stop();
  await Deno.remove(desk.dir, { recursive: true });
  openRows.push({
    n,
    navOurs: median(nav.get(ours)!),
    navTheirs: median(nav.get(theirs)!),
    clickOurs: median(click.get(ours)!),
    clickTheirs: median(click.get(theirs)!),
  });
  log(`open ${n}: ${JSON.stringify(openRows.at(-1))}`);
}

// (b) Many open tabs of the largest session: the core's RSS and the page's heap.
const tabSessions: Opened[] = [sized.get(12500)!];
const tabImport = performance.now();
// (d) needs 5 sessions of 12,500 messages; (b) all the tabs.
const wanted = PARTS.includes("b") ? TABS : PARTS.includes("d") ? 5 : 1;
while (tabSessions.length < wanted && performance.now() - tabImport < 900_000) {
  tabSessions.push(await importCopy(12500, `Tab ${tabSessions.length}`));
}
log(
  `${tabSessions.length} tabs of 12,500 messages (imports ${
    ((performance.now() - tabImport) / 1000).toFixed(0)
  } s)`,
);
const desk = await startDesk(tabSessions.map((s) => s.sessionId), tabSessions[0].sessionId);
const ours = ourApp(desk);
let tabs = { rssStart: NaN, rssTabs: NaN, rssHello: NaN, heap: NaN, metricsHeap: NaN };
if (PARTS.includes("b")) tabs = await measureTabs();

/** Shows every tab once; the core's RSS before and after, the page's JS heap after a GC. */
async function measureTabs() {
  const rssStart = await rssMiB(desk.pid);
  const page = await newPage(browser);
  await page.goto(ours.open(""));
  for (const s of tabSessions) {
    await page.locator(ours.tab(s.sessionId)).first().click();
    await page.evaluate(
      `globalThis.__painted(${JSON.stringify(ours.textPart(s.lastTextPartId))})`,
    );
  }
  const client = await page.context().newCDPSession(page);
  await client.send("HeapProfiler.collectGarbage");
  const heap = (await client.send("Runtime.getHeapUsage")) as { usedSize: number };
  await client.send("Performance.enable");
  const { metrics } = (await client.send("Performance.getMetrics")) as {
    metrics: { name: string; value: number }[];
  };
  const rssTabs = await rssMiB(desk.pid);
  const hello = await startHelloServer(desk.dir);
  const rssHello = await rssMiB(hello.pid);
  await hello.stop();
  await page.close();
  return {
    rssStart,
    rssTabs,
    rssHello,
    heap: heap.usedSize,
    metricsHeap: metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? NaN,
  };
}

// (c) A history of many sessions: the sidebar's first paint and frames while it scrolls.
const made = performance.now();
for (let i = 0; i < (PARTS.includes("c") || PARTS.includes("d") ? SESSIONS : 0); i += 20) {
  await Promise.all(Array.from({ length: Math.min(20, SESSIONS - i) }, async (_, k) => {
    const res = await fetch(`${oc.url}/session?directory=${encodeURIComponent(oc.dir)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: `History ${i + k}` }),
    });
    await res.body?.cancel();
  }));
}
if (PARTS.includes("c") || PARTS.includes("d")) {
  log(`${SESSIONS} sessions made in ${((performance.now() - made) / 1000).toFixed(0)} s`);
}
const sidebar = {
  paint: [] as number[],
  p50: [] as number[],
  p95: [] as number[],
  max: [] as number[],
};
await desk.stop();
await Deno.remove(desk.dir, { recursive: true });
for (let r = 0; r < (PARTS.includes("c") ? ROUNDS : 0); r++) {
  // A fresh app each round: it reads the list at start, as when a person opens it.
  const d = await startDesk([tabSessions[0].sessionId], tabSessions[0].sessionId);
  const p = await newPage(browser);
  await p.goto(ourApp(d).open(""));
  sidebar.paint.push(
    await p.evaluate(
      `globalThis.__painted('.session-list .session-item:nth-of-type(3) .session-title')`,
    ) as number,
  );
  await p.waitForTimeout(500);
  const deltas = await p.evaluate(`new Promise((resolve) => {
    const list = document.querySelector(".session-list");
    const deltas = [];
    let last = 0;
    const end = performance.now() + 4000;
    const tick = (t) => {
      if (last) deltas.push(t - last);
      last = t;
      list.scrollTop += 60;
      if (t < end) requestAnimationFrame(tick);
      else resolve({ deltas, top: list.scrollTop, items: document.querySelectorAll(".session-item").length });
    };
    requestAnimationFrame(tick);
  })`) as { deltas: number[]; top: number; items: number };
  const s = [...deltas.deltas].sort((a, b) => a - b);
  sidebar.p50.push(percentile(s, 50));
  sidebar.p95.push(percentile(s, 95));
  sidebar.max.push(s.at(-1) ?? NaN);
  log(`sidebar round ${r}: scrolled to ${deltas.top}px, ${deltas.items} items in the DOM`);
  await p.close();
  await d.stop();
  await Deno.remove(d.dir, { recursive: true });
}

// (d) Cold start: process start to UI painted and to the last message painted; hello-world next.
const cold = {
  ready: [] as number[],
  ui: [] as number[],
  last: [] as number[],
  hello: [] as number[],
};
const big = sized.get(12500)!;
for (let r = 0; r < (PARTS.includes("d") ? ROUNDS : 0); r++) {
  const t0 = performance.now();
  const d = await startDesk(
    [...tabSessions.slice(1, 5).map((s) => s.sessionId), big.sessionId],
    big.sessionId,
  );
  cold.ready.push(performance.now() - t0);
  const p = await newPage(browser);
  await p.goto(ourApp(d).open(""));
  const nav = await p.evaluate("performance.timeOrigin") as number;
  const ui = await p.evaluate(
    `globalThis.__painted('[role="tab"][aria-selected="true"]')`,
  ) as number;
  const last = await p.evaluate(
    `globalThis.__painted(${JSON.stringify(ours.textPart(big.lastTextPartId))})`,
  ) as number;
  const origin = nav - (performance.timeOrigin + t0);
  cold.ui.push(origin + ui);
  cold.last.push(origin + last);
  await p.close();
  await d.stop();
  await Deno.remove(d.dir, { recursive: true });
  const h0 = performance.now();
  const dir = await Deno.makeTempDir();
  const h = await startHelloServer(dir);
  const hp = await newPage(browser);
  await hp.goto(`http://127.0.0.1:${h.port}/`);
  await hp.evaluate("new Promise((r) => requestAnimationFrame(() => setTimeout(r)))");
  cold.hello.push(performance.now() - h0);
  await hp.close();
  await h.stop();
  await Deno.remove(dir, { recursive: true });
}

await browser.close();
await oc.stop();

// ---------------------------------------------------------------------------------------------
console.log(
  `\nScale (base session ${base.messages} messages built through the server; copies imported)\n`,
);
if (PARTS.includes("a")) {
  console.log(`(a) Open a session until its last text part is painted (median of ${ROUNDS})`);
  console.log(
    `  ${"messages".padEnd(10)}${"nav ours".padEnd(11)}${"nav web".padEnd(11)}${"ratio".padEnd(8)}${
      "click ours".padEnd(12)
    }${"click web".padEnd(11)}ratio`,
  );
  for (const r of openRows) {
    console.log(
      `  ${String(r.n).padEnd(10)}${fmt(r.navOurs).padEnd(11)}${fmt(r.navTheirs).padEnd(11)}${
        ratio(r.navOurs, r.navTheirs).padEnd(8)
      }` +
        `${fmt(r.clickOurs).padEnd(12)}${fmt(r.clickTheirs).padEnd(11)}${
          ratio(r.clickOurs, r.clickTheirs)
        }`,
    );
  }
}
if (PARTS.includes("b")) {
  console.log(`\n(b) ${tabSessions.length} open tabs of 12,500 messages, each shown once`);
  console.log(
    `  core RSS: ${tabs.rssStart.toFixed(0)} MiB at start, ${
      tabs.rssTabs.toFixed(0)
    } MiB after (hello-world Deno.serve: ${tabs.rssHello.toFixed(0)} MiB)`,
  );
  console.log(
    `  page JS heap after GC: ${(tabs.heap / 2 ** 20).toFixed(1)} MiB (Performance.getMetrics ${
      (tabs.metricsHeap / 2 ** 20).toFixed(1)
    } MiB)`,
  );
}
if (PARTS.includes("c")) {
  console.log(`\n(c) Sidebar with ${SESSIONS} more sessions (median of ${ROUNDS})`);
  console.log(`  navigation → first sessions painted: ${fmt(median(sidebar.paint))}`);
  console.log(
    `  frames while scrolling 60 px a frame for 4 s: p50 ${
      median(sidebar.p50).toFixed(1)
    } ms, p95 ${median(sidebar.p95).toFixed(1)} ms, max ${median(sidebar.max).toFixed(1)} ms`,
  );
}
if (PARTS.includes("d")) {
  console.log(`\n(d) Cold start, server running (median of ${ROUNDS})`);
  console.log(`  process start → ready line: ${fmt(median(cold.ready))}`);
  console.log(`  process start → UI painted (its tab): ${fmt(median(cold.ui))}`);
  console.log(
    `  process start → last message of a 12,500-message session painted: ${fmt(median(cold.last))}`,
  );
  console.log(`  hello-world Deno.serve: process start → page painted: ${fmt(median(cold.hello))}`);
}
console.log(`\nwhole run: ${((performance.now() - started) / 1000).toFixed(0)} s`);
