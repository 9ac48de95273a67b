/**
 * Accessibility as axe-core (from npm, injected into the page) sees it: the main screens, each in
 * the light and the dark theme, have no critical or serious violation. Also: the streaming
 * transcript is not read aloud token by token; a finished reply and a permission request are
 * announced once, in a short sentence. Real OpenCode with the fake model, `main.ts --headless`,
 * Chromium.
 */
import { assert, assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { startAppProcess } from "./support/app_process.ts";
import { launchBrowser, newSession, openConnectedPage } from "./support/browser.ts";
import type { Page } from "playwright-core";
import { shutdownAfterAll } from "./support/shutdown.ts";

const AXE_SOURCE = await Deno.readTextFile(
  new URL("../node_modules/axe-core/axe.min.js", import.meta.url),
);

const oc = await startOpencode({
  tokenDelayMs: 2,
  permission: { bash: { "*": "allow", "printf *": "ask" } },
});
const stateDir = await Deno.makeTempDir({ prefix: "a11y-state-" });
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
});
const browser = await launchBrowser();
const { page, errors } = await openConnectedPage(browser, app.url);

// Deno's sanitizers would flag the shared server and browser; they are closed in the last test.
const opts = { sanitizeOps: false, sanitizeResources: false };

interface Finding {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string; summary: string }[];
}

/** Runs axe-core on the whole page; returns its critical and serious violations. */
async function audit(p: Page): Promise<Finding[]> {
  // page.evaluate is not subject to the page's Content-Security-Policy, a <script> tag would be.
  if (!await p.evaluate("typeof globalThis.axe === 'object'")) await p.evaluate(AXE_SOURCE);
  return await p.evaluate(`axe.run(document, { resultTypes: ["violations"] }).then((r) =>
    r.violations
      .filter((v) => v.impact === "critical" || v.impact === "serious")
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({
          target: n.target.join(" "),
          summary: (n.failureSummary ?? "").replace(/\\s+/g, " "),
        })),
      })))`) as Finding[];
}

/** A readable list of findings: rule id, impact, and each target with axe's summary. */
function describe(findings: Finding[]): string {
  return findings.map((f) =>
    `${f.id} (${f.impact}): ${f.help}\n` +
    f.nodes.map((n) => `    ${n.target}: ${n.summary}`).join("\n")
  ).join("\n");
}

/** Audits the page as it is, in the light and then the dark theme (the desktop's choice). */
async function assertClean(p: Page, screen: string): Promise<void> {
  const report: string[] = [];
  for (const theme of ["light", "dark"] as const) {
    await p.emulateMedia({ colorScheme: theme });
    await waitFor(
      async () => await p.evaluate("document.documentElement.dataset.theme") === theme,
      `the ${theme} theme`,
    );
    const found = await audit(p);
    if (found.length) report.push(`${screen}, ${theme}:\n${describe(found)}`);
  }
  assert(report.length === 0, `axe found critical or serious violations:\n${report.join("\n")}`);
  // One top-level heading names the screen (axe's page-has-heading-one, a moderate rule).
  assertEquals(await p.locator("h1").count(), 1, `${screen}: one h1`);
}

async function prompt(text: string): Promise<void> {
  const input = page.getByRole("textbox", { name: "Message" });
  await input.fill(text);
  await input.press("Enter");
}

const MARKDOWN = [
  "## Plan",
  "Here is **what** I found, with a [link](https://example.com) and `inline code`:",
  "- first point\n- second point",
  "```ts\nconst answer: number = 42;\nconsole.log(answer);\n```",
  "> a quote to finish",
].join("\n\n");

Deno.test({
  name: "a11y: the empty start screen has no critical or serious axe violation",
  ...opts,
  fn: async () => {
    await page.getByText("No session open").waitFor();
    await assertClean(page, "empty start screen");
  },
});

