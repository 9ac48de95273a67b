/**
 * The workspace as a person uses it, end to end: the real OpenCode server with the fake model,
 * `main.ts --headless` as a child process (restarted once, on the same state file), and
 * Chromium. Tabs with their own agent and model streaming at once, closing and reopening from
 * the history, renaming both ways, search, delete with confirmation, subagent nesting, an
 * unknown model, restoring the tabs after a restart, and the keyboard.
 */
import { assert, assertEquals, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { type AppProcess, startAppProcess } from "./support/app_process.ts";
import {
  currentSession,
  launchBrowser,
  newSession,
  watchErrors,
  withTestHooks,
} from "./support/browser.ts";
import type { FakeResponse, RecordedRequest } from "./support/fake_model.ts";
import type { Page } from "playwright-core";
import { shutdownAfterAll } from "./support/shutdown.ts";

const oc = await startOpencode({ tokenDelayMs: 10 });
const stateDir = await Deno.makeTempDir({ prefix: "workspace-state-" });
const appEnv = { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` };
const startApp = () =>
  startAppProcess({ args: ["--headless", "--server", oc.url, "--port", "0"], env: appEnv });
let app: AppProcess = await startApp();
const browser = await launchBrowser();

// Deno's sanitizers would flag the shared server and browser; shutdownAfterAll closes them.
const opts = { sanitizeOps: false, sanitizeResources: false };

async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchErrors(page);
  await page.goto(withTestHooks(app.url)); // one test sends a request the UI cannot make
  await page.getByRole("status", { name: "Connection status" }).getByText("Connected").waitFor();
  return { page, errors };
}

let { page } = await openPage();

// ---------------------------------------------------------------- helpers

async function api(path: string, init?: { method: string; body?: unknown }): Promise<Response> {
  return await fetch(`${oc.url}${path}`, {
    method: init?.method ?? "GET",
    headers: { "content-type": "application/json" },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function serverSession(id: string): Promise<{ status: number; title: string }> {
  const res = await api(`/session/${id}`);
  const body = await res.json() as { title?: string };
  return { status: res.status, title: body.title ?? "" };
}

/** The open tabs, in order: session ids and accessible names. */
async function openTabs(p = page): Promise<{ id: string; name: string }[]> {
  const tabs = p.getByRole("tablist", { name: "Open sessions" }).getByRole("tab");
  const out = [];
  for (let i = 0; i < await tabs.count(); i++) {
    const tab = tabs.nth(i);
    const id = await tab.locator("..").getAttribute("data-session-id") ?? "";
    out.push({ id, name: await tab.getAttribute("aria-label") ?? "" });
  }
  return out;
}

const tabOf = (id: string, p = page) => p.locator(`.tab[data-session-id="${id}"]`).getByRole("tab");
const history = (p = page) => p.getByRole("navigation", { name: "Session history" });
const historyItem = (title: string, p = page) =>
  history(p).getByRole("button", { name: title, exact: true });

async function prompt(text: string, p = page): Promise<void> {
  const input = p.getByRole("textbox", { name: "Message" });
  await input.fill(text);
  await input.press("Enter");
}

async function chooseAgent(name: RegExp, opts: { subagents?: boolean } = {}): Promise<void> {
  await page.getByRole("button", { name: /^Agent:/ }).click();
  if (opts.subagents) {
    const toggle = page.getByRole("menuitemcheckbox", { name: "Show subagents" });
    if (await toggle.getAttribute("aria-checked") !== "true") await toggle.click();
  }
  await page.getByRole("menuitemradio", { name }).click();
}

async function chooseModel(search: string, label: string): Promise<void> {
  await page.getByRole("button", { name: /^Model:/ }).click();
  await page.getByRole("searchbox", { name: "Search models" }).fill(search);
  await page.getByRole("dialog", { name: "Choose a model" })
    .getByRole("button", { name: label, exact: true }).first().click();
}

/** The last assistant text of the transcript on screen. */
async function lastReply(p = page): Promise<string> {
  const parts = p.locator('article[data-role="assistant"] .part.text');
  return await parts.count() ? await parts.last().textContent() ?? "" : "";
}

function lastUserContent(r: RecordedRequest): string {
  const users = (r.body.messages as { role: string; content: unknown }[])
    .filter((m) => m.role === "user");
  return JSON.stringify(users.at(-1)?.content ?? "");
}

function systemPrompt(r: RecordedRequest): string {
  return (r.body.messages as { role: string; content: unknown }[])
    .filter((m) => m.role === "system").map((m) => JSON.stringify(m.content)).join("\n");
}

// Shared between the tests, in order.
const ids = { plan: "", build: "", explore: "" };
/** The reply the model streamed for each tab (the queue serves requests in arrival order). */
const replyOf = { plan: "", build: "", explore: "" };
const PROMPTS = {
  plan: "alpha plan the parser",
  build: "beta build the login",
  explore: "gamma explore the repo",
};

// ---------------------------------------------------------------- tests

Deno.test({
  name: "workspace: three tabs with their own agent and model stream at the same time",
  ...opts,
  fn: async () => {
    const errors = watchErrors(page);
    oc.model.reset();
    // Plan + Mock Small; Build + Mock Model at high effort; the explore subagent + Mock Small.
    ids.plan = await newSession(page);
    await chooseAgent(/^Plan\b/);
    await chooseModel("small", "Mock Small (Mock LLM)");
    await page.getByRole("button", { name: /^Agent: Plan/ }).waitFor();
    await page.getByRole("button", { name: /^Model: Mock Small/ }).waitFor();

    ids.build = await newSession(page);
    await chooseAgent(/^Build\b/);
    await chooseModel("mock model", "Mock Model (Mock LLM)");
    await page.getByRole("combobox", { name: "Variant" }).selectOption("high");

    ids.explore = await newSession(page);
    await chooseAgent(/^Explore\b/, { subagents: true });
    await chooseModel("mock-small", "Mock Small (Mock LLM)");
    await page.getByRole("button", { name: /^Agent: Explore/ }).waitFor();
    // Each tab kept its own choice.
    await tabOf(ids.plan).click();
    await page.getByRole("button", { name: /^Agent: Plan/ }).waitFor();
    await page.getByRole("button", { name: /^Model: Mock Small/ }).waitFor();
    // Nothing offered a variant for Mock Small.
    assertEquals(await page.getByRole("combobox", { name: "Variant" }).count(), 0);

    // Count, in the page, how many tabs show "working" at the same time.
    await page.evaluate(`(() => {
      globalThis.__maxBusy = 0;
      const read = () => {
        const n = document.querySelectorAll('.tab[data-marker="busy"]').length;
        if (n > globalThis.__maxBusy) globalThis.__maxBusy = n;
      };
      new MutationObserver(read).observe(document.body,
        { subtree: true, attributes: true, attributeFilter: ["data-marker"] });
    })()`);
    const replies: FakeResponse[] = ["a", "b", "c"].map((k) => ({
      tokens: Array.from({ length: 40 }, (_, i) => `${k}${i} `),
      delayMs: 100,
    }));
    oc.model.enqueue(...replies);
    for (const key of ["plan", "build", "explore"] as const) {
      await tabOf(ids[key]).click();
      await prompt(PROMPTS[key]);
    }
    // All three stream; the two in the background finish as "done".
    await waitFor(
      async () => (await page.evaluate("globalThis.__maxBusy")) === 3,
      "3 busy tabs",
      20_000,
    );
    await waitFor(
      async () => (await page.locator('.tab[data-marker="busy"]').count()) === 0,
      "every reply finished",
      30_000,
    );
    assertEquals(
      await page.locator(`.tab[data-session-id="${ids.plan}"]`).getAttribute(
        "data-marker",
      ),
      "done",
    );
    assertEquals(
      await page.locator(`.tab[data-session-id="${ids.build}"]`).getAttribute(
        "data-marker",
      ),
      "done",
    );

    // The model streamed the three replies at the same time.
    const chats = oc.model.requests().filter((r) => r.kind === "chat");
    assertEquals(chats.length, 3, "one model call per tab");
    const stamps = oc.model.tokens().filter((t) => t.field === "content");
    const spans = chats.map((r) => {
      const mine = stamps.filter((t) => t.request === r.index).map((t) => t.sentAt);
      return { first: Math.min(...mine), last: Math.max(...mine) };
    });
    assert(
      Math.max(...spans.map((s) => s.first)) < Math.min(...spans.map((s) => s.last)),
      `the streams overlap: ${JSON.stringify(spans)}`,
    );

    // Each request carried its tab's agent and model; each transcript shows its own reply.
    for (const key of ["plan", "build", "explore"] as const) {
      const at = chats.findIndex((r) => r.text === PROMPTS[key]);
      assert(at >= 0, `the model was asked "${PROMPTS[key]}"`);
      const r = chats[at];
      const reminder = lastUserContent(r).includes("<system-reminder>");
      assertEquals(reminder, key === "plan", `${key}: the plan reminder`);
      assertEquals(r.body.model, key === "build" ? "mock-model" : "mock-small", `${key}: model`);
      assertEquals(
        r.body.reasoning_effort,
        key === "build" ? "high" : undefined,
        `${key}: variant`,
      );
      assertEquals(
        systemPrompt(r).includes("file search specialist"),
        key === "explore",
        `${key}: the explore agent's system prompt`,
      );
      assertEquals(r.tools.includes("todowrite"), key !== "explore", `${key}: the agent's tools`);

      await tabOf(ids[key]).click();
      await page.locator('article[data-role="user"]').getByText(PROMPTS[key]).waitFor();
      const expected = (replies[at].tokens ?? []).join("");
      replyOf[key] = expected;
      await waitFor(async () => (await lastReply()) === expected, `${key}: its own reply`);
      assertEquals(await page.locator('article[data-role="assistant"]').count(), 1);
    }
    // The generated titles reach the tabs (nobody renamed them).
    for (const key of ["plan", "build", "explore"] as const) {
      const title = await waitFor(
        async () => {
          const t = (await serverSession(ids[key])).title;
          return t.startsWith("Mock:") ? t : "";
        },
        `${key}: the generated title`,
        20_000,
      );
      await waitFor(
        async () => (await tabOf(ids[key]).getAttribute("aria-label")) === title,
        `${key}: the tab shows "${title}"`,
      );
    }
    assertEquals(errors, [], "page errors");
  },
});

