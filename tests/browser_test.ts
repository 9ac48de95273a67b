/**
 * End to end, as a person uses it: the real OpenCode server with the fake model, `main.ts
 * --headless` as a child process, and a real Chromium typing into the page.
 */
import { assert, assertEquals, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { startAppProcess } from "./support/app_process.ts";
import {
  currentSession,
  launchBrowser,
  openConnectedPage,
  withTestHooks,
} from "./support/browser.ts";
import type { Page } from "playwright-core";
import { shutdownAfterAll } from "./support/shutdown.ts";

const oc = await startOpencode({ tokenDelayMs: 10 });
const app = await startAppProcess({
  args: ["--headless", "--server", oc.url, "--port", "0"],
  env: oc.env,
});
const browser = await launchBrowser();

// Deno's sanitizers would flag the shared server and browser; shutdownAfterAll closes them.
const opts = { sanitizeOps: false, sanitizeResources: false };

function openPage(): Promise<{ page: Page; errors: string[] }> {
  return openConnectedPage(browser, app.url);
}

/** Records every distinct text the last assistant message shows, as the DOM changes. */
async function recordAssistantText(page: Page): Promise<void> {
  // Runs in the page (a string: this file is type-checked without the DOM library).
  await page.evaluate(`(() => {
    const seen = [];
    globalThis.__seen = seen;
    const log = document.body;
    const read = () => {
      const all = log.querySelectorAll('article[data-role="assistant"] .part.text');
      const t = all.length ? all[all.length - 1].textContent ?? "" : "";
      if (t && seen[seen.length - 1] !== t) seen.push(t);
    };
    new MutationObserver(read).observe(log, { childList: true, subtree: true, characterData: true });
  })()`);
}

async function storedAssistantTexts(sessionId: string): Promise<string[]> {
  const res = await fetch(`${oc.url}/session/${sessionId}/message`);
  const msgs = await res.json() as {
    info: { role: string };
    parts: { type: string; text?: string }[];
  }[];
  return msgs.filter((m) => m.info.role === "assistant").map((m) =>
    m.parts.filter((p) => p.type === "text").map((p) => p.text).join("")
  );
}

Deno.test({
  name: "browser: typing hello streams the reply token by token",
  ...opts,
  fn: async () => {
    const { page, errors } = await openPage();
    const tokens = Array.from({ length: 24 }, (_, i) => `word${i} `);
    await oc.model.enqueue({ tokens, delayMs: 60 });
    await recordAssistantText(page);
    const input = page.getByRole("textbox", { name: "Message" });
    await input.fill("hello");
    await input.press("Enter");
    const full = tokens.join("");
    await page.locator('article[data-role="assistant"] .part.text').getByText(full.trim())
      .waitFor({ timeout: 20_000 });
    const seen = await page.evaluate("globalThis.__seen") as string[];
    const intermediate = seen.filter((t) => t.length > 0 && t.trim() !== full.trim());
    assert(intermediate.length >= 2, `expected the text to grow, saw: ${JSON.stringify(seen)}`);
    for (let i = 1; i < seen.length; i++) {
      assert(
        seen[i].startsWith(seen[i - 1].trimEnd()),
        `text went backwards: ${seen[i - 1]} -> ${seen[i]}`,
      );
    }
    // The user's message is on screen, and what the screen shows equals what the server stored.
    await page.locator('article[data-role="user"]').getByText("hello").waitFor();
    const sessionId = await currentSession(page);
    await waitFor(
      async () => (await storedAssistantTexts(sessionId)).at(-1) === full,
      "stored text",
    );
    const shown = await page.locator('article[data-role="assistant"] .part.text').last()
      .textContent();
    assertEquals(shown, full);
    // The input is cleared and ready for the next message.
    assertEquals(await input.inputValue(), "");
    assertEquals(errors, [], "page errors");
    await page.close();
  },
});

Deno.test({
  name: "browser: a reload mid-stream resyncs the whole transcript",
  ...opts,
  fn: async () => {
    const { page } = await openPage();
    const tokens = Array.from({ length: 30 }, (_, i) => `t${i} `);
    await oc.model.enqueue({ tokens, delayMs: 100 });
    const input = page.getByRole("textbox", { name: "Message" });
    await input.fill("reload me");
    await input.press("Enter");
    const last = page.locator('article[data-role="assistant"] .part.text').last();
    await last.getByText("t3 ").waitFor({ timeout: 20_000 });
    const sessionId = await currentSession(page);
    await page.reload();
    await page.getByRole("status", { name: "Connection status" }).getByText("Connected").waitFor();
    // Back on the same session; what streamed before the reload is there at once.
    assertEquals(await currentSession(page), sessionId);
    const after = await page.locator('article[data-role="assistant"] .part.text').last()
      .textContent();
    assert((after ?? "").startsWith("t0 t1 t2 t3"), `lost text on reload: ${after}`);
    const full = tokens.join("");
    await waitFor(
      async () =>
        (await page.locator('article[data-role="assistant"] .part.text').last().textContent()) ===
          full,
      "the complete reply after the reload",
      20_000,
    );
    // Every message the server stored is on screen, once.
    const stored = await storedAssistantTexts(sessionId);
    const shown = await page.locator('article[data-role="assistant"]').count();
    assertEquals(shown, stored.length);
    await page.close();
  },
});

Deno.test({
  name: "browser: a provider error is shown in the transcript",
  ...opts,
  fn: async () => {
    const { page } = await openPage();
    await page.getByRole("button", { name: "New session" }).click();
    await page.getByText("No messages yet").waitFor();
    const input = page.getByRole("textbox", { name: "Message" });
    await input.fill("please fail now");
    await input.press("Enter");
    const alert = page.locator('[role="log"] [role="alert"]');
    await alert.first().waitFor({ timeout: 20_000 });
    const text = await alert.first().textContent();
    assert(text?.includes("Mock failure requested by keyword"), `error shown: ${text}`);
    await page.close();
  },
});

Deno.test({
  name: "browser: a page without the token is refused and says why",
  ...opts,
  fn: async () => {
    const page = await browser.newPage();
    await page.goto(app.origin + "/");
    await page.getByText("needs the link the app printed").waitFor();
    await page.close();
  },
});

Deno.test({
  name: "browser: the page has test hooks only when a test opens it with ?test=1",
  ...opts,
  fn: async () => {
    const { page } = await openPage();
    assertEquals(await page.evaluate("typeof globalThis.__desk"), "undefined", "no __desk");
    await page.close();
    const { page: tested } = await openConnectedPage(browser, withTestHooks(app.url));
    assertEquals(await tested.evaluate("typeof globalThis.__desk?.dropSocket"), "function");
    await tested.close();
  },
});

shutdownAfterAll({ browser, app: () => app, oc: () => oc });
