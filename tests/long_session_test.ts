/**
 * Long transcripts, end to end: a session of 1,000+ messages and hundreds of tool calls, opened
 * by the app in a real Chromium. A session of 50 messages (20 turns) is built through the real
 * server turn by turn (tests/support/long_session.ts); the long one is imported from copies of it
 * (tests/support/session_copies.ts, as bench/scale.ts does). It opens at its end with only its
 * newest page loaded and only the rows near the viewport in the DOM, streams a new reply at the
 * bottom without touching the other rows, loads older pages while scrolling to its first message
 * and back, keeps them across reconnects, and finds a word of its first message that no window
 * has loaded yet.
 */
import { assert, assertEquals, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { startAppProcess } from "./support/app_process.ts";
import { launchBrowser, watchErrors, withTestHooks } from "./support/browser.ts";
import {
  buildLongSession,
  LONG_SESSION_ENV,
  type StoredMessage,
  storedMessages,
} from "./support/long_session.ts";
import { SessionCopies } from "./support/session_copies.ts";
import type { Page } from "playwright-core";
import { shutdownAfterAll } from "./support/shutdown.ts";

/** 1,000 unless `LONG_SESSION_MESSAGES` says otherwise (a smaller one builds faster). */
const MESSAGES = Number(Deno.env.get("LONG_SESSION_MESSAGES") ?? 1000);

const oc = await startOpencode({ tokenDelayMs: 0, env: LONG_SESSION_ENV });
const base = await buildLongSession(oc, {
  messages: Math.min(MESSAGES, 50),
  toolCallsPerTurn: 2,
  compactEvery: 0,
});
const built = await (await SessionCopies.of(oc, base.sessionId)).copy(MESSAGES, "Long session");
console.error(
  `long session: ${built.messages} messages, ${built.toolCalls} tool calls, ${built.turns} turns, ` +
    `imported in ${(built.ms / 1000).toFixed(1)} s from ${base.messages} built in ` +
    `${(base.ms / 1000).toFixed(1)} s`,
);
const stored = await storedMessages(oc, built.sessionId);
const stateDir = await Deno.makeTempDir({ prefix: "long-session-" });
// The session is open in a tab before the app starts, as if the person left it open.
await Deno.writeTextFile(
  `${stateDir}/state.json`,
  JSON.stringify({
    version: 1,
    settings: {},
    projects: {
      [oc.dir]: {
        workspace: { tabs: [{ sessionId: built.sessionId }], activeSessionId: built.sessionId },
      },
    },
  }),
);
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
const errors = watchErrors(page);
const url = withTestHooks(app.url);
/** The most messages a window holds when it opens the session: a page of whole turns. */
const PAGE_BOUND = 60;

// Deno's sanitizers would flag the shared server and browser; shutdownAfterAll closes them.
const opts = { sanitizeOps: false, sanitizeResources: false };

/** Rows the transcript should have: a user message, or the assistant messages of one turn. */
function expectedRows(messages: StoredMessage[]): number {
  let rows = 0;
  let parent: string | undefined = "\u0000";
  for (const m of messages) {
    if (m.info.role === "user") {
      rows++;
      parent = "\u0000";
    } else if (m.info.parentID !== parent) {
      rows++;
      parent = m.info.parentID;
    }
  }
  return rows;
}

/** Where an element is against the transcript's viewport. */
async function placement(p: Page, selector: string): Promise<string> {
  // A string: this file is type-checked without the DOM library.
  return await p.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    if (!el) return "absent";
    const log = document.querySelector('[role="log"]').getBoundingClientRect();
    const r = el.getBoundingClientRect();
    if (r.bottom <= log.top || r.top >= log.bottom) return "outside";
    return r.top >= log.top - 1 && r.bottom <= log.bottom + 1 ? "inside" : "partly";
  })()`) as string;
}

/** The ids of the messages the page holds for the long session, in order. */
async function heldIds(p: Page): Promise<string[]> {
  return await p.evaluate(
    `globalThis.__desk.messageIds(${JSON.stringify(built.sessionId)})`,
  ) as string[];
}

/** The server's stored message ids, now. */
async function storedIds(): Promise<string[]> {
  return (await storedMessages(oc, built.sessionId)).map((m) => m.info.id);
}

async function counts(p: Page): Promise<{ rows: number; articles: number }> {
  return await p.evaluate(`({
    rows: document.querySelectorAll('[role="log"] .v-row').length,
    articles: document.querySelectorAll('[role="log"] article[data-message-id]').length,
  })`) as { rows: number; articles: number };
}

const lastText = `[data-part-id="${built.lastTextPartId}"]`;
const firstMessage = `[role="log"] article[data-message-id="${built.firstMessageId}"]`;

Deno.test({
  name:
    "transcript opens a 1,000-message session at its end, with a page of it loaded and only nearby rows in the DOM",
  ...opts,
  fn: async () => {
    assert(built.messages >= MESSAGES, `built ${built.messages} messages`);
    assert(built.toolCalls >= MESSAGES * 0.3, `built ${built.toolCalls} tool calls`);
    await page.goto(url);
    await page.locator(lastText).waitFor({ timeout: 60_000 });
    await waitFor(
      async () => await placement(page, lastText) === "inside",
      "the last reply in view",
    );
    assertEquals(await page.getByRole("button", { name: "Jump to latest" }).count(), 0);

    const { rows, articles } = await counts(page);
    assert(rows > 0 && rows <= 60, `rows in the DOM: ${rows}`);
    assert(articles <= PAGE_BOUND, `message articles in the DOM: ${articles}`);

    // Only the newest page is loaded: whole turns, the newest messages, in order.
    const held = await heldIds(page);
    assert(held.length > 0 && held.length <= PAGE_BOUND, `messages held: ${held.length}`);
    const all = stored.map((m) => m.info.id);
    assertEquals(held, all.slice(all.length - held.length), "the newest messages");
    assertEquals(stored[all.length - held.length].info.role, "user", "a page starts a turn");
    assertEquals(await page.locator('[role="log"]').getAttribute("data-older"), "more");

    // Assistive technology learns the size of the log and where each row sits in it.
    const want = expectedRows(stored.slice(all.length - held.length));
    const last = await page.evaluate(`(() => {
      const rows = document.querySelectorAll('[role="log"] [aria-posinset]');
      const last = rows[rows.length - 1];
      return { pos: last.getAttribute("aria-posinset"), size: last.getAttribute("aria-setsize") };
    })()`) as { pos: string; size: string };
    assertEquals(last, { pos: String(want), size: String(want) });

    // A turn is one article holding its steps in order: the tool step, then the answer.
    const turns = await page.evaluate(`[...document.querySelectorAll(
      '[role="log"] [role="article"][aria-label="Assistant"]')].map((t) => ({
        ids: [...t.querySelectorAll("article[data-message-id]")].map((a) => a.dataset.messageId),
        tools: t.querySelectorAll(".part.tool").length,
      }))`) as { ids: string[]; tools: number }[];
    assert(turns.length > 0, "turns in the DOM");
    for (const t of turns) {
      const parent = stored.find((m) => m.info.id === t.ids[0])?.info.parentID;
      const group = stored.filter((m) => m.info.role === "assistant" && m.info.parentID === parent);
      assertEquals(t.ids, group.map((m) => m.info.id), "the steps of one turn");
    }
    assert(turns.some((t) => t.ids.length === 2 && t.tools === 2), JSON.stringify(turns));
  },
});

Deno.test({
  name:
    "transcript streams a new reply at the bottom of a paged long session without touching other rows",
  ...opts,
  fn: async () => {
    await page.locator('[role="log"]').focus();
    await page.keyboard.press("End");
    await waitFor(async () => await placement(page, lastText) === "inside", "at the end");
    // Records, from now on, every change inside a row that exists already.
    await page.evaluate(`(() => {
      const old = new Set([...document.querySelectorAll('[role="log"] .v-row')].map((r) => r.dataset.key));
      const touched = new Set();
      globalThis.__touched = touched;
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === "attributes" && r.attributeName === "aria-setsize") continue;
          const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
          const row = node?.closest(".v-row");
          if (row && old.has(row.dataset.key)) touched.add(row.dataset.key + " " + r.type);
        }
      }).observe(document.querySelector('[role="log"]'),
        { subtree: true, childList: true, characterData: true, attributes: true });
    })()`);
    const tokens = Array.from({ length: 40 }, (_, i) => `fresh${i} `);
    oc.model.enqueue({ tokens, delayMs: 40 });
    const input = page.getByRole("textbox", { name: "Message" });
    await input.fill("one more at the end");
    await input.press("Enter");
    const reply = page.locator('[role="log"] article[data-role="assistant"] .part.text').last();
    await reply.getByText("fresh5").waitFor({ timeout: 30_000 });
    // While it streams, the growing reply stays in view.
    const id = await reply.getAttribute("data-part-id");
    assert(id && id !== built.lastTextPartId, "a new text part");
    await waitFor(
      async () => (await reply.textContent() ?? "").includes("fresh20"),
      "more tokens",
      30_000,
    );
    assertEquals(await placement(page, `[data-part-id="${id}"]`), "inside");
    await waitFor(
      async () => (await reply.textContent() ?? "").includes("fresh39"),
      "the whole reply",
      30_000,
    );
    await waitFor(
      async () => await placement(page, `[data-part-id="${id}"]`) === "inside",
      "the reply in view at its end",
    );
    const mine = page.locator('[role="log"] article[data-role="user"]').last();
    assertEquals((await mine.textContent())?.trim(), "one more at the end");
    const touched = await page.evaluate("[...globalThis.__touched]") as string[];
    assertEquals(touched, [], "rows changed by the new turn");
    await waitFor(async () => {
      const [held, all] = [await heldIds(page), await storedIds()];
      return held.length < PAGE_BOUND + 4 && held.join() === all.slice(-held.length).join();
    }, "the page ends with the server's newest messages");
    assertEquals(errors, [], "page errors");
  },
});

Deno.test({
  name:
    "transcript loads older pages while scrolling to the first message, without gaps, jumps or doubles",
  ...opts,
  fn: async () => {
    // Upwards a bit more than half a viewport at a time: the row under the middle of the view
    // must move by exactly the distance scrolled (rows measured on the way do not shift it),
    // and every view is covered by rows (no blank spacer).
    const trace = await page.evaluate(`(async () => {
      const log = document.querySelector('[role="log"]');
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      const box = log.getBoundingClientRect();
      const mid = () => document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
        ?.closest(".v-row");
      const problems = [];
      let steps = 0;
      const more = () => log.dataset.older === "more";
      let waited = 0;
      while ((log.scrollTop > 0 || more()) && steps < 4000 && waited < 1200) {
        if (log.scrollTop === 0) {
          // At the top with older pages to come: they load and the view keeps its place.
          waited++;
          await frame();
          continue;
        }
        const row = mid();
        if (!row) problems.push("no row in the middle at " + log.scrollTop);
        const key = row?.dataset.key;
        const before = row?.getBoundingClientRect().top;
        const step = Math.min(log.scrollTop, Math.round(box.height * 0.6));
        log.scrollTop -= step;
        // Rows that entered the window fill in after a paint and are corrected before the next:
        // compare once the row stopped moving.
        const again = () => log.querySelector('.v-row[data-key="' + key + '"]')?.getBoundingClientRect().top;
        let at = NaN;
        for (let i = 0; i < 30; i++) {
          await frame();
          const now = again();
          if (now === at) break;
          at = now;
        }
        if (at !== undefined && before !== undefined) {
          const moved = at - before;
          if (Math.abs(moved - step) > 2) problems.push("moved " + moved + " for " + step);
        }
        steps++;
      }
      return { steps, problems: problems.slice(0, 10), top: log.scrollTop };
    })()`) as { steps: number; problems: string[]; top: number };
    assert(trace.steps > 20, `scrolled in ${trace.steps} steps`);
    assertEquals(trace.problems, [], "scrolling");
    await waitFor(
      async () => await placement(page, firstMessage) !== "absent",
      "the first message",
    );
    assertEquals(await placement(page, firstMessage), "inside");
    assert((await counts(page)).rows <= 60, "still windowed at the top");
    // Every message once, in order, and the log's size is the whole session's.
    assertEquals(await heldIds(page), await storedIds(), "the messages held");
    const size = await page.locator('[role="log"] [aria-setsize]').first().getAttribute(
      "aria-setsize",
    );
    assertEquals(size, String(expectedRows(await storedMessages(oc, built.sessionId))));

    const jump = page.getByRole("button", { name: "Jump to latest" });
    await jump.click();
    await waitFor(async () => await placement(page, lastText) === "inside", "the last reply again");
    await waitFor(async () => await jump.count() === 0, "the button goes away at the end");
    // Keyboard: Home goes to the top of the log, End back to the end.
    await page.locator('[role="log"]').focus();
    await page.keyboard.press("Home");
    await waitFor(async () => await placement(page, firstMessage) === "inside", "Home");
    await page.keyboard.press("End");
    await waitFor(async () => await placement(page, lastText) === "inside", "End");
  },
});

Deno.test({
  name:
    "transcript keeps its older pages across reconnects and ends equal to the server's messages",
  ...opts,
  fn: async () => {
    const all = await storedIds();
    assertEquals(await heldIds(page), all, "every page loaded before the reconnects");
    // The core's event stream drops (the server closes it): the core re-reads its newest page.
    const res = await fetch(`${oc.url}/instance/dispose?directory=${encodeURIComponent(oc.dir)}`, {
      method: "POST",
    });
    await res.body?.cancel();
    // The window's socket drops while a turn is sent through the server meanwhile.
    oc.model.enqueue({ text: "Answer while away.", delayMs: 0 });
    await page.evaluate("globalThis.__desk.dropSocket()");
    const sent = await fetch(`${oc.url}/session/${built.sessionId}/message`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ parts: [{ type: "text", text: "Sent while away" }] }),
    });
    await sent.body?.cancel();
    const after = await storedIds();
    assert(after.length >= all.length + 2, "a turn was added");
    await waitFor(
      async () => (await heldIds(page)).join() === after.join(),
      "the window holds exactly the server's messages",
      30_000,
    );
    await page.getByText("Answer while away.").waitFor({ timeout: 10_000 });
    assertEquals(errors, [], "page errors");
  },
});

Deno.test({
  name: "find in session finds a word only the first message has, loads its page and shows it",
  ...opts,
  fn: async () => {
    // A fresh window: only the newest page is loaded.
    await page.goto("about:blank");
    await page.goto(url);
    await page.locator(lastText).waitFor({ timeout: 60_000 });
    const held = (await heldIds(page)).length;
    assert(held <= PAGE_BOUND, `only a page loaded: ${held} messages`);
    await page.locator('[role="log"]').focus();
    await page.keyboard.press("Control+f");
    const box = page.getByRole("searchbox", { name: "Find in session" });
    await box.waitFor();
    await box.fill("Turn 0:");
    const bar = page.getByRole("search");
    await bar.getByRole("status").getByText("1 of 1").waitFor({ timeout: 20_000 });
    await waitFor(
      async () => await placement(page, firstMessage) === "inside",
      "the first message in view",
    );
    const marked = await page.evaluate(`(() => {
      const hit = document.querySelector("[data-find-hit]");
      const range = [...(CSS.highlights?.get("find-hit") ?? [])][0];
      return { message: hit?.closest("article[data-message-id]")?.dataset.messageId,
        text: range?.toString() };
    })()`) as { message?: string; text?: string };
    assertEquals(marked, { message: built.firstMessageId, text: "Turn 0:" });
    // A word in many messages: Enter moves to the next hit.
    await box.fill("reply 1");
    await bar.getByRole("status").getByText(/^\d+ of \d+$/).waitFor({ timeout: 20_000 });
    const count = await bar.getByRole("status").textContent();
    await box.press("Enter");
    await waitFor(
      async () => (await bar.getByRole("status").textContent()) !== count,
      "the next hit",
    );
    await box.press("Escape");
    assertEquals(await bar.count(), 0, "the bar closes");
    assertEquals(errors, [], "page errors");
  },
});

shutdownAfterAll({ browser, app: () => app, oc: () => oc, dirs: [stateDir] });