Deno.test({
  name: "workspace: closing a tab keeps the session; the history reopens it with its messages",
  ...opts,
  fn: async () => {
    const { title } = await serverSession(ids.build);
    assertEquals(await tabOf(ids.build).getAttribute("aria-label"), title);
    await tabOf(ids.build).click();
    await page.locator(`.tab[data-session-id="${ids.build}"]`)
      .locator(".tab-close").click();
    await tabOf(ids.build).waitFor({ state: "detached" });
    assertEquals((await serverSession(ids.build)).status, 200, "the session stays on the server");
    assert(!(await openTabs()).some((t) => t.id === ids.build), "the tab is gone");

    // Middle-click closes too.
    await tabOf(ids.explore).click({ button: "middle" });
    await tabOf(ids.explore).waitFor({ state: "detached" });
    assertEquals((await serverSession(ids.explore)).status, 200);

    // The history still lists both; a click opens a tab with the whole conversation.
    await historyItem(title).click();
    await tabOf(ids.build).waitFor();
    assertEquals(await currentSession(page), ids.build);
    await page.locator('article[data-role="user"]').getByText(PROMPTS.build).waitFor();
    await waitFor(async () => (await lastReply()) === replyOf.build, "the reply is back");
    // It continues with the agent and model it last used.
    await page.getByRole("button", { name: /^Agent: Build/ }).waitFor();
    await page.getByRole("button", { name: /^Model: Mock Model/ }).waitFor();
    // Clicking a session that already has a tab focuses that tab instead of opening another.
    const before = (await openTabs()).length;
    await historyItem((await serverSession(ids.plan)).title).click();
    assertEquals(await currentSession(page), ids.plan);
    assertEquals((await openTabs()).length, before);
    await historyItem((await serverSession(ids.explore)).title).click();
    await tabOf(ids.explore).waitFor();
    await page.getByRole("button", { name: /^Agent: Explore/ }).waitFor();
    await page.getByRole("button", { name: /^Model: Mock Small/ }).waitFor();
    assertEquals(
      (await openTabs()).map((t) => t.id),
      [ids.plan, ids.build, ids.explore],
      "reopened tabs go last",
    );
  },
});

