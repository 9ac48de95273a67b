/**
 * Closes what the tests of one file share (an app, an OpenCode server, a browser) after the last
 * of them, from a `Deno.test.afterAll` hook: it runs however many tests ran, were filtered out or
 * failed. Deno's sanitizers would flag the shared resources as leaks in every test, so those
 * tests turn them off. The app must exit through its SIGTERM handler, which stops the server it
 * owns: exit code 128 + 15.
 */
import type { Browser } from "playwright-core";
import { assertEquals } from "./assert.ts";
import type { AppProcess } from "./app_process.ts";

export interface Shared {
  browser: Browser;
  /** A getter: some files restart the app and replace it. */
  app: () => AppProcess;
  /** A getter: some files restart the server and replace it. */
  oc: () => { stop(): Promise<void> };
  /** Temp dirs to remove. */
  dirs?: string[];
  /** Anything else the file shared, closed after the server. */
  also?: () => Promise<void>;
}

/** Registers the hook that closes `shared` once every test of the file has run. */
export function shutdownAfterAll(shared: Shared): void {
  Deno.test.afterAll(async () => {
    let code: number;
    try {
      await shared.browser.close();
      code = await shared.app().stop();
    } finally {
      await shared.oc().stop();
      await shared.also?.();
      for (const dir of shared.dirs ?? []) await Deno.remove(dir, { recursive: true });
    }
    assertEquals(code, 143, "the app exits through its SIGTERM handler");
  });
}
