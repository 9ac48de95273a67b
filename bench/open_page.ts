/**
 * Opening a session in a page, timed to the frame its last text part is painted in view: shared
 * by bench/open_session.ts and bench/scale.ts (ours next to OpenCode's web UI).
 * @module
 */
import type { Browser, Page } from "playwright-core";

export const VIEWPORT = { width: 1280, height: 800 };

/** A session the benchmarks open: its id and the id of its last text part. */
export interface Opened {
  sessionId: string;
  lastTextPartId: string;
}

export interface App {
  name: string;
  /** URL that opens `sessionId` in a fresh page. */
  open(sessionId: string): string;
  /** Selector of a text part by id. */
  textPart(partId: string): string;
  /** Selector of the element to click to show a session already open in a tab. */
  tab(sessionId: string): string;
}

/**
 * Installed before the page loads: `__painted(selector)` resolves with performance.now() after
 * the frame in which the element first has text and is in view (a rAF, then a task: the paint).
 */
export const PAINT_PROBE = `(() => {
  const inView = (el) => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.bottom > 0 && r.top < innerHeight && (el.textContent ?? "").trim() !== "";
  };
  globalThis.__painted = (selector) => new Promise((resolve, reject) => {
    const end = performance.now() + 60000;
    const check = () => {
      const el = document.querySelector(selector);
      if (el && inView(el)) setTimeout(() => resolve(performance.now()));
      else if (performance.now() > end) {
        reject(new Error("Cannot see " + selector + (el ? " in view" : ": absent")));
      } else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
})();`;

export async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.addInitScript(PAINT_PROBE);
  return page;
}

/** Navigation start to the last text part painted. */
export async function openByNavigation(browser: Browser, app: App, s: Opened): Promise<number> {
  const page = await newPage(browser);
  try {
    await page.goto(app.open(s.sessionId));
    const ms = await page.evaluate(
      `globalThis.__painted(${JSON.stringify(app.textPart(s.lastTextPartId))})`,
    ) as number;
    return ms;
  } finally {
    await page.close();
  }
}

/** Click on the tab of the long session (another session on screen) to its last text painted. */
export async function openByClick(page: Page, app: App, s: Opened, other: Opened) {
  // Back to the other session first, and wait until it is on screen.
  await page.locator(app.tab(other.sessionId)).first().click();
  await page.evaluate(
    `globalThis.__painted(${JSON.stringify(app.textPart(other.lastTextPartId))})`,
  );
  await page.waitForTimeout(300);
  return await page.evaluate(`(async () => {
    const tab = document.querySelector(${JSON.stringify(app.tab(s.sessionId))});
    const t0 = performance.now();
    const painted = globalThis.__painted(${JSON.stringify(app.textPart(s.lastTextPartId))});
    tab.click();
    return (await painted) - t0;
  })()`) as number;
}
