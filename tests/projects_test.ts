/**
 * Several projects in one app, as a person sees them: the real OpenCode server (one server, many
 * directories) with the fake model, `main.ts --headless` as a child process, and Chromium. The
 * app starts in project A (the server's directory); B and C are opened with "Open folder…".
 */
import { assert, assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { startAppProcess } from "./support/app_process.ts";
import { currentSession, launchBrowser, newSession, openConnectedPage } from "./support/browser.ts";
import { shutdownAfterAll } from "./support/shutdown.ts";

const oc = await startOpencode({
  tokenDelayMs: 10,
  permission: { bash: { "*": "allow", "printf *": "ask" } },
});
const dirA = oc.dir;
const dirB = `${oc.sandbox}/beta-project`;
const dirC = `${oc.sandbox}/gamma-project`;
await Deno.mkdir(dirB);
await Deno.mkdir(dirC);
await Deno.mkdir(`${dirA}/src`);
await Deno.writeTextFile(`${dirB}/beta_notes.md`, "notes of project B\n");
const stateDir = await Deno.makeTempDir({ prefix: "projects-state-" });
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});
const browser = await launchBrowser();
shutdownAfterAll({ browser, app: () => app, oc: () => oc, dirs: [stateDir] });

const opts = { sanitizeOps: false, sanitizeResources: false };
const { page, errors } = await openConnectedPage(browser, app.url);

const switcher = () => page.getByRole("button", { name: /^Project: / });
const sidebarItem = (id: string) => page.locator(`.session-list [data-session-id="${id}"]`);
const tab = (id: string) => page.locator(`.tab[data-session-id="${id}"]`);

/** What the server stored of a session. */
async function stored(id: string): Promise<{ directory: string }> {
  return await (await fetch(`${oc.url}/session/${id}`)).json();
}

/** The text of the last assistant message the server stored for a session. */
async function storedReply(id: string, dir: string): Promise<string> {
  const url = `${oc.url}/session/${id}/message?directory=${encodeURIComponent(dir)}`;
  const msgs = await (await fetch(url)).json() as {
    info: { role: string };
    parts: { type: string; text?: string }[];
  }[];
  const last = msgs.findLast((m) => m.info.role === "assistant");
  return (last?.parts ?? []).filter((p) => p.type === "text").map((p) => p.text).join("");
}

async function pendingIn(dir: string): Promise<unknown[]> {
  return await (await fetch(`${oc.url}/permission?directory=${encodeURIComponent(dir)}`)).json();
}

async function busy(id: string, dir: string): Promise<boolean> {
  const url = `${oc.url}/session/status?directory=${encodeURIComponent(dir)}`;
  const status = await (await fetch(url)).json() as Record<string, { type: string }>;
  return (status[id]?.type ?? "idle") !== "idle";
}

/** Opens a folder by typing its path in "Open folder…"; returns the dialog. */
async function openFolder(path: string) {
  await switcher().click();
  await page.getByRole("button", { name: "Open folder…" }).click();
  const dialog = page.getByRole("dialog", { name: "Open folder" });
  const field = dialog.getByRole("textbox", { name: "Folder" });
  // The listing of the project on screen comes first and fills the field.
  await dialog.getByRole("list", { name: /^Folders in / }).waitFor();
  await field.fill(path);
  await dialog.getByRole("button", { name: "Open", exact: true }).click();
  return dialog;
}

/** Waits until the switcher names this project as the one on screen. */
async function showing(name: string): Promise<void> {
  const label = () => switcher().getAttribute("aria-label");
  await waitFor(async () => (await label()) === `Project: ${name}`, `project ${name} on screen`);
}

/** Shows a project from the switcher's list (the button that names it and its directory). */
async function choose(name: string, dir: string): Promise<void> {
  await switcher().click();
  const list = page.getByRole("list", { name: "Projects" });
  await list.getByRole("button", { name: `${name} ${dir}`, exact: true }).click();
  await showing(name);
}

async function prompt(text: string): Promise<void> {
  const input = page.getByRole("textbox", { name: "Message" });
  await input.fill(text);
  await input.press("Enter");
}

let sessionA = "";
let sessionB = "";

Deno.test({
  name:
    "projects: sessions and tabs of two projects stay apart, and A's reply streams while B shows",
  ...opts,
  fn: async () => {
    assertEquals(await switcher().getAttribute("aria-label"), "Project: project");
    sessionA = await newSession(page);
    await sidebarItem(sessionA).waitFor();

    // Project B, opened by its path: its (empty) history, and a new session made there.
    const dialog = await openFolder(dirB);
    await dialog.waitFor({ state: "hidden" });
    await showing("beta-project");
    await sidebarItem(sessionA).waitFor({ state: "detached" });
    sessionB = await newSession(page);
    assertEquals((await stored(sessionB)).directory, dirB, "B's session lives in B");
    assertEquals((await stored(sessionA)).directory, dirA, "A's session lives in A");
    await sidebarItem(sessionB).waitFor();
    assertEquals(await sidebarItem(sessionA).count(), 0, "B's history does not list A's");
    // Its message box finds B's files.
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("@beta_no");
    await page.getByRole("listbox", { name: "Files and agents" })
      .getByRole("option", { name: "beta_notes.md" }).waitFor();
    await box.fill("");

    // One tab bar: A's tab says its project while B is on screen; B's tab says nothing.
    assertEquals(await tab(sessionA).locator(".tab-project").innerText(), "project");
    assertEquals(await tab(sessionB).locator(".tab-project").count(), 0);
    assertMatch(
      await tab(sessionA).getByRole("tab").getAttribute("aria-label") ?? "",
      /\(project project\)$/,
    );

    // Showing A's tab shows project A: its history, without B's session.
    await tab(sessionA).getByRole("tab").click();
    await showing("project");
    await sidebarItem(sessionA).waitFor();
    assertEquals(await sidebarItem(sessionB).count(), 0, "A's history does not list B's");
    assertEquals(await tab(sessionB).locator(".tab-project").innerText(), "beta-project");

    // A reply streams in A's tab while B's tab (and project) is on screen.
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
    oc.model.enqueue({ text: `Streamed in A: ${words}`, tokenDelayMs: 40 });
    await prompt("reply slowly please");
    await waitFor(() => busy(sessionA, dirA), "A busy");
    await tab(sessionB).getByRole("tab").click();
    await showing("beta-project");
    assert(await busy(sessionA, dirA), "the reply still streams once B is on screen");
    await waitFor(async () => !(await busy(sessionA, dirA)), "A idle", 30_000);
    await waitFor(async () => (await tab(sessionA).getAttribute("data-marker")) === "done", "done");

    // Back in A: the streamed text is there, equal to what the server stored.
    await tab(sessionA).getByRole("tab").click();
    assertEquals(await currentSession(page), sessionA);
    const expected = await storedReply(sessionA, dirA);
    assertMatch(expected, /^Streamed in A: word0/);
    const reply = page.locator('article[data-role="assistant"]').last();
    await reply.getByText("word39").waitFor();
    assertEquals((await reply.locator(".part.text").innerText()).trim(), expected.trim());
    assertEquals(errors, [], "page errors");
  },
});

