/**
 * Tabs under contention: three windows on one core change the shared tab list at the same time.
 * The core applies each window's intents in order, so no window's change overwrites another's:
 * every tab opened and not closed is there, in the same order in every window.
 */
import { assert, assertEquals, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { startApp } from "../core/app.ts";
import { launchBrowser, openConnectedPage } from "./support/browser.ts";
import type { Page } from "playwright-core";

const PER_WINDOW = 20;
/** Rounds of the race in one run (RACE_ROUNDS=20 for a soak). */
const ROUNDS = Number(Deno.env.get("RACE_ROUNDS") ?? 2);

/** The open tabs of a window, in order. */
function tabsOf(page: Page): Promise<string[]> {
  return page.locator(".tab[data-session-id]").evaluateAll((els) =>
    els.map((e) => e.getAttribute("data-session-id") ?? "")
  );
}

/** Opens every session of `ids` at once, the way a person clicking as fast as they can would. */
function openAll(page: Page, ids: string[]): Promise<unknown> {
  return page.evaluate(`import("/ui/state/actions.js")
    .then((a) => Promise.all(${JSON.stringify(ids)}.map((id) => a.openSession(id))))
    .then(() => true)`);
}

Deno.test("tabs: windows opening, closing and moving tabs at once lose none of them", async () => {
  const oc = await startOpencode();
  const stateDir = await Deno.makeTempDir({ prefix: "tab-race-" });
  const app = await startApp({
    host: "127.0.0.1",
    port: 0,
    serverUrl: oc.url,
    dir: oc.dir,
    env: { ...oc.env, OPENCODE_DESK_STATE: `${stateDir}/state.json` },
    log: () => {},
  });
  const browser = await launchBrowser();
  try {
    const create = async (title: string) => {
      const res = await fetch(`${oc.url}/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title }),
      });
      return (await res.json() as { id: string }).id;
    };
    const a: string[] = [];
    const b: string[] = [];
    const c: string[] = [];
    for (let i = 0; i < PER_WINDOW; i++) {
      a.push(await create(`Race A${i}`));
      b.push(await create(`Race B${i}`));
    }
    for (let i = 0; i < 6; i++) c.push(await create(`Race C${i}`));

    const pages = await Promise.all(
      [1, 2, 3].map(() => openConnectedPage(browser, app.bridge.url)),
    );
    const [pa, pb, pc] = pages.map((p) => p.page);
    for (let round = 1; round <= ROUNDS; round++) {
      // The third window has six tabs of its own first.
      await openAll(pc, c);
      await waitFor(async () => (await tabsOf(pa)).length === c.length, "C's tabs everywhere");

      // All at once: A and B open twenty tabs each; C closes three of its own and moves two.
      // C closes three of its tabs and moves two, one after another, as fast as it can.
      const closeAndMove = () =>
        pc.evaluate(`import("/ui/state/actions.js").then(async (a) => {
          for (const id of ${JSON.stringify(c.slice(0, 3))}) await a.closeTab(id);
          for (const id of ${JSON.stringify(c.slice(3, 5))}) await a.moveTab(id, 0);
          return true;
        })`);
      await Promise.all([openAll(pa, a), openAll(pb, b), closeAndMove()]);

      const expected = new Set([...a, ...b, ...c.slice(3)]);
      const settled = async () => {
        const lists = await Promise.all([pa, pb, pc].map(tabsOf));
        const same = lists.every((l) => JSON.stringify(l) === JSON.stringify(lists[0]));
        return same && lists[0].length === expected.size ? lists[0] : null;
      };
      const final = await waitFor(
        settled,
        `round ${round}: every window shows the same tabs`,
        20_000,
      )
        .catch(async (err) => {
          const lists = await Promise.all([pa, pb, pc].map(tabsOf));
          const missing = [...expected].filter((id) => !lists[0].includes(id));
          throw new Error(`${err.message}: ${lists.map((l) => l.length)} tabs, missing ${missing}`);
        });
      assertEquals([...final].sort(), [...expected].sort(), "every tab opened and not closed");
      for (const id of c.slice(0, 3)) assert(!final.includes(id), `closed tab ${id} came back`);
      // A window that opens now sees the same list: it is the core's, not any window's copy.
      // (A move C's keyboard asked for may still land: compare with A as it is then.)
      const late = await openConnectedPage(browser, app.bridge.url);
      await waitFor(async () => {
        const [mine, theirs] = await Promise.all([tabsOf(late.page), tabsOf(pa)]);
        return mine.length === final.length && JSON.stringify(mine) === JSON.stringify(theirs);
      }, "a late window shows the same tabs in the same order");
      assertEquals(late.errors, [], "no page errors");
      await late.page.close();
      // Every tab closed for the next round.
      await pc.evaluate(`import("/ui/state/actions.js").then((a) =>
        Promise.all(${JSON.stringify(final)}.map((id) => a.closeTab(id)))).then(() => true)`);
      await waitFor(async () => (await tabsOf(pa)).length === 0, "all tabs closed");
    }
    for (const p of pages) assertEquals(p.errors, [], "no page errors");
  } finally {
    await browser.close();
    await app.close();
    await oc.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
