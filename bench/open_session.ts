/**
 * Long sessions, ours next to OpenCode's own web UI (served by the same `opencode serve`), in the
 * same headless Chromium, against the same session, in one run:
 *
 * (a) opening a session of 1,000 messages and ~1,000 tool calls, built through the server
 *     (tests/support/long_session.ts): from navigation, and from a click on its tab while another
 *     session is on screen, to its last text part painted in view with its text;
 * (b) frame times while 3 sessions stream at ~200 tokens/s each (one of them the long session on
 *     screen), from requestAnimationFrame deltas in the page.
 *
 *   deno run -A bench/open_session.ts [--messages 1000] [--rounds 5]
 *
 * It prints figures; it asserts nothing.
 * @module
 */
import { type App, newPage, openByClick, openByNavigation } from "./open_page.ts";
import { startOpencode } from "../tests/support/opencode_server.ts";
import { startAppProcess } from "../tests/support/app_process.ts";
import { launchBrowser } from "../tests/support/browser.ts";
import {
  buildLongSession,
  LONG_SESSION_ENV,
  type LongSession,
  storedMessages,
} from "../tests/support/long_session.ts";
import { flag, median, percentile } from "./support.ts";

const MESSAGES = flag("messages", 1000);
const ROUNDS = flag("rounds", 5);
const STREAM_ROUNDS = 2;
const STREAM_MS = 5_000;
/** 5 ms apart: ~200 tokens/s per session. */
const TOKEN_DELAY_MS = 5;
const STREAM_TOKENS = Math.round((STREAM_MS + 1_500) / TOKEN_DELAY_MS);

const log = (line: string) => console.error(`open_session: ${line}`);

interface FrameStats {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  dropped: number;
}

function frameStats(deltas: number[]): FrameStats {
  const s = [...deltas].sort((a, b) => a - b);
  return {
    frames: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    max: s[s.length - 1] ?? NaN,
    dropped: s.filter((d) => d > 33).length,
  };
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const ratio = (
  ours: number,
  theirs: number,
) => (theirs > 0 ? `${(ours / theirs).toFixed(2)}×` : "-");

// ---------------------------------------------------------------------------------------------

const started = performance.now();
const oc = await startOpencode({ tokenDelayMs: 0, env: LONG_SESSION_ENV });
log(`opencode ${oc.url} (${oc.startMs.toFixed(0)} ms to start)`);
const long = await buildLongSession(oc, {
  messages: MESSAGES,
  textEvery: 3,
  toolCallsPerTurn: 4,
  onProgress: (n, ms) => {
    if (n % 100 < 3) log(`building: ${n} messages in ${(ms / 1000).toFixed(0)} s`);
  },
});
const others: LongSession[] = [];
for (const title of ["Stream A", "Stream B"]) {
  others.push(await buildLongSession(oc, { messages: 4, title, compactEvery: 0 }));
}
const other = others[0];
log(
  `built: ${long.messages} messages, ${long.toolCalls} tool calls, ${long.turns} turns in ` +
    `${(long.ms / 1000).toFixed(1)} s`,
);

const stateDir = await Deno.makeTempDir({ prefix: "open-session-bench-" });
const tabs = [other, ...others.slice(1), long].map((s) => ({ sessionId: s.sessionId }));
await Deno.writeTextFile(
  `${stateDir}/state.json`,
  JSON.stringify({
    version: 1,
    settings: {},
    projects: { [oc.dir]: { workspace: { tabs, activeSessionId: long.sessionId } } },
  }),
);
const desk = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});
const token = new URL(desk.url).hash;
const b64 = btoa(oc.url).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

const ours: App = {
  name: "OpenCode Desk",
  // The long session is the active tab: the app opens it on load.
  open: () => `${desk.origin}/${token}`,
  textPart: (id) => `[role="log"] [data-part-id="${id}"]`,
  tab: (id) => `[data-session-id="${id}"] [role="tab"]`,
};
const theirs: App = {
  name: "OpenCode web",
  open: (id) => `${oc.url}/server/${b64}/session/${id}`,
  textPart: (id) => `[data-component="text-part"][data-timeline-part-id="${id}"]`,
  tab: (id) => `a[data-slot="tab-link"][href$="/session/${id}"]`,
};
const apps = [ours, theirs];

const browser = await launchBrowser();

// (a) Opening the long session.
const nav = new Map<App, number[]>(apps.map((a) => [a, []]));
const click = new Map<App, number[]>(apps.map((a) => [a, []]));
// One warm-up navigation each: the browser's module cache, the core's and server's first reads.
for (const app of apps) await openByNavigation(browser, app, long);
for (let r = 0; r < ROUNDS; r++) {
  for (const app of r % 2 ? [...apps].reverse() : apps) {
    nav.get(app)!.push(await openByNavigation(browser, app, long));
  }
}
log(`navigation: ${apps.map((a) => `${a.name} ${nav.get(a)!.map((v) => v.toFixed(0))}`)}`);
for (const app of apps) {
  const page = await newPage(browser);
  // Both sessions become tabs: the other one, then the long one.
  if (app === theirs) {
    await page.goto(app.open(other.sessionId));
    await page.evaluate(
      `globalThis.__painted(${JSON.stringify(app.textPart(other.lastTextPartId))})`,
    );
  }
  await page.goto(app.open(long.sessionId));
  await page.evaluate(`globalThis.__painted(${JSON.stringify(app.textPart(long.lastTextPartId))})`);
  await openByClick(page, app, long, other); // warm-up
  for (let r = 0; r < ROUNDS; r++) click.get(app)!.push(await openByClick(page, app, long, other));
  await page.close();
  log(`click: ${app.name} ${click.get(app)!.map((v) => v.toFixed(0))}`);
}

