/**
 * Models and appearance as a person sets them up: a server that lists every provider it knows
 * (over 200, two connected); the model picker folds the unconnected ones behind one entry;
 * Settings → Models finds a model with its context size, collects favourites (ordered by
 * keyboard and by dragging, and listed first in the picker) and sets the model of a new tab,
 * which the fake model's request then names; the chat density changes the transcript's spacing
 * in every window; `?` opens the shortcut list. Real OpenCode with the fake model, `main.ts
 * --headless` as a child process, Chromium.
 */
import { assert, assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { createSandbox, opencodeConfig, startOpencode } from "./support/opencode_server.ts";
import { startFakeModel } from "./support/fake_model.ts";
import { startAppProcess } from "./support/app_process.ts";
import { launchBrowser, newSession, openConnectedPage } from "./support/browser.ts";
import type { Page } from "playwright-core";
import { shutdownAfterAll } from "./support/shutdown.ts";

const model = await startFakeModel({ tokenDelayMs: 5 });
const sandbox = await createSandbox({ modelUrl: model.url });
const config = opencodeConfig(model.url);
delete config.enabled_providers; // every provider OpenCode knows, as a server the app starts
await Deno.writeTextFile(sandbox.configPath, JSON.stringify(config));
const oc = await startOpencode({ model, sandbox });
const stateDir = await Deno.makeTempDir({ prefix: "models-state-" });
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});
const browser = await launchBrowser();
const { page } = await openConnectedPage(browser, app.url);

const opts = { sanitizeOps: false, sanitizeResources: false };
const dialog = page.getByRole("dialog", { name: "Settings" });
const models = dialog.getByRole("group", { name: "Models" });
const favourites = models.getByRole("list", { name: "Favourite models" }).locator("li");
const menu = page.getByRole("dialog", { name: "Choose a model" });

const favouriteNames = () => favourites.evaluateAll((els) => els.map((e) => e.ariaLabel ?? ""));
/** The picker's model ids of one group, in order. */
const groupModels = (group: string) =>
  menu.getByRole("group", { name: group }).locator(".model-choice").evaluateAll((els) =>
    els.map((e) => e.getAttribute("data-model") ?? "")
  );

Deno.test({
  name: "model picker: unconnected providers fold into one entry that leads to the settings",
  ...opts,
  fn: async () => {
    await newSession(page);
    await page.getByRole("button", { name: /^Model:/ }).click();
    await menu.getByRole("group", { name: "Mock LLM" }).waitFor();
    const groups = await menu.locator(".model-group").evaluateAll((els) =>
      els.map((e) => e.getAttribute("aria-label") ?? "")
    );
    assert(groups.length <= 3, `only connected providers are listed: ${groups.join(", ")}`);
    assert(!groups.some((g) => g.includes("not connected")), groups.join(", "));
    const connect = menu.getByRole("button", { name: /Connect a provider/ });
    // The names of the providers not connected follow the connected ones' models.
    await waitFor(
      async () => /\b2\d\d not connected/.test(await connect.innerText()),
      "the count of providers not connected",
    );
    await connect.click();
    await dialog.waitFor();
  },
});

Deno.test({
  name: "model settings: discovery search finds a model and shows its context size",
  ...opts,
  fn: async () => {
    await models.getByRole("searchbox", { name: "Find a model" }).fill("mock sm");
    const found = models.getByRole("list", { name: "Models of the connected providers" })
      .locator("li");
    await waitFor(async () => (await found.count()) === 1, "one model found");
    assertMatch(await found.innerText(), /Mock Small \(Mock LLM\)[\s\S]*32k context/);
    await models.getByRole("searchbox", { name: "Find a model" }).fill("mock model");
    await waitFor(
      async () => /128k context · images · reasoning/.test(await found.first().innerText()),
      "a model's context, image input and reasoning",
    );
  },
});

