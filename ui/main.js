// @ts-check
/** Entry point: take the token, connect to the core, render. */
import { h, render } from "preact";
import { Connection } from "./lib/connection.js";
import { takeToken } from "./lib/token.js";
import { lastSessionId, newSession, openSession, useConnection } from "./state/actions.js";
import {
  applyEvents,
  appVersion,
  currentSessionId,
  directory,
  server,
  sessions,
} from "./state/store.js";
import { App } from "./components/app.js";

const token = takeToken();
const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;

const conn = new Connection({
  url: wsUrl,
  token,
  onPush(msg) {
    if (msg.events) {
      applyEvents(/** @type {import("../proto/envelope.js").ipc.Event[]} */ (msg.events.events));
    } else if (msg.serverStatus) server.value = msg.serverStatus;
  },
  async onReady(snapshot) {
    server.value = snapshot.server ?? null;
    sessions.value = snapshot.sessions ?? [];
    appVersion.value = snapshot.appVersion ?? "";
    directory.value = snapshot.directory ?? "";
    // Resync: the session on screen (or the last one) is re-read whole from the core.
    const want = currentSessionId.value || lastSessionId();
    const known = sessions.value.some((s) => s.id === want);
    if (want && known) await openSession(want);
    else if (sessions.value[0]?.id) await openSession(/** @type {string} */ (sessions.value[0].id));
  },
});
useConnection(conn);
// For tests and the benchmark: a read-only handle on the live state.
Object.defineProperty(globalThis, "__desk", { value: { conn, newSession } });

const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(h(App, { conn, hasToken: !!token }), root);
}