Deno.test({
  name: "workspace: renaming a tab renames the session on the server; Esc cancels",
  ...opts,
  fn: async () => {
    // Double-click, type, Enter.
    await tabOf(ids.plan).dblclick();
    const editor = page.getByRole("textbox", { name: "Session title" });
    await editor.fill("Alpha renamed");
    await editor.press("Enter");
    await waitFor(async () => (await serverSession(ids.plan)).title === "Alpha renamed", "PATCH");
    await page.getByRole("tab", { name: "Alpha renamed" }).waitFor();
    await historyItem("Alpha renamed").waitFor();

    // F2 then Esc: nothing changes.
    await tabOf(ids.plan).focus();
    await page.keyboard.press("F2");
    await editor.fill("Not this");
    await editor.press("Escape");
    await editor.waitFor({ state: "detached" });
    await page.waitForTimeout(500);
    assertEquals((await serverSession(ids.plan)).title, "Alpha renamed");
    assertEquals(await tabOf(ids.plan).getAttribute("aria-label"), "Alpha renamed");

    // The tab menu (right-click): Rename, confirmed with Tab.
    await tabOf(ids.explore).click({ button: "right" });
    const menu = page.getByRole("menu");
    await menu.getByRole("menuitem", { name: /Rename/ }).click();
    await editor.fill("Gamma via the menu");
    await editor.press("Tab");
    await waitFor(
      async () => (await serverSession(ids.explore)).title === "Gamma via the menu",
      "renamed from the menu",
    );
    await page.getByRole("tab", { name: "Gamma via the menu" }).waitFor();
  },
});

