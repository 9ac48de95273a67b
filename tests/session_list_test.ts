/**
 * The session history with many sessions, end to end: the real OpenCode server (300 sessions
 * made through its HTTP API), `main.ts --headless` as a child process, and Chromium. The window
 * first gets only the newest page; scrolling to the end reads older pages down to the oldest;
 * a search finds a session that was never loaded; a session made elsewhere appears on top; after
 * the event stream reconnects the list is still whole.
 */
import { assert, assertEquals, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { type AppProcess, startAppProcess } from "./support/app_process.ts";
import { currentSession, launchBrowser, watchErrors } from "./support/browser.ts";
import type { Page } from "playwright-core";
import { shutdownAfterAll } from "./support/shutdown.ts";

const COUNT = 300;
const oc = await startOpencode({ tokenDelayMs: 0 });
const q = `?directory=${encodeURIComponent(oc.dir)}`;

async function api<T>(path: string, method = "GET", body?: unknown): Promise<T> {
  const res = await fetch(`${oc.url}${path}${path.includes("?") ? "&" : "?"}${q.slice(1)}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`Cannot ${method} ${path}: ${res.status} ${await res.text()}`);
  return await res.json() as T;
}

interface Listed {
  id: string;
  title: string;
}
/** The server's root sessions, newest first: the order the history must show. */
const serverList = () => api<Listed[]>("/session?roots=true&limit=10000");

// The oldest session has a title no other has; the others are numbered. One after the other, so
// every session has its own update time (the list's order is then the server's, exactly).
const OLDEST = "Zebra crossing notes";
await api("/session", "POST", { title: OLDEST });
let parent: Listed = { id: "", title: "" };
for (let i = 2; i <= COUNT; i++) {
  parent = await api<Listed>("/session", "POST", {
    title: `Bulk session ${String(i).padStart(3, "0")}`,
  });
}
// A subagent's session under the newest (as a task tool makes one).
await api("/session", "POST", { title: "Subagent digging", parentID: parent.id });
const stateDir = await Deno.makeTempDir({ prefix: "session-list-state-" });
const app: AppProcess = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});
const browser = await launchBrowser();
shutdownAfterAll({ browser, app: () => app, oc: () => oc, dirs: [stateDir] });
const opts = { sanitizeOps: false, sanitizeResources: false };

const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const errors = watchErrors(page);
await page.goto(app.url);
await page.getByRole("status", { name: "Connection status" }).getByText("Connected").waitFor();

const history = () => page.getByRole("navigation", { name: "Session history" });
const historyItem = (title: string) => history().getByRole("button", { name: title, exact: true });
/** The titles the history lists, top to bottom. */
const listedTitles = () => history().locator(".session-open .session-title").allTextContents();

/** Scrolls the history to its end until `title` is listed (older pages load on the way). */
async function scrollUntilListed(title: string): Promise<void> {
  await waitFor(
    async () => {
      await history().evaluate((el) => (el.scrollTop = el.scrollHeight));
      return await historyItem(title).count() > 0;
    },
    `${title} listed after scrolling`,
    30_000,
  );
}

/** The history lists exactly the server's sessions, in its order, none twice. */
async function assertWholeList(): Promise<void> {
  const want = (await serverList()).map((s) => s.title);
  await scrollUntilListed(OLDEST);
  const got = await listedTitles();
  assertEquals(new Set(got).size, got.length, "no session listed twice");
  assertEquals(got, want);
}

Deno.test({
  name: "session list: the window first gets only the newest page, newest on top",
  ...opts,
  fn: async () => {
    const newest = (await serverList())[0].title;
    await waitFor(async () => (await listedTitles())[0] === newest, "the newest on top");
    // What the page received: one page, not the 300 (the history renders up to 100 at once).
    const rows = (await listedTitles()).length;
    assert(rows <= 60, `the history holds the first page only, not ${rows} sessions`);
    assertEquals(await historyItem(OLDEST).count(), 0);
    // Subagent sessions come with the page, folded under their parent.
    await history().getByRole("button", { name: `Subagent sessions of ${parent.title}` }).click();
    await historyItem("Subagent digging").waitFor();
    // The end of the list says how to get more, to a screen reader too.
    await history().getByRole("button", { name: "Load older sessions" }).waitFor();
  },
});

Deno.test({
  name: "session list: a search finds a session that was never loaded, and it opens",
  ...opts,
  fn: async () => {
    const search = page.getByRole("searchbox", { name: "Search sessions" });
    await search.fill("zebra");
    await historyItem(OLDEST).waitFor();
    assertEquals((await listedTitles()).length, 1);
    await historyItem(OLDEST).click();
    await page.getByRole("tab", { name: OLDEST, selected: true }).waitFor();
    const opened = await currentSession(page);
    assertEquals((await serverList()).find((s) => s.title === OLDEST)?.id, opened);
    await search.fill("no such session anywhere");
    await history().getByText("No session matches").waitFor();
    await search.fill("");
    // Back to the paged list: the newest page again, the oldest not listed until scrolled to.
    await waitFor(async () => (await listedTitles()).length > 10, "the paged list again");
    assertEquals(await historyItem(OLDEST).count(), 0);
  },
});

Deno.test({
  name: "session list: scrolling to the end loads older pages down to the oldest, in order",
  ...opts,
  fn: async () => {
    await assertWholeList();
    await history().getByRole("button", { name: "Load older sessions" }).waitFor({
      state: "detached",
    });
  },
});

Deno.test({
  name: "session list: a session made by another client appears at the top",
  ...opts,
  fn: async () => {
    await api("/session", "POST", { title: "Made elsewhere" });
    await waitFor(async () => (await listedTitles())[0] === "Made elsewhere", "it on top");
  },
});

Deno.test({
  name: "session list: after the event stream reconnects the list is still whole and current",
  ...opts,
  fn: async () => {
    const doomed = (await serverList())[5];
    // Changes around the reconnect: the events or the core's re-read of the list bring them.
    await api(`/session/${doomed.id}`, "DELETE");
    await api("/session", "POST", { title: "Made around the reconnect" });
    // The person reconnects (Settings → Server): the core opens a new event stream and re-reads
    // the range of the list the windows hold.
    await page.getByRole("button", { name: "Settings" }).click();
    await page.getByRole("button", { name: "Reconnect", exact: true }).click();
    await page.getByText("Reconnected.").waitFor();
    await page.keyboard.press("Escape");
    await waitFor(
      async () => (await listedTitles())[0] === "Made around the reconnect",
      "the new session on top",
    );
    await waitFor(async () => (await historyItem(doomed.title).count()) === 0, "deleted gone");
    // The older pages the window had stay listed: no need to scroll for them again.
    await historyItem(OLDEST).waitFor({ state: "attached" });
    await assertWholeList();
    assertEquals(errors, []);
  },
});