Deno.test({
  name: "a11y: the streaming transcript is not live; a finished reply is announced once",
  ...opts,
  fn: async () => {
    await newSession(page);
    const log = page.getByRole("log", { name: "Transcript" });
    assertEquals(await log.getAttribute("aria-live"), "off", "tokens are not read aloud");
    const announcer = page.locator("#announcer");
    assertEquals(await announcer.getAttribute("aria-live"), "polite");
    // Record every text the announcer held while the reply streamed.
    await page.evaluate(`(() => {
      const el = document.getElementById("announcer");
      globalThis.__said = [];
      new MutationObserver(() => globalThis.__said.push(el.textContent.trim()))
        .observe(el, { childList: true, subtree: true, characterData: true });
    })()`);
    oc.model.enqueue({ text: MARKDOWN, delayMs: 5 });
    await prompt("write some markdown");
    await page.locator('article[data-role="assistant"] .part.text h2').getByText("Plan").waitFor({
      timeout: 20_000,
    });
    await page.locator('article[data-role="assistant"] .turn-footer').waitFor({ timeout: 20_000 });
    await waitFor(
      async () => ((await page.evaluate("globalThis.__said")) as string[]).some(Boolean),
      "an announcement",
    );
    const said = (await page.evaluate("globalThis.__said") as string[]).filter(Boolean);
    assertEquals(said.length, 1, `announced once: ${JSON.stringify(said)}`);
    assertMatch(said[0], /^Reply finished/);
    assert(!said[0].includes("first point"), "the reply itself is not read out");
  },
});

Deno.test({
  name: "a11y: a session with markdown, a tool block and a waiting permission request is clean",
  ...opts,
  fn: async () => {
    // The session of the previous test already holds a markdown reply: add a tool and a request.
    await prompt("please read the readme");
    await page.locator('.part.tool[data-tool="read"][data-status="completed"]').waitFor({
      timeout: 30_000,
    });
    await page.locator('article[data-role="assistant"]').getByText("Tool result received")
      .waitFor({ timeout: 20_000 });
    oc.model.enqueue({
      toolCalls: [{ name: "bash", args: { command: "printf a11y", description: "Print" } }],
    });
    await prompt("please run printf");
    await page.getByRole("group", { name: /Permission: the agent wants to run/ }).waitFor({
      timeout: 30_000,
    });
    await assertClean(page, "session with a permission request");
    await waitFor(
      async () => /permission/i.test(await page.locator("#announcer").innerText()),
      "the request is announced",
    );
  },
});

Deno.test({
  name: "a11y: the settings dialog, open, is clean",
  ...opts,
  fn: async () => {
    await page.getByRole("button", { name: "Settings" }).click();
    const dialog = page.getByRole("dialog", { name: "Settings" });
    await dialog.waitFor();
    await assertClean(page, "settings dialog");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
  },
});

Deno.test({
  name: "a11y: the model picker, open, is clean",
  ...opts,
  fn: async () => {
    await page.getByRole("button", { name: /^Model:/ }).click();
    const menu = page.getByRole("dialog", { name: "Choose a model" });
    await menu.waitFor();
    await menu.locator(".model-choice").first().waitFor();
    await assertClean(page, "model picker");
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "hidden" });
  },
});

Deno.test({
  name: "a11y: the sidebar with sessions is clean",
  ...opts,
  fn: async () => {
    await newSession(page);
    const sidebar = page.getByRole("complementary", { name: "Sessions" });
    if (!await sidebar.isVisible()) {
      await page.getByRole("button", { name: "Toggle sidebar" }).click();
    }
    await sidebar.waitFor();
    await waitFor(
      async () => await sidebar.locator(".session-item").count() >= 2,
      "two sessions listed",
    );
    await assertClean(page, "sidebar with sessions");
    assertEquals(errors, [], "page errors");
  },
});

Deno.test({
  name: "a11y: the composer's command menu and the command palette, open, are clean",
  ...opts,
  fn: async () => {
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("/");
    await page.getByRole("listbox", { name: "Commands" }).getByRole("option").first().waitFor();
    await assertClean(page, "command menu");
    await box.fill("");
    await page.keyboard.press("Control+k");
    const palette = page.getByRole("dialog", { name: "Command palette" });
    await palette.getByRole("option").first().waitFor();
    await assertClean(page, "command palette");
    await page.keyboard.press("Escape");
    await palette.waitFor({ state: "hidden" });
    assertEquals(errors, [], "page errors");
  },
});

shutdownAfterAll({ browser, app: () => app, oc: () => oc, dirs: [stateDir] });
