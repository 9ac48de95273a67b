/**
 * Undo, redo, fork, the agent's todo list, subagents, the Changes view and the export, as a
 * person sees them: the real OpenCode server with the fake model (in a git project, so undo takes
 * file changes back), `main.ts --headless` as a child process, and Chromium.
 */
import { assert, assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { createSandbox, startOpencode } from "./support/opencode_server.ts";
import { startFakeModel } from "./support/fake_model.ts";
import { startAppProcess } from "./support/app_process.ts";
import { currentSession, launchBrowser, newSession, openConnectedPage } from "./support/browser.ts";
import { shutdownAfterAll } from "./support/shutdown.ts";

const model = await startFakeModel({ tokenDelayMs: 5 });
const sandbox = await createSandbox({
  modelUrl: model.url,
  permission: { edit: "allow", bash: { "*": "allow", "printf *": "ask" } },
});
// OpenCode takes file changes back only in a git project (its snapshots need one).
for (const args of [["init", "-q"], ["add", "."], ["commit", "-qm", "start"]]) {
  const out = new Deno.Command("git", {
    args: ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args],
    cwd: sandbox.dir,
  }).outputSync();
  assert(out.success, `git ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
}
const oc = await startOpencode({ model, sandbox });
const stateDir = await Deno.makeTempDir({ prefix: "history-state-" });
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});
const browser = await launchBrowser();
const opts = { sanitizeOps: false, sanitizeResources: false };
const { page, errors } = await openConnectedPage(browser, app.url);

async function prompt(text: string): Promise<void> {
  const input = page.getByRole("textbox", { name: "Message" });
  await input.fill(text);
  await input.press("Enter");
}

async function idle(sessionId: string): Promise<void> {
  await waitFor(
    async () => {
      const status = await (await fetch(`${oc.url}/session/status`)).json();
      return (status[sessionId]?.type ?? "idle") === "idle";
    },
    "the session is idle",
    30_000,
  );
}

/** Sends a prompt and waits until its turn ended. */
async function turn(sessionId: string, text: string, reply: string | RegExp): Promise<void> {
  await prompt(text);
  await page.locator('[data-role="assistant"]').getByText(reply).last().waitFor({
    timeout: 30_000,
  });
  await idle(sessionId);
}

async function storedUserTexts(sessionId: string): Promise<string[]> {
  const msgs = await (await fetch(`${oc.url}/session/${sessionId}/message`)).json() as {
    info: { role: string };
    parts: { type: string; text?: string }[];
  }[];
  return msgs.filter((m) => m.info.role === "user")
    .map((m) => m.parts.filter((p) => p.type === "text").map((p) => p.text).join(""));
}

function editCall(file: string, oldString: string, newString: string) {
  model.enqueue({
    toolCalls: [{ name: "edit", args: { filePath: file, oldString, newString } }],
  });
}

const fileText = (file: string) => Deno.readTextFile(file);

Deno.test({
  name:
    "history: undo takes an edit turn back (file and transcript), redo restores it, a prompt makes it permanent",
  ...opts,
  fn: async () => {
    const id = await newSession(page);
    const file = `${oc.dir}/undo.txt`;
    await Deno.writeTextFile(file, "alpha\nbeta\n");
    editCall(file, "beta", "BETA");
    await turn(id, "edit the undo file", /Tool result received/);
    assertEquals(await fileText(file), "alpha\nBETA\n");
    const edit = page.locator('.part.tool[data-tool="edit"]');
    await edit.waitFor();

    await page.getByRole("button", { name: "Undo the last turn" }).click();
    await waitFor(async () => await fileText(file) === "alpha\nbeta\n", "the file is back", 20_000);
    const folded = page.locator(".undone");
    await folded.getByText("edit the undo file").waitFor();
    await edit.waitFor({ state: "detached" });
    const box = page.getByRole("textbox", { name: "Message" });
    assertEquals(await box.inputValue(), "edit the undo file", "the prompt is back in the box");

    await page.getByRole("button", { name: "Redo", exact: true }).click();
    await waitFor(async () => await fileText(file) === "alpha\nBETA\n", "redone", 20_000);
    await edit.waitFor();
    await folded.waitFor({ state: "detached" });
    await waitFor(async () => await box.inputValue() === "", "the box is empty again");

    await page.getByRole("button", { name: "Undo the last turn" }).click();
    await waitFor(async () => await fileText(file) === "alpha\nbeta\n", "undone again", 20_000);
    await folded.waitFor();
    await turn(id, "something else", "Echo: something else");
    await folded.waitFor({ state: "detached" });
    assertEquals(await edit.count(), 0, "the undone turn is gone for good");
    assertEquals(await storedUserTexts(id), ["something else"]);
    assertEquals(await fileText(file), "alpha\nbeta\n");
  },
});

Deno.test({
  name: "history: fork from the second of three messages opens a tab with the first two turns",
  ...opts,
  fn: async () => {
    const id = await newSession(page);
    for (const word of ["first", "second", "third"]) await turn(id, word, `Echo: ${word}`);
    const second = page.locator('article[data-role="user"]').filter({ hasText: "second" });
    await second.hover();
    await second.getByRole("button", { name: "Fork from here" }).click();
    const forked = await waitFor(async () => {
      const now = await currentSession(page);
      return now && now !== id ? now : "";
    }, "the fork's tab is shown");
    await page.locator('[data-role="assistant"]').getByText("Echo: second").waitFor();
    const users = page.locator('article[data-role="user"]');
    await waitFor(async () => await users.count() === 2, "two user messages");
    assertMatch(await users.nth(0).innerText(), /first/);
    assertMatch(await users.nth(1).innerText(), /second/);
    assertEquals(await page.getByText("Echo: third").count(), 0);
    assertEquals(await storedUserTexts(forked), ["first", "second"]);
    assertEquals(await page.locator(".tab").count() >= 2, true, "the original tab stays");
  },
});

const todo = (content: string, status: string) => ({ content, status, priority: "medium" });

Deno.test({
  name: "history: the agent's todo list docks above the message box and follows each update",
  ...opts,
  fn: async () => {
    const id = await newSession(page);
    const dock = page.getByRole("region", { name: "Agent's todo list" });
    const write = (...todos: ReturnType<typeof todo>[]) =>
      model.enqueue({ toolCalls: [{ name: "todowrite", args: { todos } }] });
    write(todo("Read", "in_progress"), todo("Change", "pending"), todo("Test", "pending"));
    await turn(id, "make a plan", /Tool result received/);
    await dock.getByText("0 of 3 done").waitFor();
    const status = (text: string) =>
      dock.locator(".todo", { hasText: text }).getAttribute("data-status");
    assertEquals(await status("Read"), "in_progress");

    write(todo("Read", "completed"), todo("Change", "in_progress"), todo("Test", "pending"));
    await turn(id, "go on", /Tool result received \(1\)/);
    await dock.getByText("1 of 3 done").waitFor();
    assertEquals([await status("Read"), await status("Change")], ["completed", "in_progress"]);

    write(todo("Read", "completed"), todo("Change", "completed"), todo("Test", "completed"));
    await turn(id, "finish", /Tool result received/);
    await dock.getByText("3 of 3 done").waitFor();
    // In the transcript, each todowrite shows the list as it was written.
    const blocks = page.locator('.part.todo-write[data-tool="todowrite"]');
    assertEquals(await blocks.count(), 3);
    await blocks.nth(0).getByText("0 of 3 done").waitFor();
    await blocks.nth(1).getByText("1 of 3 done").waitFor();
  },
});

Deno.test({
  name: "history: a subagent's block shows it working, takes its permission, opens its session",
  ...opts,
  fn: async () => {
    const id = await newSession(page);
    model.enqueue(
      {
        toolCalls: [{
          name: "task",
          args: { description: "Print a greeting", prompt: "print hi", subagent_type: "general" },
        }],
      },
      { toolCalls: [{ name: "bash", args: { command: "printf hi", description: "Greet" } }] },
    );
    await prompt("delegate the greeting");
    const block = page.locator('.part.subagent[data-tool="task"]');
    await block.getByText("Print a greeting").waitFor({ timeout: 30_000 });
    await block.locator(".subagent-name").getByText("General").waitFor();
    // The subagent's permission is asked in its own session, answered here.
    const request = block.getByRole("group", { name: /Permission: the agent wants to run/ });
    await request.waitFor({ timeout: 30_000 });
    await block.locator(".subagent-state").getByText("Waiting for you").waitFor();
    const child = await block.getAttribute("data-child-session") ?? "";
    assert(child && child !== id, "the block knows the child session");
    await request.getByRole("button", { name: "Allow once" }).click();
    await block.locator(".subagent-state").getByText("Done").waitFor({ timeout: 30_000 });
    await block.locator(".subagent-step").getByText(/Tool result received|printf hi/).waitFor();
    await idle(id);

    await block.getByRole("button", { name: /Open the subagent's session/ }).click();
    await waitFor(async () => await currentSession(page) === child, "the child's tab");
    await page.locator('.part.tool[data-tool="bash"]').waitFor();
    const back = page.getByRole("button", { name: /Back to the parent session/ });
    await back.click();
    await waitFor(async () => await currentSession(page) === id, "back in the parent");
  },
});

Deno.test({
  name:
    "history: the Changes view lists the files a session edited; export, share and compact answer",
  ...opts,
  fn: async () => {
    const id = await newSession(page);
    const a = `${oc.dir}/changes_a.txt`;
    const b = `${oc.dir}/changes_b.txt`;
    await Deno.writeTextFile(a, "one\ntwo\nthree\n");
    await Deno.writeTextFile(b, "red\ngreen\n");
    editCall(a, "two", "TWO\ntwo and a half");
    await turn(id, "change file a", /Tool result received/);
    editCall(b, "green", "GREEN");
    await turn(id, "change file b", /Tool result received/);
    // Each turn says what it changed.
    for (const counts of ["2 added, 1 removed", "1 added, 1 removed"]) {
      const chip = page.getByRole("button", {
        name: `This turn changed 1 file: ${counts}. Review`,
      });
      await chip.waitFor({ timeout: 20_000 });
    }

    await page.getByRole("button", { name: "Session actions" }).click();
    await page.getByRole("menuitem", { name: "Changes…" }).click();
    const dialog = page.getByRole("dialog", { name: /Changes in/ });
    const files = dialog.getByRole("list", { name: "Changed files" });
    await files.waitFor();
    const rows = files.locator(".changes-file");
    assertEquals(await rows.count(), 2);
    await rows.filter({ hasText: "changes_a.txt" }).getByLabel("2 added, 1 removed").waitFor();
    await rows.filter({ hasText: "changes_b.txt" }).getByLabel("1 added, 1 removed").waitFor();
    await rows.filter({ hasText: "changes_a.txt" }).getByRole("button").click();
    await dialog.locator(".diff-line.add").getByText("+TWO", { exact: true }).waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });

    // Export: a Markdown file named after the title, holding the turns.
    await page.getByRole("button", { name: "Session actions" }).click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("menuitem", { name: "Export as Markdown" }).click(),
    ]);
    assertMatch(download.suggestedFilename(), /\.md$/);
    const md = await Deno.readTextFile(await download.path());
    assertMatch(md, /## You\n\nchange file a/);
    assertMatch(md, /- Tool `edit`: `changes_a\.txt`/);
    assertMatch(md, /## Assistant\n\n/);

    // This server has sharing disabled: the person is told so in a sentence.
    await page.getByRole("button", { name: "Session actions" }).click();
    await page.getByRole("menuitem", { name: "Share" }).click();
    await page.getByText("Cannot share this session: sharing is disabled on this server")
      .waitFor();
    // Compact: the server summarises with the tab's model, and the transcript shows the divider.
    await page.getByRole("button", { name: "Session actions" }).click();
    await page.getByRole("menuitem", { name: "Compact" }).click();
    await page.locator(".part.compaction").waitFor({ timeout: 30_000 });
    await idle(id);
    assertEquals(errors, [], "page errors");
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