Deno.test({
  name:
    "model settings: favourites are ordered by keyboard and drag, and the picker lists them first",
  ...opts,
  fn: async () => {
    const search = models.getByRole("searchbox", { name: "Find a model" });
    await search.fill("mock sm");
    await models.getByRole("button", { name: "Add Mock Small (Mock LLM) to favourites" }).click();
    await search.fill("mock model");
    await models.getByRole("button", { name: "Add Mock Model (Mock LLM) to favourites" }).click();
    await waitFor(async () => (await favourites.count()) === 2, "two favourites");
    assertMatch((await favouriteNames()).join("|"), /^Mock Small.*\|Mock Model/);
    // Keyboard: Alt+↑ moves the focused favourite up, and the focus stays on it.
    await favourites.nth(1).focus();
    await page.keyboard.press("Alt+ArrowUp");
    await waitFor(async () => /^Mock Model/.test((await favouriteNames())[0]), "moved up");
    await waitFor(
      () => page.evaluate(`document.activeElement?.ariaLabel?.startsWith("Mock Model")`),
      "focus follows",
    );
    // Drag: Mock Small dropped on the first place.
    await favourites.nth(1).dragTo(favourites.nth(0));
    await waitFor(async () => /^Mock Small/.test((await favouriteNames())[0]), "dragged");
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: /^Model:/ }).click();
    await waitFor(
      async () =>
        (await groupModels("Favourites")).join() === "mock-small,mock-model" &&
        await menu.locator(".model-group").first().getAttribute("aria-label") === "Favourites",
      "the picker lists the favourites first, in their order",
    );
    await page.keyboard.press("Escape");
  },
});

Deno.test({
  name: "model settings: the default model goes into a new tab and the fake model's request",
  ...opts,
  fn: async () => {
    await page.getByRole("button", { name: "Settings" }).click();
    await models.getByRole("combobox", { name: "Model of a new tab" })
      .selectOption("mock/mock-small");
    await page.keyboard.press("Escape");
    await newSession(page);
    await page.getByRole("button", { name: "Model: Mock Small" }).waitFor();
    const input = page.getByRole("textbox", { name: "Message" });
    await input.fill("hello default");
    await input.press("Enter");
    await page.locator('.turn[aria-label="Assistant"]').getByText("Echo:").waitFor();
    const chat = model.requests().filter((r) => r.kind === "chat" && r.text === "hello default");
    assertEquals(chat.map((r) => r.body.model), ["mock-small"]);
  },
});

/** The space under the first message of the transcript, in px. */
const gap = (p: Page): Promise<number> =>
  p.evaluate(`parseFloat(getComputedStyle(document.querySelector(".v-row > *")).marginBottom)`);

Deno.test({
  name: "density: compact and comfortable change the transcript's spacing in every window",
  ...opts,
  fn: async () => {
    const other = await openConnectedPage(browser, app.url);
    await other.page.locator('article[data-role="user"]').waitFor();
    const normal = await gap(page);
    assertEquals(await gap(other.page), normal);
    await page.getByRole("button", { name: "Settings" }).click();
    await dialog.getByRole("radio", { name: "Compact" }).check();
    for (const p of [page, other.page]) {
      await waitFor(async () => (await gap(p)) < normal, "tighter in each window");
    }
    const compact = await gap(page);
    await dialog.getByRole("radio", { name: "Comfortable" }).check();
    for (const p of [page, other.page]) {
      await waitFor(async () => (await gap(p)) > normal, "looser in each window");
    }
    assert(compact < normal && normal < await gap(other.page));
    await page.keyboard.press("Escape");
    await other.page.close();
  },
});

Deno.test({
  name: "shortcut list: ? opens it outside text fields, and so does the settings' button",
  ...opts,
  fn: async () => {
    const list = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    const input = page.getByRole("textbox", { name: "Message" });
    await input.fill("");
    await input.press("?");
    assertEquals(await input.inputValue(), "?", "in the message box ? is a character");
    assertEquals(await list.isVisible(), false);
    await input.fill("");
    await page.getByRole("tab", { selected: true }).focus();
    await page.keyboard.press("?");
    await list.waitFor();
    await list.getByText("New session").waitFor();
    await list.getByText("Dictate (Esc cancels)").waitFor();
    await page.keyboard.press("Escape");
    await list.waitFor({ state: "hidden" });
    await page.getByRole("button", { name: "Settings" }).click();
    await dialog.getByRole("button", { name: "Keyboard shortcuts" }).click();
    await list.waitFor();
    await list.getByRole("button", { name: "Close" }).click();
    await list.waitFor({ state: "hidden" });
  },
});

shutdownAfterAll({
  browser,
  app: () => app,
  oc: () => oc,
  dirs: [stateDir],
  also: async () => {
    await sandbox.remove();
    await model.close();
  },
});
