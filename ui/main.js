// @ts-check
/** Entry point: take the token, connect to the core, render. */
import { h, render } from "preact";
import { Connection } from "./lib/connection.js";
import { takeToken } from "./lib/token.js";
import { followRoute, routedSession } from "./lib/route.js";
import { installTestHooks } from "./lib/test_hooks.js";
import {
  loadTranscript,
  openSession,
  rememberedActive,
  showWorkspace,
  useConnection,
} from "./state/actions.js";
import {
  activeSessionId,
  applyEvents,
  applySnapshot,
  catalog,
  projects,
  server,
  settings,
  transcriptOf,
  workspace,
} from "./state/store.js";
import { isTab } from "./state/indexes.js";
import { App } from "./components/app.js";
import { showNotices } from "./components/notices.js";
import { followAppearance } from "./lib/appearance.js";
import { applySubscription, loadSubscription } from "./state/subscription.js";
import { useVoiceConnection, voiceStatus } from "./lib/voice/link.js";
import { serverPanel, useServerConnection } from "./lib/server_link.js";
import { onAlert, onReach, useReachConnection } from "./lib/reach.js";
import { followVisibleHeight } from "./lib/viewport.js";
import { searchAgain, useSessionListConnection } from "./state/session_list.js";

/** @typedef {import("../proto/envelope.js").ipc.Event} Event */

const token = takeToken();
/** The session a deep link names (`#/s/<id>`): shown once connected, then the address follows. */
let linked = routedSession();
const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;

if (!linked) followRoute(activeSessionId, openSession);
const conn = new Connection({
  url: wsUrl,
  token,
  // The tab this window showed (before a reconnect, or before a reload): the core shows it again.
  hello: () => ({ shownSessionId: activeSessionId.value || linked || rememberedActive() }),
  onPush(msg) {
    const payload = msg.payload;
    switch (payload) {
      case "events":
        applyEvents(/** @type {Event[]} */ (msg.events?.events ?? []));
        break;
      case "serverStatus":
        server.value = msg.serverStatus ?? null;
        break;
      case "catalog":
        if (msg.catalog) catalog.value = msg.catalog;
        break;
      case "settings":
        if (msg.settings) settings.value = msg.settings;
        break;
      case "workspace":
        if (msg.workspace) showWorkspace(msg.workspace);
        break;
      case "voiceStatus":
        if (msg.voiceStatus) voiceStatus.value = msg.voiceStatus;
        break;
      case "notice":
        if (msg.notice) showNotices([msg.notice]);
        break;
      case "subscriptionStatus":
        applySubscription(msg.subscriptionStatus);
        break;
      case "serverPanel":
        if (msg.serverPanel) serverPanel.value = msg.serverPanel;
        break;
      case "reach":
        if (msg.reach) onReach(msg.reach);
        break;
      case "alert":
        if (msg.alert) onAlert(msg.alert);
        break;
      case "projects":
        if (msg.projects) projects.value = msg.projects;
        break;
      case "error":
        console.warn("opencode-desk:", msg.error?.message);
        break;
      case "ack":
      case "snapshot":
      case "session":
      case "transcript":
      case "voiceTranscript":
      case "commands":
      case "fileMatches":
      case "sessionDiff":
      case "providerAuth":
      case "oauthAuthorization":
      case "findResult":
      case "pairing":
      case "sessionMatches":
      case "directoryListing":
      case undefined:
        break; // replies, never pushed
      default: {
        /** @type {never} */
        const unknown = payload;
        console.warn("unknown push", unknown);
      }
    }
  },
  async onReady(snapshot) {
    // Resync: every open tab is re-read whole from the core, the one on screen first (after a
    // reconnect the one on screen missed what streamed meanwhile).
    const kept = (workspace.value.tabs ?? []).map((t) => t.sessionId ?? "")
      .filter((id) => transcriptOf(id).loaded.value);
    applySnapshot(snapshot);
    searchAgain(); // a search shown before a reconnect is answered again
    showNotices(snapshot.notices ?? []);
    loadSubscription();
    const want = snapshot.workspace?.shownSessionId ?? "";
    const stale = !!want && transcriptOf(want).loaded.value;
    await showWorkspace(snapshot.workspace ?? {});
    if (stale) await loadTranscript(want);
    for (const id of kept) if (id !== want && isTab(id)) loadTranscript(id);
    if (linked) {
      const id = linked;
      linked = "";
      if (activeSessionId.value !== id) await openSession(id);
      followRoute(activeSessionId, openSession);
    }
  },
});
useConnection(conn);
useVoiceConnection(conn);
useServerConnection(conn);
useReachConnection(conn);
useSessionListConnection(conn);
followVisibleHeight();
installTestHooks(conn, (id) => transcriptOf(id).messages.peek().map((m) => m.id));

followAppearance();
const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(h(App, { conn, hasToken: !!token }), root);
}
