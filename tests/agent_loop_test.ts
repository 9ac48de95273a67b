/**
 * The agent loop as a person sees it, end to end: the real OpenCode server with the fake model,
 * `main.ts --headless` as a child process, and Chromium. Tool blocks, permission requests (seen
 * in a second window too), questions, Stop, and a prompt queued behind a running turn.
 */
import { assert, assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { startAppProcess } from "./support/app_process.ts";
import { currentSession, launchBrowser, newSession, openConnectedPage } from "./support/browser.ts";
import type { Page } from "playwright-core";
import { shutdownAfterAll } from "./support/shutdown.ts";

// Every bash command runs, except these heads, which ask (one per test: "always" approves its
// head for the rest of the server's life).
const ASK = ["printf", "date", "uname", "hostname", "id"];
const oc = await startOpencode({
  tokenDelayMs: 10,
  permission: {
    bash: { "*": "allow", ...Object.fromEntries(ASK.map((h) => [`${h} *`, "ask"])) },
    edit: "ask",
  },
  env: { OPENCODE_ENABLE_QUESTION_TOOL: "1" },
});
const stateDir = await Deno.makeTempDir({ prefix: "agent-loop-state-" });
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});
const browser = await launchBrowser();

// Deno's sanitizers would flag the shared server and browser; shutdownAfterAll closes them.
const opts = { sanitizeOps: false, sanitizeResources: false };

function openPage(): Promise<{ page: Page; errors: string[] }> {
  return openConnectedPage(browser, app.url);
}

/** The page the person works in, and a second window on the same app that only watches. */
const main = await openPage();
const watcher = await openPage();
const page = main.page;

async function prompt(text: string): Promise<void> {
  const input = page.getByRole("textbox", { name: "Message" });
  await input.fill(text);
  await input.press("Enter");
}

/** Records every status each tool block showed (its data-status attribute), in order. */
async function recordToolStatuses(p: Page): Promise<void> {
  await p.evaluate(`(() => {
    const seen = {};
    globalThis.__toolStatuses = seen;
    const note = (el) => {
      const id = el.getAttribute("data-part-id");
      const s = el.getAttribute("data-status");
      const list = (seen[id] ??= []);
      if (list[list.length - 1] !== s) list.push(s);
    };
    document.querySelectorAll(".part.tool").forEach(note);
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "attributes" && r.target.matches(".part.tool")) note(r.target);
        for (const n of r.addedNodes) {
          if (n.nodeType !== 1) continue;
          if (n.matches(".part.tool")) note(n);
          n.querySelectorAll(".part.tool").forEach(note);
        }
      }
    }).observe(document.body, {
      subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"],
    });
  })()`);
}

async function toolStatuses(p: Page, partId: string): Promise<string[]> {
  const all = await p.evaluate("globalThis.__toolStatuses") as Record<string, string[]>;
  return all[partId] ?? [];
}

interface StoredPart {
  id: string;
  type: string;
  tool?: string;
  callID?: string;
  text?: string;
  state?: { status: string; error?: string; output?: string };
}

async function storedParts(sessionId: string): Promise<StoredPart[]> {
  const res = await fetch(`${oc.url}/session/${sessionId}/message`);
  const msgs = await res.json() as { parts: StoredPart[] }[];
  return msgs.flatMap((m) => m.parts);
}

async function storedTool(sessionId: string, tool: string): Promise<StoredPart | undefined> {
  return (await storedParts(sessionId)).findLast((p) => p.type === "tool" && p.tool === tool);
}

async function pendingOnServer(kind: "permission" | "question"): Promise<unknown[]> {
  const res = await fetch(`${oc.url}/${kind}`);
  return await res.json();
}

async function serverBusy(sessionId: string): Promise<boolean> {
  const res = await fetch(`${oc.url}/session/status`);
  const status = await res.json() as Record<string, { type: string }>;
  return (status[sessionId]?.type ?? "idle") !== "idle";
}

/** The watcher window's top-bar indicator of requests waiting for the person. */
const watcherIndicator = () =>
  watcher.page.getByRole("button", { name: /waits? for you: open the oldest/ });

/** A bash call that asks for permission, scripted for the next chat request. */
function askBash(command: string): void {
  oc.model.enqueue({ toolCalls: [{ name: "bash", args: { command, description: "Test" } }] });
}