// (b) Frame times while three sessions stream.
async function idle(): Promise<void> {
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const status = await (await fetch(`${oc.url}/session/status`)).json();
    if (Object.keys(status).length === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("Cannot measure: the sessions did not go idle in 60 s");
}

async function streamFrames(app: App, round: number): Promise<FrameStats> {
  // The last text part now: earlier rounds added turns.
  const last = (await storedMessages(oc, long.sessionId)).flatMap((m) => m.parts)
    .findLast((p) => p.type === "text" && !p.synthetic);
  const page = await newPage(browser);
  try {
    await page.goto(app.open(long.sessionId));
    await page.evaluate(`globalThis.__painted(${JSON.stringify(app.textPart(last?.id ?? ""))})`);
    await page.waitForTimeout(1_000);
    const sessions = [long, ...others];
    for (let i = 0; i < sessions.length; i++) {
      const tokens = Array.from(
        { length: STREAM_TOKENS },
        (_, k) => (k % 40 === 39 ? "\n\n" : `s${i}r${round}t${k} `),
      );
      oc.model.enqueue({ tokens, delayMs: TOKEN_DELAY_MS });
    }
    for (const s of sessions) {
      const res = await fetch(`${oc.url}/session/${s.sessionId}/prompt_async`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ parts: [{ type: "text", text: `stream round ${round}` }] }),
      });
      await res.body?.cancel();
    }
    // Wait for the first tokens on screen, then record frames for STREAM_MS.
    await page.evaluate(`new Promise((resolve, reject) => {
      const end = performance.now() + 30000;
      const check = () => {
        if (document.body.textContent.includes("s0r${round}t20 ")) resolve(true);
        else if (performance.now() > end) reject(new Error("Cannot see the stream start"));
        else setTimeout(check, 50);
      };
      check();
    })`);
    const deltas = await page.evaluate(`new Promise((resolve) => {
      const deltas = [];
      let last = 0;
      const end = performance.now() + ${STREAM_MS};
      const tick = (t) => {
        if (last) deltas.push(t - last);
        last = t;
        if (t < end) requestAnimationFrame(tick);
        else resolve(deltas);
      };
      requestAnimationFrame(tick);
    })`) as number[];
    await idle();
    return frameStats(deltas);
  } finally {
    await page.close();
  }
}

const frames = new Map<App, FrameStats[]>(apps.map((a) => [a, []]));
await idle();
for (let r = 0; r < STREAM_ROUNDS; r++) {
  for (const app of r % 2 ? [...apps].reverse() : apps) {
    frames.get(app)!.push(await streamFrames(app, r));
    log(`frames: ${app.name} round ${r}: ${JSON.stringify(frames.get(app)!.at(-1))}`);
  }
}

await browser.close();
await desk.stop();
await oc.stop();
await Deno.remove(stateDir, { recursive: true });

// ---------------------------------------------------------------------------------------------

const medianFrames = (list: FrameStats[]): FrameStats => ({
  frames: median(list.map((f) => f.frames)),
  p50: median(list.map((f) => f.p50)),
  p95: median(list.map((f) => f.p95)),
  max: median(list.map((f) => f.max)),
  dropped: median(list.map((f) => f.dropped)),
});

console.log(
  `\nLong session: ${long.messages} messages, ${long.toolCalls} tool calls, ${long.turns} turns ` +
    `(built through the server in ${(long.ms / 1000).toFixed(1)} s)\n`,
);
console.log(
  `(a) Open the session: until its last text part is painted in view (median of ${ROUNDS})`,
);
const [nd, nt] = [median(nav.get(ours)!), median(nav.get(theirs)!)];
const [cd, ct] = [median(click.get(ours)!), median(click.get(theirs)!)];
console.log(`  ${"".padEnd(22)}${ours.name.padEnd(16)}${theirs.name.padEnd(16)}ours/theirs`);
console.log(
  `  ${"navigation".padEnd(22)}${fmt(nd).padEnd(16)}${fmt(nt).padEnd(16)}${ratio(nd, nt)}`,
);
console.log(
  `  ${"click on its tab".padEnd(22)}${fmt(cd).padEnd(16)}${fmt(ct).padEnd(16)}${ratio(cd, ct)}`,
);
for (const app of apps) {
  console.log(
    `  ${app.name}: navigation ${nav.get(app)!.map((v) => v.toFixed(0)).join(", ")} ms; ` +
      `click ${click.get(app)!.map((v) => v.toFixed(0)).join(", ")} ms`,
  );
}
console.log(
  `\n(b) Frames while 3 sessions stream at ~${Math.round(1000 / TOKEN_DELAY_MS)} tokens/s each, ` +
    `the long one on screen (${STREAM_MS / 1000} s, median of ${STREAM_ROUNDS} rounds)`,
);
const [fo, ft] = [medianFrames(frames.get(ours)!), medianFrames(frames.get(theirs)!)];
console.log(`  ${"".padEnd(22)}${ours.name.padEnd(16)}${theirs.name.padEnd(16)}ours/theirs`);
for (
  const [label, key] of [["frame p50", "p50"], ["frame p95", "p95"], ["frame max", "max"]] as const
) {
  console.log(
    `  ${label.padEnd(22)}${`${fo[key].toFixed(1)} ms`.padEnd(16)}${
      `${ft[key].toFixed(1)} ms`.padEnd(16)
    }${ratio(fo[key], ft[key])}`,
  );
}
console.log(
  `  ${"frames > 33 ms".padEnd(22)}${`${fo.dropped} of ${fo.frames}`.padEnd(16)}${
    `${ft.dropped} of ${ft.frames}`.padEnd(16)
  }${ratio(fo.dropped, ft.dropped)}`,
);
console.log(`\nwhole run: ${((performance.now() - started) / 1000).toFixed(0)} s`);
