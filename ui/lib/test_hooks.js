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
 * control for), `dropSocket()`, which drops the socket like a network blip, and `messageIds(id)`,
 * the ids of the messages this window holds for a session, in order.
 * @param {import("./connection.js").Connection} conn
 * @param {(sessionId: string) => string[]} messageIds
 */
export function installTestHooks(conn, messageIds) {
  if (!testMode()) return;
  Object.defineProperty(globalThis, "__desk", {
    value: { conn, dropSocket: () => conn.reconnect(), messageIds },
  });
}