Deno.test({
  name: "projects: a permission asked in B is seen from A, and answering it works",
  ...opts,
  fn: async () => {
    assert(sessionB, "the first test made B's session");
    await tab(sessionB).getByRole("tab").click();
    await showing("beta-project");
    oc.model.enqueue({
      toolCalls: [
        { name: "read", args: { filePath: `${dirB}/beta_notes.md` } },
        { name: "bash", args: { command: "printf fromB", description: "Test" } },
      ],
    });
    await prompt("please run printf fromB");
    await waitFor(async () => (await pendingIn(dirB)).length === 1, "B's permission", 30_000);

    // A on screen (its tab, its project): B's request shows in the top bar and on B's tab.
    await tab(sessionA).getByRole("tab").click();
    await showing("project");
    const indicator = page.getByRole("button", { name: /waits? for you: open the oldest/ });
    await indicator.waitFor({ timeout: 20_000 });
    assertMatch(await indicator.innerText(), /1\s*waiting/);
    const marker = () => tab(sessionB).getAttribute("data-marker");
    await waitFor(async () => (await marker()) === "attention", "B's tab needs you");
    await switcher().click();
    const listed = page.getByRole("list", { name: "Projects" })
      .getByRole("button", { name: /beta-project/ });
    assertEquals(await listed.getAttribute("aria-description"), "1 waiting for you");
    await switcher().click();

    // Answering it from the request block: it goes to B's server instance, and the tool runs.
    await indicator.click();
    await waitFor(async () => (await currentSession(page)) === sessionB, "B's tab shown");
    await page.getByRole("button", { name: "Allow once" }).click();
    await waitFor(async () => (await pendingIn(dirB)).length === 0, "answered", 20_000);
    await page.locator('.part.tool[data-tool="bash"][data-status="completed"]')
      .waitFor({ timeout: 20_000 });
    // B's paths read relative to B, not to the project the app started in.
    assertEquals(
      await page.locator('.part.tool[data-tool="read"] .tool-summary').innerText(),
      "beta_notes.md",
    );
    await indicator.waitFor({ state: "detached" });
    assertEquals(errors, [], "page errors");
  },
});

Deno.test({
  name: "projects: Open folder lists folders, opens a typed one, and refuses a file",
  ...opts,
  fn: async () => {
    await choose("project", dirA);
    await switcher().click();
    await page.getByRole("button", { name: "Open folder…" }).click();
    const dialog = page.getByRole("dialog", { name: "Open folder" });
    // It starts at the project on screen, listing its folders (not its files).
    const list = dialog.getByRole("list", { name: `Folders in ${dirA}` });
    await list.getByRole("button", { name: "src" }).waitFor();
    assertEquals(await list.getByRole("button", { name: "README.md" }).count(), 0);

    // A file is refused with a sentence, and the dialog stays.
    const field = dialog.getByRole("textbox", { name: "Folder" });
    await field.fill(`${dirA}/README.md`);
    await dialog.getByRole("button", { name: "Open", exact: true }).click();
    await dialog.getByRole("alert").getByText(
      `Cannot open ${dirA}/README.md: it is not a directory`,
    ).waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // A typed folder opens, with its empty history; it is kept among the recent projects.
    const opened = await openFolder(dirC);
    await opened.waitFor({ state: "hidden" });
    await showing("gamma-project");
    await page.locator(".sidebar-empty").getByText("No sessions yet.").waitFor();
    assertEquals(await page.locator(".session-list .session-item").count(), 0);
    // Its first session starts from the empty history, in that folder.
    await page.getByRole("navigation", { name: "Session history" })
      .getByRole("button", { name: "Start a session here" }).click();
    await page.locator(".session-list .session-item").first().waitFor();
    const made = await waitFor(async () => {
      const url = `${oc.url}/session?directory=${encodeURIComponent(dirC)}`;
      const list = await (await fetch(url)).json() as { directory: string }[];
      return list.length === 1 ? list[0] : null;
    }, "a session in the opened folder");
    assertEquals(made.directory, dirC);
    await choose("project", dirA);
    await choose("gamma-project", dirC);
    assertEquals(errors, [], "page errors");
  },
});