Deno.test({
  name: "workspace: a title changed through the HTTP API shows on the tab and in the history",
  ...opts,
  fn: async () => {
    const res = await api(`/session/${ids.build}`, {
      method: "PATCH",
      body: { title: "Renamed elsewhere" },
    });
    assertEquals(res.status, 200);
    await res.body?.cancel();
    await page.getByRole("tab", { name: "Renamed elsewhere" }).waitFor({ timeout: 10_000 });
    assertEquals(await tabOf(ids.build).getAttribute("aria-label"), "Renamed elsewhere");
    await historyItem("Renamed elsewhere").waitFor();
  },
});

Deno.test({
  name: "workspace: search finds a session by its title",
  ...opts,
  fn: async () => {
    const search = page.getByRole("searchbox", { name: "Search sessions" });
    await search.fill("gamma");
    await waitFor(
      async () => (await history().locator(".session-open").count()) === 1,
      "one match",
    );
    await historyItem("Gamma via the menu").waitFor();
    await search.fill("renamed");
    await waitFor(async () => (await history().locator(".session-open").count()) === 2, "two");
    await search.fill("no such session anywhere");
    await history().getByText("No session matches").waitFor();
    await search.fill("");
    await waitFor(async () => (await history().locator(".session-open").count()) >= 3, "all");
  },
});

