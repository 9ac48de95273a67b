/**
 * The last test of a file whose tests share an app, an OpenCode server and a browser: it closes
 * them (Deno's sanitizers would flag them as leaks in every other test). The app must exit
 * through its SIGTERM handler, which stops the server it owns: exit code 128 + 15.
 */
import type { Browser } from "playwright-core";
import { assertEquals } from "./assert.ts";
import type { AppProcess } from "./app_process.ts";

export interface Shared {
  browser: Browser;
  /** A getter: some files restart the app and replace it. */
  app: () => AppProcess;
  oc: { stop(): Promise<void> };
  /** Temp dirs to remove. */
  dirs?: string[];
  /** Anything else the file shared, closed after the server. */
  also?: () => Promise<void>;
}

/** Registers the closing test, named `<prefix>: shut down the shared app, server and Chromium`. */
export function shutdownTest(prefix: string, shared: Shared): void {
  Deno.test({
    name: `${prefix}: shut down the shared app, server and Chromium`,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      await shared.browser.close();
      assertEquals(await shared.app().stop(), 143, "the app exits through its SIGTERM handler");
      await shared.oc.stop();
      await shared.also?.();
      for (const dir of shared.dirs ?? []) await Deno.remove(dir, { recursive: true });
    },
  });
}
