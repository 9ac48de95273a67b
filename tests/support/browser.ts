/**
 * A real headless Chromium (Debian's) driven by playwright-core, started once per test file.
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { waitFor } from "./assert.ts";

export const CHROMIUM = Deno.env.get("CHROMIUM_BIN") ?? "/usr/bin/chromium";

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

/**
 * Launches Chromium with a fresh profile; close it with `await using` or `close()`. `extraArgs`
 * adds flags (the voice test's fake microphone).
 */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser & AsyncDisposable> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...FLAGS, ...extraArgs],
  });
  return Object.assign(browser, {
    async [Symbol.asyncDispose]() {
      await browser.close();
    },
  });
}

/** Collects page errors and console errors so a test can assert none happened. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/**
 * The app's URL with the page's test hooks on (`globalThis.__desk`, see ui/lib/test_hooks.js),
 * for a test that sends a request the UI has no control for, or drops the socket.
 */
export function withTestHooks(url: string): string {
  const u = new URL(url);
  u.searchParams.set("test", "1");
  return u.href;
}

/** Opens the app's URL in a new page and waits until its status bar says it is connected. */
export async function openConnectedPage(
  browser: Browser,
  url: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  await page.getByRole("status", { name: "Connection status" }).getByText("Connected").waitFor();
  return { page, errors };
}

/** The session id of the selected tab, or "" when no tab is open. */
export async function currentSession(page: Page): Promise<string> {
  const tab = page.locator(".tab", { has: page.getByRole("tab", { selected: true }) });
  if (await tab.count()) return await tab.first().getAttribute("data-session-id") ?? "";
  // A phone-wide window has no tab strip: the session picker says which one is shown.
  const picker = page.getByRole("combobox", { name: "Open sessions" });
  return await picker.count() ? await picker.inputValue() : "";
}

/** Clicks New session and waits until its tab is the selected one; returns its id. */
export async function newSession(page: Page): Promise<string> {
  const before = await currentSession(page);
  await page.getByRole("button", { name: "New session" }).click();
  return await waitFor(async () => {
    const id = await currentSession(page);
    return id && id !== before ? id : "";
  }, "a new session tab");
}
