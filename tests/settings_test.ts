/**
 * Settings as a person uses them: the dialog (gear button, Ctrl+,, Esc), a theme that changes
 * the page at once and in a second window too, the text size, sending with Ctrl+Enter, and all
 * of it back after the app restarts on the same state file. Real OpenCode with the fake model,
 * `main.ts --headless` as a child process, Chromium.
 */
import { assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { type AppProcess, startAppProcess } from "./support/app_process.ts";
import { launchBrowser, openConnectedPage } from "./support/browser.ts";
import type { Page } from "playwright-core";
import { shutdownAfterAll } from "./support/shutdown.ts";

const oc = await startOpencode({ tokenDelayMs: 5 });
const stateDir = await Deno.makeTempDir({ prefix: "settings-state-" });
const startApp = () =>
  startAppProcess({
    args: ["--headless", "--server", oc.url, "--port", "0"],
    env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
  });
let app: AppProcess = await startApp();
const browser = await launchBrowser();
let { page } = await openConnectedPage(browser, app.url);

// Deno's sanitizers would flag the shared server and browser; shutdownAfterAll closes them.
const opts = { sanitizeOps: false, sanitizeResources: false };

const dialog = (p = page) => p.getByRole("dialog", { name: "Settings" });
const root = (p: Page, attr: string) => p.evaluate(`document.documentElement.dataset.${attr}`);
const style = (p: Page, what: "backgroundColor" | "fontSize") =>
  p.evaluate(`getComputedStyle(document.body).${what}`);

Deno.test({
  name: "settings: the gear opens the dialog; Esc closes it; Ctrl+, opens it from anywhere",
  ...opts,
  fn: async () => {
    await page.getByRole("button", { name: "Settings" }).click();
    await dialog().waitFor();
    // The current choices are shown: the defaults.
    assertEquals(await dialog().getByRole("radio", { name: "System" }).isChecked(), true);
    assertEquals(
      await dialog().getByRole("radio", { name: "Enter", exact: true }).isChecked(),
      true,
    );
    assertEquals(await dialog().getByRole("radio", { name: "Normal" }).isChecked(), true);
    await page.keyboard.press("Escape");
    await dialog().waitFor({ state: "hidden" });
    await page.getByRole("textbox", { name: "Message" }).focus();
    await page.keyboard.press("Control+,");
    await dialog().waitFor();
    await dialog().getByRole("button", { name: "Close" }).click();
    await dialog().waitFor({ state: "hidden" });
    await waitFor(
      async () =>
        await page.evaluate(`document.activeElement?.getAttribute("aria-label")`) === "Message",
      "the focus went back to where it was",
    );
  },
});

Deno.test({
  name: "settings: a theme and text size apply at once, in every window",
  ...opts,
  fn: async () => {
    const other = await openConnectedPage(browser, app.url);
    // Headless Chromium prefers light: the system theme is light.
    assertEquals(await root(page, "theme"), "light");
    const light = await style(page, "backgroundColor");
    await page.getByRole("button", { name: "Settings" }).click();
    await dialog().getByRole("radio", { name: "Dark" }).check();
    await waitFor(async () => (await root(page, "theme")) === "dark", "dark here");
    assertEquals(await style(page, "backgroundColor"), "rgb(22, 22, 21)");
    // Code colours follow: only the dark highlight.js sheet applies.
    assertEquals(
      await page.evaluate(
        `[...document.querySelectorAll("link[data-hljs]")].map((l) => l.dataset.hljs + ":" + l.media)`,
      ),
      ["light:not all", "dark:all"],
    );
    await waitFor(async () => (await root(other.page, "theme")) === "dark", "dark there too");

    const normalSize = await style(page, "fontSize");
    await dialog().getByRole("radio", { name: "Large" }).check();
    await waitFor(async () => (await root(page, "textSize")) === "large", "large text");
    assertEquals(normalSize, "15px");
    assertEquals(await style(page, "fontSize"), "16.875px");
    await waitFor(async () => (await style(other.page, "fontSize")) === "16.875px", "there too");

    // Back to the system's choice.
    await dialog().getByRole("radio", { name: "System" }).check();
    await waitFor(async () => (await root(page, "theme")) === "light", "light again");
    assertEquals(await style(page, "backgroundColor"), light);
    await dialog().getByRole("radio", { name: "Dark" }).check();
    await page.keyboard.press("Escape");
    await other.page.close();
  },
});

Deno.test({
  name: "settings: with Ctrl+Enter chosen, Enter adds a line and Ctrl+Enter sends",
  ...opts,
  fn: async () => {
    await page.getByRole("button", { name: "Settings" }).click();
    await dialog().getByRole("radio", { name: "Ctrl+Enter" }).check();
    await dialog().getByRole("button", { name: "Close" }).click();
    await page.getByRole("button", { name: "New session" }).click();
    const input = page.getByRole("textbox", { name: "Message" });
    await waitFor(
      async () => /Ctrl\+Enter to send/.test(await input.getAttribute("placeholder") ?? ""),
      "the input says how to send",
    );
    await input.focus();
    await page.keyboard.type("first line");
    await page.keyboard.press("Enter");
    await page.keyboard.type("second line");
    assertEquals(await input.inputValue(), "first line\nsecond line");
    assertEquals(await page.locator('article[data-role="user"]').count(), 0, "nothing sent");
    await page.keyboard.press("Control+Enter");
    const sent = page.locator('article[data-role="user"]');
    await sent.waitFor();
    assertMatch(await sent.innerText(), /first line\s+second line/);
    assertEquals(await input.inputValue(), "");
    await page.locator('article[data-role="assistant"]').getByText("Echo:").waitFor();
  },
});

Deno.test({
  name: "settings: after a restart the theme, text size and send key are as they were",
  ...opts,
  fn: async () => {
    await page.close();
    assertEquals(await app.stop(), 143);
    app = await startApp();
    ({ page } = await openConnectedPage(browser, app.url));
    await waitFor(async () => (await root(page, "theme")) === "dark", "dark after restart");
    assertEquals(await root(page, "textSize"), "large");
    const input = page.getByRole("textbox", { name: "Message" });
    assertMatch(await input.getAttribute("placeholder") ?? "", /Ctrl\+Enter to send/);
    const saved = JSON.parse(await Deno.readTextFile(`${stateDir}/state.json`));
    assertEquals(
      [saved.settings.theme, saved.settings.textSize, saved.settings.sendKey],
      ["dark", "large", "mod-enter"],
    );
  },
});

shutdownAfterAll({ browser, app: () => app, oc: () => oc, dirs: [stateDir] });