/** Starts a turn whose bash call waits for permission; returns the request block. */
async function startPermission(command: string) {
  const sessionId = await newSession(page);
  askBash(command);
  await prompt(`please run ${command}`);
  const block = page.locator(`.part.tool[data-tool="bash"]`).last();
  const request = block.getByRole("group", { name: /Permission: the agent wants to run/ });
  await request.waitFor({ timeout: 30_000 });
  // The block says it waits for the person, and shows what the command is.
  assertEquals(await block.getAttribute("data-waiting"), "permission");
  await block.locator(".tool-status").getByText("Waiting for you").waitFor();
  await request.locator(".request-codes code").getByText(command, { exact: true }).first()
    .waitFor();
  assertEquals((await pendingOnServer("permission")).length, 1, "pending on the server");
  // The second window, showing another session, sees it in its top bar.
  await watcherIndicator().waitFor({ timeout: 20_000 });
  assertMatch(await watcherIndicator().innerText(), /1\s*waiting/);
  return { sessionId, block, request };
}

/** After a reply: nothing pending anywhere, in either window. */
async function assertResolved(request: ReturnType<Page["locator"]>): Promise<void> {
  await waitFor(
    async () => (await pendingOnServer("permission")).length === 0,
    "no permission",
    20_000,
  );
  await request.waitFor({ state: "detached", timeout: 20_000 });
  await watcherIndicator().waitFor({ state: "detached", timeout: 20_000 });
  assertEquals(await page.locator(".request").count(), 0, "no request left on screen");
}

Deno.test({
  name: "agent loop: a read tool block goes pending, running, completed with its file and output",
  ...opts,
  fn: async () => {
    await newSession(page);
    await recordToolStatuses(page);
    await prompt("please read the readme");
    const block = page.locator('.part.tool[data-tool="read"]');
    await block.and(page.locator('[data-status="completed"]')).waitFor({ timeout: 30_000 });
    const partId = await block.getAttribute("data-part-id") ?? "";
    const statuses = await toolStatuses(page, partId);
    assertEquals(statuses.at(-1), "completed", `statuses: ${statuses}`);
    const order = ["pending", "running", "completed"];
    for (let i = 1; i < statuses.length; i++) {
      assert(order.indexOf(statuses[i - 1]) < order.indexOf(statuses[i]), `order: ${statuses}`);
    }
    // Header: status in words, tool name, the file (relative to the project), a duration.
    const head = block.getByRole("button", { name: /Completed read README\.md/ });
    await head.waitFor();
    assertMatch(await block.locator(".tool-duration").innerText(), /^\d+(\.\d)? (ms|s)$/);
    // Done: collapsed. Opening it shows the input and the file's content.
    assertEquals(await head.getAttribute("aria-expanded"), "false");
    await head.focus();
    await page.keyboard.press("Enter");
    assertEquals(await head.getAttribute("aria-expanded"), "true");
    await block.locator('[data-section="output"] pre').getByText("hello from the opencode fixture")
      .waitFor();
    await block.locator('[data-section="input"] pre').getByText("README.md").waitFor();
    // The reply after the tool result follows.
    await page.locator('article[data-role="assistant"]').getByText("Tool result received")
      .waitFor({ timeout: 20_000 });
    assertEquals(main.errors, [], "page errors");
  },
});

