/**
 * The composer's power tools and the ways around the app, as a person uses them: the `/` menu
 * with the server's commands (a project command from `.opencode/command/` included), `!` shell
 * commands, `@` file mentions whose content reaches the model, Up to recall a prompt, the command
 * palette, and deep links to a session. Real OpenCode server with the fake model, `main.ts
 * --headless`, and Chromium; one of each for the whole file.
 */
import { assert, assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { createSandbox, startOpencode } from "./support/opencode_server.ts";
import { startFakeModel } from "./support/fake_model.ts";
import { startAppProcess } from "./support/app_process.ts";
import {
  currentSession,
  launchBrowser,
  newSession,
  openConnectedPage,
  withTestHooks,
} from "./support/browser.ts";
import { shutdownAfterAll } from "./support/shutdown.ts";

const model = await startFakeModel({ tokenDelayMs: 2 });
const sandbox = await createSandbox({ modelUrl: model.url });
await Deno.mkdir(`${sandbox.dir}/.opencode/command`, { recursive: true });
await Deno.writeTextFile(
  `${sandbox.dir}/.opencode/command/greet.md`,
  "---\ndescription: Greet someone warmly\n---\nPlease greet $ARGUMENTS with the word WAVE.\n",
);
await Deno.mkdir(`${sandbox.dir}/src`);
const FILE_MARK = "zebra-42-in-the-file";
await Deno.writeTextFile(
  `${sandbox.dir}/src/widget_factory.ts`,
  `export const MARK = "${FILE_MARK}";\n`,
);
const oc = await startOpencode({ model, sandbox });
const stateDir = await Deno.makeTempDir({ prefix: "commands-state-" });
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});
const browser = await launchBrowser();
const token = new URLSearchParams(new URL(app.url).hash.slice(1)).get("token") ?? "";

const opts = { sanitizeOps: false, sanitizeResources: false };
const { page, errors } = await openConnectedPage(browser, withTestHooks(app.url));
const box = page.getByRole("textbox", { name: "Message" });

/** The chat requests the fake model got, as the JSON of their messages. */
const chats = () => model.requests().filter((r) => r.kind === "chat");

Deno.test(
  "composer / lists the server's commands, the project's too, and runs one with its argument",
  opts,
  async () => {
    await newSession(page);
    await box.fill("/");
    const list = page.getByRole("listbox", { name: "Commands" });
    await list.waitFor();
    for (const name of ["/init", "/review", "/greet", "/settings"]) {
      await list.getByRole("option", { name: new RegExp(`^${name}\\b`) }).waitFor();
    }
    assertMatch(
      await list.getByRole("option", { name: /^\/greet/ }).innerText(),
      /Greet someone warmly/,
    );
    // A fragment narrows the list; the first match is active and named by the box.
    await box.pressSequentially("gre");
    const active = list.getByRole("option", { selected: true });
    assertMatch(await active.innerText(), /^\/greet/);
    assertEquals(await box.getAttribute("aria-activedescendant"), await active.getAttribute("id"));
    // Enter on a command that takes arguments completes it; the arguments follow.
    await box.press("Enter");
    assertEquals(await box.inputValue(), "/greet ");
    await list.waitFor({ state: "detached" });
    const before = chats().length;
    await box.pressSequentially("Alice");
    await box.press("Enter");
    // The server expanded the template with the argument before the model saw it.
    await waitFor(
      () =>
        chats().slice(before).some((r) =>
          r.text.includes("Please greet Alice with the word WAVE.")
        ),
      "the expanded command at the model",
    );
    await page.locator(".message").getByText("Echo: Please greet Alice with the word WAVE.")
      .waitFor();
    assertEquals(await box.inputValue(), "");
    // The app's own commands are in the same menu: a name typed out runs at Enter.
    await box.fill("/settings");
    await list.getByRole("option", { selected: true, name: /^\/settings/ }).waitFor();
    await box.press("Enter");
    const settings = page.getByRole("dialog", { name: "Settings" });
    await settings.waitFor();
    assertEquals(await box.inputValue(), "");
    await page.keyboard.press("Escape");
    await settings.waitFor({ state: "hidden" });
  },
);

Deno.test("composer !command runs a shell command and shows its output", opts, async () => {
  await box.fill("!echo hi-from-shell");
  await box.press("Enter");
  const block = page.locator('.part.tool[data-tool="bash"]').last();
  await block.waitFor();
  await block.getByText("echo hi-from-shell").first().waitFor();
  await waitFor(async () => await block.getAttribute("data-status") === "completed", "done");
  const head = block.locator(".tool-head");
  if (await head.getAttribute("aria-expanded") !== "true") await head.click();
  await block.locator('.tool-section[data-section="output"]').getByText("hi-from-shell", {
    exact: true,
  })
    .first().waitFor();
});

Deno.test(
  "composer @ finds a file by a fuzzy fragment and sends it as a file part",
  opts,
  async () => {
    await newSession(page);
    // Agents are offered too (the built-in subagents).
    await box.fill("@expl");
    await page.getByRole("listbox", { name: "Files and agents" })
      .getByRole("option", { name: /^@explore/ }).waitFor();
    await box.fill("what does this hold? @wdgfac");
    const list = page.getByRole("listbox", { name: "Files and agents" });
    const option = list.getByRole("option", { name: "src/widget_factory.ts" });
    await option.waitFor();
    await box.press("Enter");
    assertEquals(await box.inputValue(), "what does this hold? @src/widget_factory.ts ");
    await page.getByRole("list", { name: "Mentioned" }).getByText("@src/widget_factory.ts")
      .waitFor();
    model.enqueue({ text: "It holds a mark." });
    const before = chats().length;
    await box.press("Enter");
    // OpenCode read the file into the prompt: its content reached the model.
    await waitFor(
      () => chats().slice(before).some((r) => JSON.stringify(r.body.messages).includes(FILE_MARK)),
      "the file's content at the model",
    );
    await page.locator(".message .part.file").getByText("src/widget_factory.ts").waitFor();
    await page.locator(".message").getByText("It holds a mark.").waitFor();
    assertEquals(await page.getByRole("list", { name: "Mentioned" }).count(), 0);
  },
);

