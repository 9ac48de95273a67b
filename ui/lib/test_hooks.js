// @ts-check
/**
 * Handles for the browser tests and the benchmarks, present only when the page was opened with
 * `?test=1` (tests/support/browser.ts `withTestHooks`): a normal window has no test-only global.
 */

/** Whether this page was opened for a test. */
export function testMode() {
  return new URLSearchParams(location.search).get("test") === "1";
}

/**
 * Installs `globalThis.__desk` in test mode: the live connection (to send a request the UI has no
 * control for) and `dropSocket()`, which drops the socket like a network blip.
 * @param {import("./connection.js").Connection} conn
 */
export function installTestHooks(conn) {
  if (!testMode()) return;
  Object.defineProperty(globalThis, "__desk", {
    value: { conn, dropSocket: () => conn.reconnect() },
  });
}