Deno.test({
  name: "agent loop: a bash block shows its output live while running, then completes and closes",
  ...opts,
  fn: async () => {
    await newSession(page);
    await recordToolStatuses(page);
    const command = "for i in 1 2 3 4; do echo tick$i; sleep 0.8; done";
    oc.model.enqueue({
      toolCalls: [{ name: "bash", args: { command, description: "Count ticks" } }],
    });
    await prompt("count some ticks");
    const block = page.locator('.part.tool[data-tool="bash"]');
    // While it runs the block is open and the output grows.
    const running = block.and(page.locator('[data-status="running"]'));
    await running.locator('[data-section="output"]').getByText("tick1").waitFor({
      timeout: 30_000,
    });
    const early = await block.locator('[data-section="output"] pre').innerText();
    assert(!early.includes("tick4"), `output should be live, got: ${early}`);
    assertEquals(
      await block.locator(".tool-head").getAttribute("aria-expanded"),
      "true",
      "open while running",
    );
    assertMatch(await block.locator(".tool-duration").innerText(), /^\d+(\.\d)? (ms|s)$/);
    await block.and(page.locator('[data-status="completed"]')).waitFor({ timeout: 30_000 });
    const partId = await block.getAttribute("data-part-id") ?? "";
    const statuses = await toolStatuses(page, partId);
    assert(statuses.includes("running"), `statuses: ${statuses}`);
    assertEquals(statuses.at(-1), "completed", `statuses: ${statuses}`);
    // Done: closed again, with the command as its summary and the whole output inside.
    const head = block.locator(".tool-head");
    assertEquals(await head.getAttribute("aria-expanded"), "false", "closed when done");
    assertEquals(await block.locator(".tool-summary").innerText(), command);
    await head.click();
    const out = await block.locator('[data-section="output"] pre').innerText();
    assertEquals(out.trim().split("\n"), ["tick1", "tick2", "tick3", "tick4"]);
    // The person's choice sticks: closing it keeps it closed.
    await head.click();
    await waitFor(async () => await head.getAttribute("aria-expanded") === "false", "closed");
    assertEquals(
      await block.locator('[data-section="output"]').isVisible(),
      false,
      "output hidden",
    );
  },
});

Deno.test({
  name: "permission: allow once (key a on the focused request) runs the tool",
  ...opts,
  fn: async () => {
    const { sessionId, block, request } = await startPermission("uname -s");
    // The newest request took focus; its keys answer it.
    const id = await request.getAttribute("data-permission-id");
    await waitFor(
      () => page.evaluate(`document.activeElement?.dataset.permissionId === ${JSON.stringify(id)}`),
      "the request has focus",
    );
    assertEquals(await request.getAttribute("aria-keyshortcuts"), "a Shift+A r");
    await page.waitForTimeout(500); // past the guard against keys typed before the focus moved
    await page.keyboard.press("a");
    await assertResolved(request);
    await block.and(page.locator('[data-status="completed"]')).waitFor({ timeout: 20_000 });
    const part = await waitFor(async () => {
      const p = await storedTool(sessionId, "bash");
      return p?.state?.status === "completed" ? p : undefined;
    }, "completed on the server");
    assertMatch(part.state?.output ?? "", /Linux/);
  },
});

Deno.test({
  name: "permission: always allow runs the tool and approves the same command later",
  ...opts,
  fn: async () => {
    const { sessionId, block, request } = await startPermission("printf always-1");
    await request.getByText("Always allow approves").waitFor();
    await request.locator("code").getByText("printf *").waitFor();
    await request.getByRole("button", { name: "Always allow" }).click();
    await assertResolved(request);
    await block.and(page.locator('[data-status="completed"]')).waitFor({ timeout: 20_000 });
    await waitFor(
      async () => (await storedTool(sessionId, "bash"))?.state?.status === "completed",
      "completed on the server",
    );
    await page.locator('article[data-role="assistant"]').getByText("Tool result received")
      .waitFor({ timeout: 20_000 });
    // The same command head does not ask again.
    askBash("printf always-2");
    await prompt("again please");
    await page.locator('.part.tool[data-tool="bash"][data-status="completed"]').nth(1)
      .waitFor({ timeout: 30_000 });
    assertEquals((await pendingOnServer("permission")).length, 0);
  },
});

Deno.test({
  name: "permission: reject (key r) fails the tool and stops the turn",
  ...opts,
  fn: async () => {
    const { sessionId, block, request } = await startPermission("date +%s");
    await request.focus();
    await page.waitForTimeout(500);
    await page.keyboard.press("r");
    await assertResolved(request);
    await block.and(page.locator('[data-status="error"]')).waitFor({ timeout: 20_000 });
    const part = await storedTool(sessionId, "bash");
    assertEquals(part?.state?.status, "error");
    assertMatch(part?.state?.error ?? "", /rejected/);
    // The error is shown in the open block.
    await block.locator('[data-section="error"]').getByText(/rejected/).waitFor();
    await waitFor(async () => !(await serverBusy(sessionId)), "the turn ends");
  },
});