Deno.test("core refuses a mention of a file outside the project", opts, async () => {
  const id = await currentSession(page);
  const why = await page.evaluate(async (sessionId) => {
    // deno-lint-ignore no-explicit-any
    const desk = (globalThis as any).__desk;
    try {
      await desk.conn.request({
        sendMentions: { message: { sessionId, text: "x" }, files: [{ path: "../opencode.json" }] },
      });
      return "sent";
    } catch (err) {
      return (err as Error).message;
    }
  }, id);
  assertEquals(why, "Cannot mention ../opencode.json: it is outside the project");
});

Deno.test(
  "composer Up recalls the previous prompts of the session, Down goes forward",
  opts,
  async () => {
    await newSession(page);
    for (const text of ["first prompt alpha", "second prompt beta"]) {
      model.enqueue({ text: `ok ${text}` });
      await box.fill(text);
      await box.press("Enter");
      await page.locator(".message").getByText(`ok ${text}`).waitFor();
    }
    await box.focus();
    await box.press("ArrowUp");
    assertEquals(await box.inputValue(), "second prompt beta");
    await box.press("ArrowUp");
    assertEquals(await box.inputValue(), "first prompt alpha");
    await box.press("ArrowDown");
    assertEquals(await box.inputValue(), "second prompt beta");
    await box.press("ArrowDown");
    assertEquals(await box.inputValue(), "");
  },
);

/** A session made on the server with a title, as another client would. */
async function serverSession(title: string): Promise<string> {
  const res = await fetch(`${oc.url}/session?directory=${encodeURIComponent(oc.dir)}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title }),
  });
  const s = await res.json() as { id: string };
  return s.id;
}

Deno.test("palette switches to a session by a fragment of its title", opts, async () => {
  const id = await serverSession("Quarterly zebra report");
  await page.locator(`.session-item[data-session-id="${id}"]`).waitFor();
  await page.keyboard.press("Control+k");
  const dialog = page.getByRole("dialog", { name: "Command palette" });
  await dialog.waitFor();
  const field = dialog.getByRole("combobox", { name: "Search actions and sessions" });
  assertEquals(await page.evaluate("document.activeElement?.getAttribute('role')"), "combobox");
  // Every action is listed with its shortcut, in the form a browser tab lets through.
  await dialog.getByRole("option", { name: /^New session/ }).getByText("Alt+T").waitFor();
  await field.fill("qzebrep");
  const first = dialog.getByRole("option", { selected: true });
  assertMatch(await first.innerText(), /Quarterly zebra report/);
  assertEquals(await field.getAttribute("aria-activedescendant"), await first.getAttribute("id"));
  await field.press("Enter");
  await dialog.waitFor({ state: "hidden" });
  await waitFor(async () => await currentSession(page) === id, "the session shown");
  // An action by name: the model picker opens.
  await page.keyboard.press("Control+k");
  await field.fill("pick model");
  await field.press("Enter");
  const picker = page.getByRole("dialog", { name: "Choose a model" });
  await picker.waitFor();
  await page.keyboard.press("Escape");
  await picker.waitFor({ state: "hidden" });
  // Ctrl+Shift+P opens it too, Esc closes it; at phone width it fits the screen.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.keyboard.press("Control+Shift+P");
  await dialog.waitFor();
  const box = await dialog.boundingBox();
  assert(
    box && box.x >= 0 && box.x + box.width <= 390,
    `palette fits 390 px: ${JSON.stringify(box)}`,
  );
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  await page.setViewportSize({ width: 1280, height: 800 });
});

Deno.test(
  "deep link opens its session in a fresh page; back returns to the previous one",
  opts,
  async () => {
    const first = await serverSession("Deep link first");
    const second = await serverSession("Deep link second");
    // A fresh browser context: no token, no remembered tab; the link carries both.
    const context = await browser.newContext();
    try {
      const fresh = await context.newPage();
      await fresh.goto(`${app.origin}/#/s/${first}?token=${token}`);
      await fresh.getByRole("status", { name: "Connection status" }).getByText("Connected")
        .waitFor();
      await waitFor(async () => await currentSession(fresh) === first, "the linked session shown");
      assertEquals(new URL(fresh.url()).hash, `#/s/${first}`, "the token left the address");
      // Showing another session moves the address; Back returns, and a reload keeps it.
      await fresh.locator(`.session-item[data-session-id="${second}"] .session-open`).click();
      await waitFor(async () => await currentSession(fresh) === second, "the second session");
      assertEquals(new URL(fresh.url()).hash, `#/s/${second}`);
      await fresh.goBack();
      await waitFor(async () => await currentSession(fresh) === first, "back to the first");
      await fresh.reload();
      await fresh.getByRole("status", { name: "Connection status" }).getByText("Connected")
        .waitFor();
      await waitFor(async () => await currentSession(fresh) === first, "still the first");
    } finally {
      await context.close();
    }
    assertEquals(errors, []);
  },
);

shutdownAfterAll({
  browser,
  app: () => app,
  oc: () => oc,
  dirs: [stateDir, sandbox.root],
  also: () => model.close(),
});
