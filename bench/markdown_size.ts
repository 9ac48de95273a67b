/**
 * Huge replies: what a 300 KB single paragraph and a 300 KB code block cost the page, next to a
 * reply of the same size in short paragraphs (the baseline: many small blocks, each rendered
 * once), measured in the same run.
 *
 * The fake model streams each reply in 48-character tokens through a real `opencode serve`;
 * `main.ts --headless` runs as a child process and a real Chromium shows its UI. Per reply:
 * - stream: first to last token written by the fake model (the server's own pace),
 * - rendered: last token written → the reply fully rendered as markdown in the page (turn footer
 *   shown, the last word in view, no block left as plain text),
 * - busy: main-thread task time of the page from the prompt to rendered (CDP `TaskDuration`),
 * - longest task: the page's longest task in that time (PerformanceObserver `longtask`),
 * - answer p95/max: round trips of a trivial `page.evaluate` every 100 ms while it streams, the
 *   wait input would see.
 *
 * `deno run -A bench/markdown_size.ts [--kb 300] [--rounds 1]`. Prints figures; asserts nothing.
 * @module
 */
import type { CDPSession, Page } from "playwright-core";
import { startOpencode } from "../tests/support/opencode_server.ts";
import { startAppProcess } from "../tests/support/app_process.ts";
import { launchBrowser, newSession, watchErrors } from "../tests/support/browser.ts";
import { BIG_REPLY_END, bigReply, type BigReplyShape } from "../tests/support/fake_model.ts";
import { flag, median, percentile, runCleanups } from "./support.ts";

const TOKEN_DELAY_MS = 1;
const POLL_MS = 100;
/** A reply not rendered this long after the prompt is reported as not finished. */
const DEADLINE_MS = 300_000;
const SHAPES: [BigReplyShape, string][] = [
  ["paragraphs", "short paragraphs (baseline)"],
  ["paragraph", "one paragraph"],
  ["code", "one code block"],
];

/** Installed in the page: long tasks since the last reset. */
const PAGE_PROBE = `(() => {
  const b = globalThis.__size = { longest: 0, total: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      b.longest = Math.max(b.longest, e.duration);
      b.total += e.duration;
    }
  }).observe({ type: "longtask" });
})()`;

/** Whether the last reply is fully rendered: footer shown, last word in, nothing left plain. */
const RENDERED = `(() => {
  const all = document.querySelectorAll('article[data-role="assistant"]');
  const last = all[all.length - 1];
  if (!last || !last.querySelector(".turn-footer")) return false;
  const md = last.querySelector(".part.text .markdown");
  if (!md || md.querySelector(".md-plain")) return false;
  const end = md.lastElementChild;
  return !!end && end.textContent.includes(${JSON.stringify(BIG_REPLY_END)});
})()`;

interface Figures {
  /** False when the reply was not rendered by the deadline: the figures are "at least". */
  finished: boolean;
  streamMs: number;
  renderedMs: number;
  busyMs: number;
  longestMs: number;
  answerP95: number;
  answerMax: number;
}

async function taskMs(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return (metrics.find((m) => m.name === "TaskDuration")?.value ?? NaN) * 1000;
}