Deno.test({
  name: "permission: reject with feedback sends the feedback to the model",
  ...opts,
  fn: async () => {
    const { sessionId, block, request } = await startPermission("hostname -f");
    const feedback = "Please use the read tool instead of hostname";
    await request.getByRole("textbox", { name: "Feedback for the agent" }).fill(feedback);
    await request.getByRole("button", { name: "Reject with feedback" }).click();
    await assertResolved(request);
    await block.and(page.locator('[data-status="error"]')).waitFor({ timeout: 20_000 });
    await waitFor(
      () =>
        oc.model.requests().some((r) =>
          r.kind === "tool-result" && JSON.stringify(r.body).includes(feedback)
        ),
      "the model received the feedback",
      20_000,
    );
    assertMatch((await storedTool(sessionId, "bash"))?.state?.error ?? "", /feedback/);
    // The loop went on: the model's answer to the feedback is on screen.
    await page.locator('article[data-role="assistant"]').getByText("Tool result received")
      .waitFor({ timeout: 20_000 });
  },
});

Deno.test({
  name: "permission: the second window opens the session of a waiting request and answers it",
  ...opts,
  fn: async () => {
    const { sessionId, block, request } = await startPermission("hostname -s");
    await watcherIndicator().click();
    const w = watcher.page;
    assertEquals(await currentSession(w), sessionId);
    const there = w.getByRole("group", { name: /Permission: the agent wants to run/ });
    await there.waitFor();
    await there.getByRole("button", { name: "Allow once" }).click();
    await assertResolved(request);
    await block.and(page.locator('[data-status="completed"]')).waitFor({ timeout: 20_000 });
    assertEquals(watcher.errors, [], "watcher page errors");
  },
});

interface QuestionSpec {
  question: string;
  header: string;
  options: { label: string; description: string }[];
}

function askQuestion(q: QuestionSpec): void {
  oc.model.enqueue({ toolCalls: [{ name: "question", args: { questions: [q] } }] });
}

const COLOR: QuestionSpec = {
  question: "Which colour should the button be?",
  header: "Button colour",
  options: [
    { label: "Teal", description: "Calm and readable" },
    { label: "Orange", description: "Loud" },
  ],
};

Deno.test({
  name: "question: the answer picked reaches the model",
  ...opts,
  fn: async () => {
    const sessionId = await newSession(page);
    askQuestion(COLOR);
    await prompt("ask me something");
    const q = page.getByRole("group", { name: "The agent asks you" });
    await q.waitFor({ timeout: 30_000 });
    await q.getByText(COLOR.question).waitFor();
    await q.getByText("Calm and readable").waitFor();
    const submit = q.getByRole("button", { name: "Submit" });
    assert(await submit.isDisabled(), "Submit waits for a choice");
    await q.getByRole("radio", { name: /Teal/ }).check();
    await submit.click();
    await q.waitFor({ state: "detached", timeout: 20_000 });
    await waitFor(
      () =>
        oc.model.requests().some((r) =>
          r.kind === "tool-result" && JSON.stringify(r.body.messages.at(-1)).includes("Teal")
        ),
      "the model received the answer",
      20_000,
    );
    assertEquals(await pendingOnServer("question"), []);
    await waitFor(
      async () => (await storedTool(sessionId, "question"))?.state?.status === "completed",
      "the question tool completed",
    );
  },
});

Deno.test({
  name: "question: a free answer and dismiss",
  ...opts,
  fn: async () => {
    const sessionId = await newSession(page);
    askQuestion(COLOR);
    await prompt("ask me something else");
    const q = page.getByRole("group", { name: "The agent asks you" });
    await q.waitFor({ timeout: 30_000 });
    // A free answer is possible; the person dismisses the question instead.
    await q.getByRole("textbox", { name: /Your own answer/ }).fill("Purple");
    assert(!await q.getByRole("button", { name: "Submit" }).isDisabled(), "free answer counts");
    await q.getByRole("button", { name: "Dismiss" }).click();
    await q.waitFor({ state: "detached", timeout: 20_000 });
    await waitFor(async () => (await pendingOnServer("question")).length === 0, "no question");
    await waitFor(
      async () => (await storedTool(sessionId, "question"))?.state?.status === "error",
      "the question tool failed as dismissed",
    );
    assert(
      !oc.model.requests().some((r) => JSON.stringify(r.body).includes("Purple")),
      "a dismissed answer is not sent",
    );
  },
});

