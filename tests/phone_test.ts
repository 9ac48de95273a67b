/**
 * The app on a phone (390 × 844, touch): the history is a drawer, the open sessions a picker,
 * Enter makes a new line and Send sends, a permission is approved and its diff read, and nothing
 * sticks out sideways; the main controls are 44 px. Real OpenCode with the fake model,
 * `main.ts --headless`, and Chromium emulating a phone.
 */
import { assert, assertEquals, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { startAppProcess } from "./support/app_process.ts";
import { launchBrowser, watchErrors } from "./support/browser.ts";
import { sidewaysOverflow, smallTargets } from "./support/layout.ts";
import { shutdownAfterAll } from "./support/shutdown.ts";

const oc = await startOpencode({ tokenDelayMs: 5, permission: { edit: "ask" } });
const stateDir = await Deno.makeTempDir({ prefix: "phone-state-" });
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});
const browser = await launchBrowser();
const opts = { sanitizeOps: false, sanitizeResources: false };
/** Set REACH_SHOTS=dir to keep screenshots of each step (to look at the layout). */
const SHOTS = Deno.env.get("REACH_SHOTS");

async function createSession(title: string): Promise<string> {
  const res = await fetch(`${oc.url}/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title }),
  });
  return (await res.json() as { id: string }).id;
}

const first = await createSession("Phone first");
await createSession("Phone second");
const context = await browser.newContext({
  viewport: { width: 390, height: 844 },
  hasTouch: true,
  isMobile: true,
  deviceScaleFactor: 2,
});
const page = await context.newPage();
const errors = watchErrors(page);
await page.goto(app.url);
await page.getByRole("status", { name: "Connection status" }).getByText("Connected").waitFor();

async function shot(name: string): Promise<void> {
  if (!SHOTS) return;
  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.screenshot({ path: `${SHOTS}/phone-${name}-${theme}.png` });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

async function assertFits(step: string): Promise<void> {
  const out = await sidewaysOverflow(page);
  assertEquals(out, [], `${step}: nothing sticks out sideways`);
}

Deno.test({
  name:
    "phone: the history is a drawer; a session opens from it and the drawer gets out of the way",
  ...opts,
  fn: async () => {
    await assertFits("at start");
    const menu = page.getByRole("button", { name: "Toggle sidebar" });
    const drawer = page.getByRole("complementary", { name: "Sessions" });
    if (await drawer.isVisible()) await menu.tap();
    await drawer.waitFor({ state: "hidden" });
    await menu.tap();
    await drawer.waitFor();
    await shot("drawer");
    // Focus moved into the drawer; Esc closes it and focus returns to the menu button.
    await waitFor(
      () => page.evaluate("!!document.activeElement?.closest('#session-sidebar')"),
      "focus inside the drawer",
    );
    await page.keyboard.press("Escape");
    await drawer.waitFor({ state: "hidden" });
    await waitFor(
      () => page.evaluate("document.activeElement?.matches('.sidebar-toggle')"),
      "focus back on the menu button",
    );
    await menu.tap();
    await drawer.getByRole("button", { name: "Phone first", exact: true }).tap();
    await drawer.waitFor({ state: "hidden" });
    const picker = page.getByRole("combobox", { name: "Open sessions" });
    await waitFor(async () => await picker.inputValue() === first, "the picker shows the session");
    await assertFits("a session open");
  },
});

Deno.test({
  name: "phone: Enter makes a new line, Send sends, a permission is approved and its diff read",
  ...opts,
  fn: async () => {
    const file = `${oc.dir}/phone.txt`;
    await Deno.writeTextFile(file, "one\ntwo\nthree\n");
    const long = "x".repeat(300);
    oc.model.enqueue({
      toolCalls: [{
        name: "edit",
        args: { filePath: file, oldString: "two", newString: `TWO ${long}` },
      }],
    });
    const input = page.getByRole("textbox", { name: "Message" });
    await input.tap();
    await input.pressSequentially("edit");
    await input.press("Enter");
    await input.pressSequentially("the file");
    assertEquals(await input.inputValue(), "edit\nthe file", "Enter made a new line");
    const send = page.getByRole("button", { name: "Send" });
    await send.tap();
    const block = page.locator('.part.tool[data-tool="edit"]');
    const request = block.getByRole("group", { name: /Permission: the agent wants to/ });
    await request.waitFor({ timeout: 30_000 });
    const allow = request.getByRole("button", { name: "Allow once" });
    await allow.scrollIntoViewIfNeeded();
    await shot("permission");
    await assertFits("a permission with a wide diff");
    assertEquals(
      await smallTargets({
        menu: page.getByRole("button", { name: "Toggle sidebar" }),
        picker: page.getByRole("combobox", { name: "Open sessions" }),
        "new session": page.getByRole("button", { name: "New session" }),
        settings: page.getByRole("button", { name: "Settings" }),
        send,
        stop: page.getByRole("button", { name: "Stop" }),
        model: page.locator(".model-picker .picker-button"),
        "allow once": allow,
      }),
      [],
      "main controls are at least 44 px",
    );
    await allow.tap();
    await block.and(page.locator('[data-status="completed"]')).waitFor({ timeout: 20_000 });
    await block.locator(".tool-head").tap();
    const changes = block.locator('[data-section="diff"]');
    await changes.getByLabel("Changes").waitFor();
    assert((await changes.innerText()).includes(long), "the whole changed line is there");
    await assertFits("the diff open");
    await shot("diff");
  },
});

Deno.test({
  name: "phone: the model list fits the screen",
  ...opts,
  fn: async () => {
    await page.locator(".model-picker .picker-button").tap();
    const menu = page.getByRole("dialog", { name: "Choose a model" });
    await menu.waitFor();
    const box = (await menu.boundingBox())!;
    assert(
      box.x >= 0 && box.x + box.width <= 390,
      `the list inside the screen: ${box.x}+${box.width}`,
    );
    await assertFits("the model list open");
    await shot("models");
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "hidden" });
    assertEquals(errors, []);
  },
});

Deno.test({
  name: "phone: the wide window keeps the tab strip and the side history",
  ...opts,
  fn: async () => {
    const wide = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await wide.goto(app.url);
    await wide.getByRole("status", { name: "Connection status" }).getByText("Connected").waitFor();
    await wide.getByRole("tablist", { name: "Open sessions" }).waitFor();
    assert(!await wide.getByRole("combobox", { name: "Open sessions" }).isVisible());
    if (SHOTS) {
      for (const theme of ["light", "dark"] as const) {
        await wide.emulateMedia({ colorScheme: theme });
        await wide.screenshot({ path: `${SHOTS}/wide-${theme}.png` });
      }
    }
    await wide.close();
  },
});

Deno.test({
  name: "browser tab: shortcuts show and answer the forms a browser lets through",
  ...opts,
  fn: async () => {
    const wide = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await wide.goto(app.url);
    await wide.getByRole("status", { name: "Connection status" }).getByText("Connected").waitFor();
    const add = wide.getByRole("button", { name: "New session" });
    assertEquals(await add.getAttribute("title"), "New session (Alt+T)");
    const count = () => wide.getByRole("tab").count();
    const before = await count();
    await wide.locator("body").press("Alt+t");
    await waitFor(async () => await count() === before + 1, "Alt+T opened a tab");
    await wide.locator("body").press("Alt+w");
    await waitFor(async () => await count() === before, "Alt+W closed it");
    await wide.close();
  },
});

shutdownAfterAll({
  browser,
  app: () => app,
  oc: () => oc,
  dirs: [stateDir],
  also: () => context.close().catch(() => {}),
});
