// @ts-check
/**
 * The settings' server section's requests to the core over the app's one socket
 * (ui/lib/connection.js), and the server panel it pushes (providers, the .env sync report).
 * A key goes out once, in SetProviderKey; nothing that comes back carries one.
 */
import { signal } from "@preact/signals";

/** @typedef {import("../../proto/envelope.js").ipc.ServerPanel.$Properties} ServerPanel */
/** @typedef {import("../../proto/envelope.js").ipc.ServerStatus.$Properties} ServerStatus */
/** @typedef {import("./connection.js").Connection} Connection */

/** The latest server panel from the core, or null before the first one. */
export const serverPanel = signal(/** @type {ServerPanel | null} */ (null));

/** Starting or switching servers can take a while (a server the app starts: up to 30 s). */
const SERVER_TIMEOUT_MS = 60_000;

/** @type {Connection | null} */
let conn = null;

/** Called once by ui/main.js with the app's connection. @param {Connection} c */
export function useServerConnection(c) {
  conn = c;
}

function connection() {
  if (!conn) throw new Error("Cannot reach the app: not connected yet");
  return conn;
}

/** Asks the core for the providers and the sync report. */
export async function refreshServerPanel() {
  const reply = await connection().request({ getServerPanel: {} }, SERVER_TIMEOUT_MS);
  if (reply.serverPanel) serverPanel.value = reply.serverPanel;
}

/**
 * Reconnect, restart, stop, start (in `directory` if given), or answer a question of the core.
 * @param {number} kind ipc.ServerActionKind @param {string} [directory]
 */
export async function serverAction(kind, directory = "") {
  await connection().request({ serverAction: { kind, directory } }, SERVER_TIMEOUT_MS);
}

/** Switches to another server ("" goes back to one the app starts). @param {string} url @param {string} password */
export async function useServer(url, password) {
  await connection().request({ useServer: { url, password } }, SERVER_TIMEOUT_MS);
}

/** Stores a provider's key on the server (an empty key removes it). @param {string} providerId @param {string} key */
export async function setProviderKey(providerId, key) {
  const reply = await connection().request(
    { setProviderKey: { providerId, key } },
    SERVER_TIMEOUT_MS,
  );
  if (reply.serverPanel) serverPanel.value = reply.serverPanel;
}