/** Text of every assistant text part on screen. */
async function assistantText(): Promise<string> {
  return (await page.locator('article[data-role="assistant"] .part.text').allInnerTexts())
    .join("|");
}

/** After Stop: idle on screen and on the server, and nothing comes back for 2 s. */
async function assertStopped(sessionId: string): Promise<void> {
  await page.locator('article[data-role="assistant"]').getByText("Stopped.").waitFor({
    timeout: 20_000,
  });
  await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached", timeout: 20_000 });
  await waitFor(async () => !(await serverBusy(sessionId)), "idle on the server");
  const text = await assistantText();
  await page.waitForTimeout(2_000);
  assertEquals(await assistantText(), text, "no text after the stop");
  assertEquals(await page.getByRole("button", { name: "Stop" }).count(), 0, "still stopped");
  assertEquals(await page.locator('.part.tool[data-status="running"]').count(), 0);
}

Deno.test({
  name: "stop: during a slow stream the turn ends as stopped and stays stopped",
  ...opts,
  fn: async () => {
    const sessionId = await newSession(page);
    await prompt("go slow please");
    await page.locator('article[data-role="assistant"] .part.text').getByText("slow2")
      .waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Stop" }).click();
    await assertStopped(sessionId);
    assert(!(await assistantText()).includes("Finished."), "the reply was cut");
  },
});

Deno.test({
  name: "stop: Esc during a hang ends the turn as stopped",
  ...opts,
  fn: async () => {
    const sessionId = await newSession(page);
    await prompt("now hang");
    await page.getByRole("button", { name: "Stop" }).waitFor({ timeout: 20_000 });
    await waitFor(() => oc.model.requests().some((r) => r.text === "now hang"), "model called");
    await page.getByRole("textbox", { name: "Message" }).press("Escape");
    await assertStopped(sessionId);
  },
});

Deno.test({
  name: "stop: while a permission waits, the tool shows aborted and the request is rejected",
  ...opts,
  fn: async () => {
    const { sessionId, block, request } = await startPermission("id -un");
    await page.getByRole("button", { name: "Stop" }).click();
    await assertResolved(request);
    await block.and(page.locator('[data-status="aborted"]')).waitFor({ timeout: 20_000 });
    await block.locator(".tool-status").getByText("Aborted").waitFor();
    await assertStopped(sessionId);
    assertEquals(await pendingOnServer("permission"), []);
    assertEquals(await block.getAttribute("data-status"), "aborted", "late events ignored");
    const part = await storedTool(sessionId, "bash");
    assertEquals(part?.state?.output ?? "", "", "the command did not run");
  },
});

Deno.test({
  name: "stop: from another client, the request it left behind goes from every window",
  ...opts,
  fn: async () => {
    const { sessionId, block, request } = await startPermission("date -u");
    // e.g. the OpenCode TUI on the same server stops the turn: the server keeps the request.
    const res = await fetch(`${oc.url}/session/${sessionId}/abort`, { method: "POST" });
    assertEquals(await res.json(), true);
    await assertResolved(request);
    await block.and(page.locator('[data-status="aborted"]')).waitFor({ timeout: 20_000 });
    await assertStopped(sessionId);
  },
});

Deno.test({
  name: "queue: a prompt sent while the agent works shows Queued until its reply starts",
  ...opts,
  fn: async () => {
    await newSession(page);
    oc.model.enqueue({ tokens: Array.from({ length: 20 }, (_, i) => `busy${i} `), delayMs: 300 });
    await prompt("first");
    await page.locator('article[data-role="assistant"] .part.text').getByText("busy1")
      .waitFor({ timeout: 20_000 });
    await prompt("second while busy");
    const second = page.locator('article[data-role="user"]', { hasText: "second while busy" });
    await second.locator(".queued-marker").waitFor({ timeout: 20_000 });
    assertEquals(
      await page.locator('article[data-role="user"]', { hasText: "first" }).locator(
        ".queued-marker",
      )
        .count(),
      0,
    );
    await page.locator('article[data-role="assistant"]').getByText("Echo: second while busy")
      .waitFor({ timeout: 30_000 });
    assertEquals(await second.locator(".queued-marker").count(), 0, "the marker goes");
    assertEquals(main.errors, [], "page errors");
  },
});

