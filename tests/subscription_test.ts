/**
 * Anthropic's subscription mode as a person uses it: the `.env` file holds an API key and OAuth
 * tokens; Settings → Anthropic switches the server's credential between them (read back from the
 * server's own auth store in the sandbox), the countdown next to the model picker and in the
 * settings turns amber and red as the page's clock (playwright's) runs on, a message to an
 * Anthropic model with an expired token is held back with a notice, Refresh re-reads what the
 * server stored, and no token ever reaches the page or the log. Real OpenCode with the fake
 * model, `main.ts --headless` as a child process, Chromium.
 */
import { assert, assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { createSandbox, opencodeConfig, startOpencode } from "./support/opencode_server.ts";
import { startFakeModel } from "./support/fake_model.ts";
import { startAppProcess } from "./support/app_process.ts";
import { launchBrowser } from "./support/browser.ts";
import { shutdownAfterAll } from "./support/shutdown.ts";

const MIN = 60_000;
const API_KEY = "sk-ant-api-TESTKEY-0123456789";
const ACCESS = "sk-ant-oat-ACCESS-0123456789";
const REFRESH = "sk-ant-ort-REFRESH-0123456789";

// Anthropic is enabled beside the fake model, so its models can be chosen (never called).
const model = await startFakeModel({ tokenDelayMs: 5 });
const sandbox = await createSandbox({ modelUrl: model.url });
await Deno.writeTextFile(
  sandbox.configPath,
  JSON.stringify({ ...opencodeConfig(model.url), enabled_providers: ["mock", "anthropic"] }),
);
const oc = await startOpencode({ model, sandbox });
const authPath = `${sandbox.env.XDG_DATA_HOME}/opencode/auth.json`;
const envDir = await Deno.makeTempDir({ prefix: "subscription-env-" });
await Deno.writeTextFile(
  `${envDir}/.env`,
  [
    `ANTHROPIC_API_KEY=${API_KEY}`,
    `ANTHROPIC_OAUTH_ACCESS=${ACCESS}`,
    `ANTHROPIC_OAUTH_REFRESH=${REFRESH}`,
    `ANTHROPIC_OAUTH_EXPIRES=${Date.now() + 6 * MIN + 30_000}`,
  ].join("\n") + "\n",
);
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${envDir}/state.json` },
  cwd: envDir,
});
const browser = await launchBrowser();
const page = await browser.newPage();
await page.clock.install(); // time runs on by itself; the test jumps it forward
await page.goto(app.url);
await page.getByRole("status", { name: "Connection status" }).getByText("Connected").waitFor();

const opts = { sanitizeOps: false, sanitizeResources: false };
const dialog = page.getByRole("dialog", { name: "Settings" });
const section = dialog.getByRole("group", { name: "Anthropic" });
const inSettings = section.locator(".expiry-countdown");
const nearPicker = page.locator(".model-picker .expiry-countdown");
const colour = () =>
  page.evaluate(
    `getComputedStyle(document.querySelector(".model-picker .expiry-countdown")).color`,
  );

/** What the server's auth store holds for anthropic. */
async function stored(): Promise<Record<string, unknown>> {
  return JSON.parse(await Deno.readTextFile(authPath)).anthropic ?? {};
}

Deno.test({
  name: "subscription: switching puts the .env tokens on the server, and the countdown shows",
  ...opts,
  fn: async () => {
    // The app did not start this server: it asks before it stores the .env key there.
    await page.getByRole("button", { name: "Store keys on this server" }).first().click();
    await waitFor(
      async () => (await stored().catch(() => ({} as Record<string, unknown>))).type === "api",
      "the key is stored once the person agreed",
    );
    assertEquals(await stored(), { type: "api", key: API_KEY });
    await page.getByRole("button", { name: "Settings" }).click();
    await section.getByText("In use on the server: the API key").waitFor();
    assertEquals(await section.getByRole("radio", { name: "API key" }).isChecked(), true);
    await section.getByRole("radio", { name: "Subscription" }).check();
    await waitFor(async () => (await stored()).type === "oauth", "the server stores the tokens");
    const s = await stored();
    assertEquals([s.access, s.refresh], [ACCESS, REFRESH]);
    await section.getByText("In use on the server: the subscription (tokens from .env)")
      .waitFor();
    assertEquals(await inSettings.getAttribute("data-level"), "ok");
    assertMatch(await inSettings.innerText(), /Subscription token: [56]m \d+s left/);
    await page.keyboard.press("Escape");
    await nearPicker.waitFor();
    assertMatch(await nearPicker.innerText(), /^[56]m \d+s$/);
  },
});

Deno.test({
  name: "subscription: the countdown turns amber under five minutes and red when expired",
  ...opts,
  fn: async () => {
    await page.clock.fastForward(2 * MIN);
    await waitFor(async () => (await nearPicker.getAttribute("data-level")) === "soon", "amber");
    assertMatch(await nearPicker.innerText(), /^[34]m \d+s$/);
    assertMatch(await nearPicker.getAttribute("aria-label") ?? "", /left, expires soon/);
    const amber = await colour();
    await page.clock.fastForward(5 * MIN);
    await waitFor(async () => (await nearPicker.getAttribute("data-level")) === "expired", "red");
    assertEquals(await nearPicker.innerText(), "expired");
    const red = await colour();
    assert(amber !== red, `amber ${amber} and red ${red} differ`);
  },
});

Deno.test({
  name: "subscription: a message to an Anthropic model with an expired token is held back",
  ...opts,
  fn: async () => {
    await page.getByRole("button", { name: "New session" }).click();
    await page.getByRole("button", { name: /^Model/ }).click();
    await page.getByRole("searchbox", { name: "Search models" }).fill("haiku");
    await page.locator('.model-choice[data-provider="anthropic"]').first().click();
    await page.getByRole("button", { name: /^Model: Claude Haiku/ }).waitFor();
    const input = page.getByRole("textbox", { name: "Message" });
    await input.fill("hello claude");
    await input.press("Enter");
    await page.getByRole("alert").getByText(
      /Not sent: the Anthropic subscription token has expired/,
    )
      .waitFor();
    assertEquals(await input.inputValue(), "hello claude", "the text stays in the box");
    assertEquals(await page.locator('article[data-role="user"]').count(), 0, "nothing sent");
    assertEquals(model.requests().length, 0, "no request reached a model");
  },
});

Deno.test({
  name: "subscription: Refresh re-reads the tokens the server stored",
  ...opts,
  fn: async () => {
    // The server refreshed the token itself: its store has a new one, a day long.
    const now = JSON.parse(await Deno.readTextFile(authPath));
    now.anthropic = { ...now.anthropic, expires: Date.now() + 24 * 60 * MIN };
    await Deno.writeTextFile(authPath, JSON.stringify(now));
    await page.getByRole("button", { name: "Settings" }).click();
    await section.getByRole("button", { name: "Refresh" }).click();
    await waitFor(async () => (await inSettings.getAttribute("data-level")) === "ok", "green");
    assertMatch(await inSettings.innerText(), /Subscription token: 23h 59m left/);
  },
});

Deno.test({
  name: "subscription: switching back restores the API key; no token reaches page or log",
  ...opts,
  fn: async () => {
    await section.getByRole("radio", { name: "API key" }).check();
    await waitFor(async () => (await stored()).type === "api", "the server has the key again");
    assertEquals(await stored(), { type: "api", key: API_KEY });
    await section.getByText("In use on the server: the API key").waitFor();
    assertEquals(await inSettings.count(), 0, "no countdown for an API key");
    await page.keyboard.press("Escape");
    assertEquals(await nearPicker.count(), 0);
    const html = await page.content();
    const log = app.output().join("\n");
    for (const secret of [API_KEY, ACCESS, REFRESH]) {
      assert(!html.includes(secret), "no secret in the page");
      assert(!log.includes(secret), "no secret in the log");
    }
  },
});

shutdownAfterAll({
  browser,
  app: () => app,
  oc: () => oc,
  dirs: [envDir],
  also: async () => {
    await sandbox.remove();
    await model.close();
  },
});