Deno.test({
  name: "workspace: deleting asks first; cancel keeps the session, confirm removes it",
  ...opts,
  fn: async () => {
    // A session created elsewhere appears in the history.
    const res = await api("/session", { method: "POST", body: { title: "Disposable notes" } });
    const { id } = await res.json() as { id: string };
    await historyItem("Disposable notes").waitFor({ timeout: 10_000 });

    const dialog = page.getByRole("dialog", { name: /Delete “Disposable notes”/ });
    await history().getByRole("button", { name: "Delete Disposable notes" }).click();
    await dialog.waitFor();
    assertEquals(await dialog.getAttribute("aria-modal"), "true");
    // Focus starts on Cancel and stays inside while tabbing.
    const focusedInDialog = () =>
      page.evaluate(`document.activeElement?.closest("dialog") !== null`) as Promise<boolean>;
    await waitFor(
      async () => await page.evaluate(`document.activeElement?.textContent?.trim()`) === "Cancel",
      "focus on Cancel",
      5_000,
    );
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press("Tab");
      assert(await focusedInDialog(), `focus left the dialog after ${i + 1} Tab`);
    }
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    assertEquals((await serverSession(id)).status, 200, "Esc keeps it");

    await history().getByRole("button", { name: "Delete Disposable notes" }).click();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    assertEquals((await serverSession(id)).status, 200, "Cancel keeps it");
    await historyItem("Disposable notes").waitFor();

    await history().getByRole("button", { name: "Delete Disposable notes" }).click();
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    await waitFor(async () => (await serverSession(id)).status === 404, "deleted on the server");
    await historyItem("Disposable notes").waitFor({ state: "detached" });

    // Deleting from the tab menu removes the tab as well.
    const doomed = await newSession(page);
    await tabOf(doomed).click({ button: "right" });
    await page.getByRole("menu").getByRole("menuitem", { name: /Delete/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
    await tabOf(doomed).waitFor({ state: "detached" });
    await waitFor(async () => (await serverSession(doomed)).status === 404, "tab's session gone");
    assertEquals(
      (await openTabs()).map((t) => t.id),
      [ids.plan, ids.build, ids.explore],
      "the other tabs stay",
    );
  },
});

Deno.test({
  name: "workspace: subagent sessions sit folded under their parent in the history",
  ...opts,
  fn: async () => {
    const parent = await (await api("/session", {
      method: "POST",
      body: { title: "Parent task" },
    })).json() as { id: string };
    const child = await api("/session", {
      method: "POST",
      body: { title: "Child helper (@explore subagent)", parentID: parent.id },
    });
    await child.body?.cancel();
    await historyItem("Parent task").waitFor({ timeout: 10_000 });
    const childItem = historyItem("Child helper (@explore subagent)");
    // The toggle appears once the list knows the child: from then on it could be listed.
    const toggle = history().getByRole("button", { name: "Subagent sessions of Parent task" });
    await toggle.waitFor({ timeout: 10_000 });
    assertEquals(await childItem.count(), 0, "not listed on its own");
    assertEquals(await toggle.getAttribute("aria-expanded"), "false");
    await toggle.click();
    await childItem.waitFor();
    assertEquals(await toggle.getAttribute("aria-expanded"), "true");
    // Searching for the child shows it under its parent.
    await toggle.click();
    await page.getByRole("searchbox", { name: "Search sessions" }).fill("child helper");
    await childItem.waitFor();
    await page.getByRole("searchbox", { name: "Search sessions" }).fill("");
  },
});

Deno.test({
  name: "workspace: a model the server does not offer gives a clear message, not a hang",
  ...opts,
  fn: async () => {
    const id = await newSession(page);
    // A tab remembered with a model the server no longer has (as a stale state file would).
    await page.evaluate(`globalThis.__desk.conn.request({
      updateTab: {
        sessionId: ${JSON.stringify(id)},
        model: { providerId: "mock", modelId: "gone-model" },
      },
    }).then(() => true)`);
    const picker = page.getByRole("button", { name: /^Model: mock\/gone-model/ });
    await picker.waitFor();
    assertEquals(await picker.getAttribute("data-unknown"), "true");
    await prompt("hello unknown model");
    const alert = page.locator('[role="log"] [role="alert"]').filter({
      hasText: "Model not found: mock/gone-model",
    }).first();
    await alert.waitFor({ timeout: 20_000 });
    const said = await alert.textContent() ?? "";
    assert(!/\sat \S+ \(/.test(said), `no stack trace in the message: ${said}`);
    await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached" });
    // Picking a real model clears the warning.
    await chooseModel("mock small", "Mock Small (Mock LLM)");
    assertEquals(
      await page.getByRole("button", { name: /^Model: Mock Small/ }).getAttribute("data-unknown"),
      "false",
    );
    await page.getByRole("tab", { selected: true }).press("Control+w");
    await tabOf(id).waitFor({ state: "detached" });
  },
});

Deno.test({
  name: "workspace: the model picker puts pinned models, then recently used ones, first",
  ...opts,
  fn: async () => {
    await tabOf(ids.build).click();
    await page.getByRole("button", { name: /^Model:/ }).click();
    const dialog = page.getByRole("dialog", { name: "Choose a model" });
    const group = (name: string) => dialog.getByRole("group", { name, exact: true });
    // Both models were used in this file, the last one sent first.
    const recent = group("Recently used").locator(".model-choice");
    await waitFor(async () => (await recent.count()) === 2, "two recent models");
    assertEquals(await group("Favourites").count(), 0);
    // The provider is listed as connected.
    await group("Mock LLM").waitFor();

    const star = group("Mock LLM").getByRole("button", { name: "Favourite Mock Model (Mock LLM)" });
    assertEquals(await star.getAttribute("aria-pressed"), "false");
    await star.click();
    await group("Favourites").getByRole("button", { name: "Mock Model (Mock LLM)", exact: true })
      .waitFor();
    assertEquals(await star.getAttribute("aria-pressed"), "true");
    // A favourite is not repeated among the recent ones; the first choice in the list is it.
    assertEquals(await recent.count(), 1);
    const first = dialog.locator(".model-choice").first();
    assertEquals(
      [await first.getAttribute("data-provider"), await first.getAttribute("data-model")],
      ["mock", "mock-model"],
    );
    // Search narrows every group.
    await dialog.getByRole("searchbox", { name: "Search models" }).fill("small");
    await waitFor(async () => (await group("Favourites").count()) === 0, "favourite filtered");
    assert(
      (await dialog.locator(".model-choice").allTextContents()).every((t) => t.includes("Small")),
      "only Mock Small matches",
    );
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    // Esc puts the focus back on the picker (restored on the next frame).
    await waitFor(
      async () =>
        await page.evaluate(`document.activeElement?.getAttribute("aria-haspopup")`) === "dialog",
      "focus back on the model picker button",
      5_000,
    );
  },
});

Deno.test({
  name: "workspace: after a restart the same tabs come back in the same order, same one active",
  ...opts,
  fn: async () => {
    // Reorder first: drag the last tab to the front, then move it back one with the keyboard.
    await tabOf(ids.explore).dragTo(tabOf(ids.plan), { targetPosition: { x: 5, y: 10 } });
    await waitFor(
      async () =>
        (await openTabs()).map((t) => t.id).join() === [ids.explore, ids.plan, ids.build].join(),
      "dragged to the front",
    );
    await tabOf(ids.explore).click();
    await page.keyboard.press("Control+Shift+ArrowRight");
    await waitFor(
      async () =>
        (await openTabs()).map((t) => t.id).join() === [ids.plan, ids.explore, ids.build].join(),
      "moved right",
    );
    await tabOf(ids.build).click();
    const before = await openTabs();
    assertEquals(before.map((t) => t.id), [ids.plan, ids.explore, ids.build]);
    assertEquals(await currentSession(page), ids.build);
    await page.close();

    assertEquals(await app.stop(), 143);
    app = await startApp();
    ({ page } = await openPage());
    await waitFor(async () => (await openTabs()).length === before.length, "tabs restored");
    assertEquals(await openTabs(), before, "same tabs, same order, same titles");
    assertEquals(await currentSession(page), ids.build, "same active tab");
    await page.locator('article[data-role="user"]').getByText(PROMPTS.build).waitFor();
    // The choices of each tab came back too.
    await tabOf(ids.plan).click();
    await page.getByRole("button", { name: /^Agent: Plan/ }).waitFor();
    await page.getByRole("button", { name: /^Model: Mock Small/ }).waitFor();
    // And the pinned model.
    await page.getByRole("button", { name: /^Model:/ }).click();
    await page.getByRole("group", { name: "Favourites" })
      .getByRole("button", { name: "Mock Model (Mock LLM)", exact: true }).waitFor();
    await page.keyboard.press("Escape");
  },
});

Deno.test({
  name: "workspace: keyboard: Ctrl+T opens a tab, Ctrl+W closes it, Ctrl+2 switches",
  ...opts,
  fn: async () => {
    while ((await openTabs()).length < 3) await newSession(page);
    const start = (await openTabs()).map((t) => t.id);
    await page.getByRole("textbox", { name: "Message" }).focus();
    await page.keyboard.press("Control+t");
    const fresh = await waitFor(async () => {
      const list = await openTabs();
      return list.length === start.length + 1 ? list.at(-1)?.id : "";
    }, "Ctrl+T opened a tab");
    assertEquals(await currentSession(page), fresh);
    assertEquals((await serverSession(fresh)).status, 200, "a session was created");
    await waitFor(
      async () =>
        await page.evaluate(`document.activeElement?.getAttribute("aria-label")`) === "Message",
      "the input is ready for typing",
      5_000,
    );

    await page.keyboard.press("Control+w");
    await tabOf(fresh).waitFor({ state: "detached" });
    assertEquals((await openTabs()).map((t) => t.id), start);
    assertEquals((await serverSession(fresh)).status, 200, "closing never deletes");

    await page.keyboard.press("Control+2");
    await waitFor(async () => (await currentSession(page)) === start[1], "Ctrl+2");
    await page.keyboard.press("Control+1");
    await waitFor(async () => (await currentSession(page)) === start[0], "Ctrl+1");
    await page.keyboard.press("Control+Tab");
    await waitFor(async () => (await currentSession(page)) === start[1], "Ctrl+Tab");
    await page.keyboard.press("Control+Shift+Tab");
    await waitFor(async () => (await currentSession(page)) === start[0], "Ctrl+Shift+Tab");
    await page.keyboard.press("Control+Shift+Tab");
    await waitFor(async () => (await currentSession(page)) === start.at(-1), "wraps around");

    // Arrow keys inside the tab strip move the selection and the focus (roving tabindex).
    await tabOf(start[0]).focus();
    await page.keyboard.press("ArrowRight");
    await waitFor(async () => (await currentSession(page)) === start[1], "ArrowRight");
    await waitFor(
      () => page.evaluate(`document.activeElement?.id === "tab-${start[1]}"`),
      "the focus moved with the selection",
    );
    assertEquals(await tabOf(start[1]).getAttribute("tabindex"), "0");
    assertEquals(await tabOf(start[0]).getAttribute("tabindex"), "-1");
    await page.keyboard.press("End");
    await waitFor(async () => (await currentSession(page)) === start.at(-1), "End");

    // Ctrl+B hides and shows the history.
    await page.keyboard.press("Control+b");
    await history().waitFor({ state: "hidden" });
    assertEquals(
      await page.getByRole("button", { name: "Toggle sidebar" }).getAttribute("aria-expanded"),
      "false",
    );
    await page.keyboard.press("Control+b");
    await history().waitFor();
  },
});

Deno.test({
  name: "workspace: a tab left long ago shows its whole history and new turns when shown again",
  ...opts,
  fn: async () => {
    // Eight sessions with one turn each, made through the server.
    const many: string[] = [];
    for (let i = 1; i <= 8; i++) {
      const res = await api("/session", { method: "POST", body: { title: `many ${i}` } });
      const id = (await res.json() as { id: string }).id;
      const sent = await api(`/session/${id}/message`, {
        method: "POST",
        body: { parts: [{ type: "text", text: `note number ${i}` }] },
      });
      assertEquals(sent.status, 200);
      await sent.body?.cancel();
      many.push(id);
    }
    // Opened one after the other: the first is now far behind the ones this window keeps.
    for (const [i, id] of many.entries()) {
      await historyItem(`many ${i + 1}`).click();
      await page.locator('article[data-role="user"]').getByText(`note number ${i + 1}`).waitFor();
      assertEquals(await currentSession(page), id);
    }
    // Another client continues the first session while its tab sits in the background.
    const sent = await api(`/session/${many[0]}/message`, {
      method: "POST",
      body: { parts: [{ type: "text", text: "a later note" }] },
    });
    assertEquals(sent.status, 200);
    await sent.body?.cancel();
    await tabOf(many[0]).click();
    const users = page.locator('article[data-role="user"]');
    await users.getByText("a later note").waitFor();
    assertEquals(await users.count(), 2, "both turns, nothing doubled");
    await users.getByText("note number 1").waitFor();
    await waitFor(
      async () => (await lastReply()).includes("a later note"),
      "the later reply is there too",
    );
    // A tab seen recently still has its turn.
    await tabOf(many[7]).click();
    await page.locator('article[data-role="user"]').getByText("note number 8").waitFor();
    for (const id of many) {
      await page.locator(`.tab[data-session-id="${id}"] .tab-close`)
        .click();
      await tabOf(id).waitFor({ state: "detached" });
    }
  },
});

shutdownAfterAll({ browser, app: () => app, oc: () => oc, dirs: [stateDir] });