Deno.test({
  name: "stop: with a prompt queued, the running turn stops and stays stopped",
  ...opts,
  fn: async () => {
    const sessionId = await newSession(page);
    await recordToolStatuses(page);
    const command = "sleep 30";
    oc.model.enqueue({ toolCalls: [{ name: "bash", args: { command, description: "Wait" } }] });
    await prompt("wait a while");
    const block = page.locator('.part.tool[data-tool="bash"]');
    await block.and(page.locator('[data-status="running"]')).waitFor({ timeout: 30_000 });
    await prompt("queued behind the sleep");
    const queued = page.locator('article[data-role="user"]', { hasText: "queued behind" });
    await queued.locator(".queued-marker").waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Stop" }).click();
    // The running command shows aborted, and stays so when the server reports how it ended (a
    // killed bash command "completes" there, with a note).
    await block.and(page.locator('[data-status="aborted"]')).waitFor({ timeout: 20_000 });
    await assertStopped(sessionId);
    const partId = await block.getAttribute("data-part-id") ?? "";
    assertEquals((await toolStatuses(page, partId)).at(-1), "aborted");
    assertMatch((await storedTool(sessionId, "bash"))?.state?.output ?? "", /User aborted/);
    await block.locator(".tool-status").getByText("Aborted").waitFor();
    // The stop ended the queue too: nothing is marked queued on an idle session.
    assertEquals(await queued.locator(".queued-marker").count(), 0);
  },
});

Deno.test({
  name: "agent loop: an edit shows its proposed change, then what it changed, as a diff",
  ...opts,
  fn: async () => {
    await newSession(page);
    const file = `${oc.dir}/notes.txt`;
    await Deno.writeTextFile(file, "alpha\nbeta\ngamma\n");
    oc.model.enqueue({
      toolCalls: [{
        name: "edit",
        args: { filePath: file, oldString: "beta", newString: "BETA\nbeta two" },
      }],
    });
    await prompt("edit the notes");
    const block = page.locator('.part.tool[data-tool="edit"]');
    const request = block.getByRole("group", { name: /Permission: the agent wants to/ });
    await request.waitFor({ timeout: 30_000 });
    // Before anything is written, the request shows the change line by line.
    const proposed = request.locator('[data-section="diff"]');
    await proposed.getByLabel("Proposed change").waitFor();
    const lines = async (section: typeof proposed, kind: string) =>
      await section.locator(`.diff-line.${kind}`).allInnerTexts();
    assertEquals(await lines(proposed, "del"), ["-beta"]);
    assertEquals(await lines(proposed, "add"), ["+BETA", "+beta two"]);
    await proposed.getByLabel("2 added, 1 removed").waitFor();
    assertEquals(await Deno.readTextFile(file), "alpha\nbeta\ngamma\n", "nothing written yet");

    await request.getByRole("button", { name: "Allow once" }).click();
    await assertResolved(request);
    await block.and(page.locator('[data-status="completed"]')).waitFor({ timeout: 20_000 });
    assertEquals(await Deno.readTextFile(file), "alpha\nBETA\nbeta two\ngamma\n");
    // Done: the header counts the change; opened, the block shows it, headers and all
    // bookkeeping left out.
    const head = block.locator(".tool-head");
    await head.getByLabel("2 added, 1 removed").waitFor();
    await head.click();
    const changes = block.locator('[data-section="diff"]');
    await changes.getByLabel("Changes").waitFor();
    assertEquals(await lines(changes, "del"), ["-beta"]);
    assertEquals(await lines(changes, "add"), ["+BETA", "+beta two"]);
    assertEquals(await lines(changes, "hunk"), ["@@ -1,3 +1,4 @@"]);
    const body = await block.locator(".tool-body").innerText();
    assert(!body.includes("Index:") && !body.includes("filediff"), `the diff shown once: ${body}`);
  },
});

shutdownAfterAll({ browser, app: () => app, oc: () => oc, dirs: [stateDir] });
