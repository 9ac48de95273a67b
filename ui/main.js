// @ts-check
/** Entry point: take the token, connect to the core, render. */
import { h, render } from "preact";
import { Connection } from "./lib/connection.js";
import { takeToken } from "./lib/token.js";
import { loadTranscript, openSession, rememberedActive, useConnection } from "./state/actions.js";
import {
  activeSessionId,
  applyEvents,
  applySnapshot,
  catalog,
  server,
  settings,
  transcriptOf,
  workspace,
} from "./state/store.js";
import { App } from "./components/app.js";
import { followAppearance } from "./lib/appearance.js";
import { useVoiceConnection, voiceStatus } from "./lib/voice/link.js";

const token = takeToken();
const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;

/** @param {string} id */
const isTab = (id) => !!id && (workspace.value.tabs ?? []).some((t) => t.sessionId === id);

const conn = new Connection({
  url: wsUrl,
  token,
  onPush(msg) {
    if (msg.events) {
      applyEvents(/** @type {import("../proto/envelope.js").ipc.Event[]} */ (msg.events.events));
    } else if (msg.serverStatus) server.value = msg.serverStatus;
    else if (msg.catalog) catalog.value = msg.catalog;
    else if (msg.settings) settings.value = msg.settings;
    else if (msg.voiceStatus) voiceStatus.value = msg.voiceStatus;
    else if (msg.workspace) {
      workspace.value = msg.workspace;
      // Another window closed the tab this one shows: move to a tab that still exists.
      if (activeSessionId.value && !isTab(activeSessionId.value)) {
        const next = msg.workspace.activeSessionId || msg.workspace.tabs?.[0]?.sessionId || "";
        activeSessionId.value = "";
        if (next) openSession(next);
      }
    }
  },
  async onReady(snapshot) {
    applySnapshot(snapshot);
    // Resync: every open tab is re-read whole from the core, the one on screen first.
    const want = [activeSessionId.value, rememberedActive(), workspace.value.activeSessionId ?? ""]
      .find(isTab) ?? workspace.value.tabs?.[0]?.sessionId ?? "";
    // openSession() loads only what is not loaded yet; after a reconnect the loaded one on
    // screen missed what streamed meanwhile, so it is re-read too.
    const stale = want && transcriptOf(want).loaded.value;
    if (want) await openSession(want);
    if (stale) await loadTranscript(want);
    for (const tab of workspace.value.tabs ?? []) {
      const id = tab.sessionId ?? "";
      if (id !== want && transcriptOf(id).loaded.value) loadTranscript(id);
    }
  },
});
useConnection(conn);
useVoiceConnection(conn);
// For tests and the benchmark: a read-only handle on the live connection.
Object.defineProperty(globalThis, "__desk", { value: { conn } });

followAppearance();
const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(h(App, { conn, hasToken: !!token }), root);
}