async function main(): Promise<void> {
  const chars = flag("kb", 300) * 1000;
  const rounds = flag("rounds", 1);
  const started = performance.now();
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const oc = await startOpencode({ tokenDelayMs: TOKEN_DELAY_MS });
    cleanups.push(() => oc.stop());
    const app = await startAppProcess({
      args: ["--headless", "--server", oc.url, "--port", "0"],
      env: oc.env,
    });
    cleanups.push(() => app.stop());
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    const page: Page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(app.url);
    await page.getByRole("status", { name: "Connection status" }).getByText("Connected")
      .waitFor({ timeout: 20_000 });
    await page.evaluate(PAGE_PROBE);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const input = page.getByRole("textbox", { name: "Message" });

    const run = async (shape: BigReplyShape, n: number, size = chars): Promise<Figures> => {
      await newSession(page); // one reply per session: the transcript holds only it
      const { tokens } = bigReply(shape, size);
      oc.model.reset();
      oc.model.enqueue({ tokens, delayMs: TOKEN_DELAY_MS });
      await page.evaluate("globalThis.__size.longest = 0, globalThis.__size.total = 0");
      const busy0 = await taskMs(cdp);
      await input.fill(`huge ${shape} ${n}`);
      await input.press("Enter");
      const answers: number[] = [];
      let renderedAt = 0;
      const deadline = performance.now() + DEADLINE_MS;
      while (!renderedAt) {
        if (performance.now() > deadline) {
          const busy = await taskMs(cdp) - busy0;
          const long = await page.evaluate("globalThis.__size") as { longest: number };
          await page.reload(); // stop it: the page may still be rendering
          await page.getByRole("status", { name: "Connection status" }).getByText("Connected")
            .waitFor({ timeout: 120_000 });
          await page.evaluate(PAGE_PROBE);
          answers.sort((a, b) => a - b);
          return {
            finished: false,
            streamMs: NaN,
            renderedMs: DEADLINE_MS,
            busyMs: busy,
            longestMs: long.longest,
            answerP95: percentile(answers, 95),
            answerMax: answers.at(-1) ?? NaN,
          };
        }
        const t0 = performance.now();
        const done = await page.evaluate(RENDERED) as boolean;
        const t1 = performance.now();
        if (done) renderedAt = t1;
        else {
          answers.push(t1 - t0);
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
      }
      const busy = await taskMs(cdp) - busy0;
      const sent = oc.model.tokens().filter((t) => t.field === "content");
      const long = await page.evaluate("globalThis.__size") as { longest: number };
      answers.sort((a, b) => a - b);
      return {
        finished: true,
        streamMs: sent.at(-1)!.sentAt - sent[0].sentAt,
        // performance.timeOrigin + now() on both sides: one machine clock.
        renderedMs: performance.timeOrigin + renderedAt - sent.at(-1)!.sentAt,
        busyMs: busy,
        longestMs: long.longest,
        answerP95: percentile(answers, 95),
        answerMax: answers.at(-1) ?? NaN,
      };
    };

    console.log(
      `opencode-desk markdown size bench: ${chars / 1000} KB replies in 48-character tokens, ` +
        `one every ${TOKEN_DELAY_MS} ms from the fake model; ${rounds} round(s); ` +
        `${navigator.hardwareConcurrency} CPUs\n`,
    );
    await run("paragraphs", 0, 20_000); // warm-up: the server's and the page's first reply
    // A reply not rendered by the deadline: its figures are "at least" (">").
    let over = "";
    const s = (v: number) =>
      (Number.isNaN(v) ? "-" : `${over}${(v / 1000).toFixed(1)} s`).padStart(10);
    const ms = (v: number) => (Number.isNaN(v) ? "-" : `${over}${Math.round(v)} ms`).padStart(10);
    console.log(
      `  ${"reply".padEnd(30)}${"stream".padStart(10)}${"rendered".padStart(10)}` +
        `${"busy".padStart(10)}${"longest".padStart(10)}${"ans p95".padStart(10)}` +
        `${"ans max".padStart(10)}   busy vs baseline`,
    );
    let baseBusy = NaN;
    for (const [shape, label] of SHAPES) {
      const figures: Figures[] = [];
      for (let n = 1; n <= rounds; n++) figures.push(await run(shape, n));
      const med = (k: Exclude<keyof Figures, "finished">) => median(figures.map((f) => f[k]));
      over = figures.every((f) => f.finished) ? "" : ">";
      if (shape === "paragraphs") baseBusy = med("busyMs");
      console.log(
        `  ${label.padEnd(30)}${s(med("streamMs"))}${s(med("renderedMs"))}${s(med("busyMs"))}` +
          `${ms(med("longestMs"))}${ms(med("answerP95"))}${ms(med("answerMax"))}   ` +
          `${over}${(med("busyMs") / baseBusy).toFixed(2)}×`,
      );
    }
    console.log(
      "\n  stream: first → last token written; rendered: last token written → fully rendered;",
    );
    console.log("  busy: page main-thread task time, prompt → rendered; ans: evaluate round trip");
    console.log(`  ">": not rendered ${DEADLINE_MS / 1000} s after the prompt; figures taken then`);
    if (errors.length) console.log(`\n  page errors: ${errors.join("; ")}`);
    console.log(`\n  total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await runCleanups(cleanups);
  }
}

if (import.meta.main) await main();
