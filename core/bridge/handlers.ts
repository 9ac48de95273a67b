/**
 * What each UI request does: one function from a decoded ClientMessage to the reply payload.
 * Errors thrown here become typed `Error` replies in socket.ts.
 */
import { ipc } from "../../proto/envelope.js";
import type { Store } from "../state/store.ts";
import type { PromptInput } from "../opencode/client.ts";
import { handleCommands } from "./handlers_commands.ts";
import { handleVoice } from "../voice/handlers.ts";
import { handleHistory } from "./handlers_history.ts";
import { handleModels } from "./handlers_models.ts";
import { handleServer, type ServerSide } from "./handlers_server.ts";
import { handlePages } from "./handlers_pages.ts";
import type { VoiceService } from "../voice/voice_service.ts";
import { handleReach, type ReachHandlers } from "./handlers_reach.ts";
import { handleSessionList } from "./handlers_sesslist.ts";
import { handleProjects } from "./handlers_projects.ts";

export type Reply = Omit<ipc.ServerMessage.$Properties, "requestId">;

export interface AppInfo {
  version: string;
  /** Push-to-talk (core/voice/); absent: voice requests get an error. */
  voice?: VoiceService;
  /** The settings' server section (core/bridge/handlers_server.ts). */
  server?: ServerSide;
  /** Pairing, token revocation and window focus (core/bridge/reach.ts); set by the bridge. */
  reach?: ReachHandlers;
}

/** A field the request must carry. */
export function required(value: string | null | undefined, field: string): string {
  if (!value) throw new TypeError(`Cannot handle request: ${field} is required`);
  return value;
}

/** Attachments travel inline: a path or remote URL would make the server read or fetch it. */
function inlineData(url: string): string {
  if (!url.startsWith("data:")) {
    throw new TypeError("Cannot handle request: an attached file must be a data: URL");
  }
  return url;
}

/** What a SendMessage asks the server for, checked: pasted files must be inline data. */
function promptOf(m: ipc.SendMessage.$Properties): PromptInput & { sessionId: string } {
  if ((m.providerId && !m.modelId) || (!m.providerId && m.modelId)) {
    throw new TypeError("Cannot send a message: provider_id and model_id go together");
  }
  return {
    sessionId: required(m.sessionId, "session_id"),
    text: m.text ?? "",
    agent: m.agent || undefined,
    variant: m.variant || undefined,
    model: m.providerId ? { providerID: m.providerId, modelID: m.modelId! } : undefined,
    files: (m.files ?? []).map((f) => ({
      mime: required(f.mime, "file mime"),
      filename: f.filename || "file",
      url: inlineData(required(f.url, "file url")),
    })),
  };
}

/**
 * Requests that change the settings or the tab list: replied once the change is on disk (a write
 * and two fsyncs, a few ms; changes that come meanwhile share the next write). Showing a tab and
 * the recent-models list of a send are written as promptly but not waited for: the window shows
 * the tab at once anyway, and a send must not wait for the disk.
 */
const SAVED: ReadonlySet<ipc.ClientMessage["payload"]> = new Set<ipc.ClientMessage["payload"]>([
  "updateSettings",
  "openTab",
  "closeTab",
  "moveTab",
  "updateTab",
  "createSession",
  "deleteSession",
  "historyAction", // a fork opens a tab
  "showProject", // the recent projects
]);

/**
 * Answers one request of window `win`. Tab intents reply with the tabs as this window sees them
 * (every other window gets them as a push). A change to tabs or settings is replied only once it
 * is on disk: a reply means it is saved, even if the app is killed right after.
 */
export async function handle(
  store: Store,
  app: AppInfo,
  win: number,
  msg: ipc.ClientMessage,
): Promise<Reply> {
  const reply = await answer(store, app, win, msg);
  if (SAVED.has(msg.payload)) await store.saved();
  return reply;
}

async function answer(
  store: Store,
  app: AppInfo,
  win: number,
  msg: ipc.ClientMessage,
): Promise<Reply> {
  const payload = msg.payload;
  const sessions = store.sessions;
  switch (payload) {
    case "hello":
      return { snapshot: store.hello(win, msg.hello!.shownSessionId ?? "", app.version) };
    case "createSession":
      await store.createSession(win, msg.createSession!.title || undefined);
      return { workspace: store.workspace.view(win) };
    case "openSession":
      return {
        transcript: await sessions.openSession(required(msg.openSession!.sessionId, "session_id")),
      };
    case "sendMessage": {
      const { sessionId, ...input } = promptOf(msg.sendMessage!);
      await store.send(sessionId, input);
      return { ack: {} };
    }
    case "abortSession":
      await sessions.abort(required(msg.abortSession!.sessionId, "session_id"));
      return { ack: {} };
    case "renameSession": {
      const r = msg.renameSession!;
      return {
        session: await sessions.renameSession(required(r.sessionId, "session_id"), r.title ?? ""),
      };
    }
    case "deleteSession":
      await store.deleteSession(required(msg.deleteSession!.sessionId, "session_id"));
      return { ack: {} };
    case "replyPermission": {
      const r = msg.replyPermission!;
      await sessions.replyPermission(
        required(r.permissionId, "permission_id"),
        r.reply ?? 0,
        r.message || undefined,
      );
      return { ack: {} };
    }
    case "replyQuestion": {
      const r = msg.replyQuestion!;
      const answers = r.reject ? null : (r.answers ?? []).map((a) => [...(a.labels ?? [])]);
      await sessions.replyQuestion(required(r.questionId, "question_id"), answers);
      return { ack: {} };
    }
    case "updateSettings": {
      const settings = store.workspace.updateSettings(msg.updateSettings!);
      app.voice?.changed(); // the engine in use may follow the Audio settings
      const mode = msg.updateSettings!.anthropicAuth;
      if (mode != null) {
        // Waits for every session to be idle; the windows follow it in SubscriptionStatus pushes.
        store.subscription.choose(mode).catch((err) =>
          console.error("opencode-desk: switching Anthropic's credential failed:", err)
        );
      }
      return { settings };
    }
    case "refreshCatalog":
      return { catalog: await sessions.refreshCatalog() };
    case "openTab": {
      const o = msg.openTab!;
      await store.openTab(win, required(o.sessionId, "session_id"), o.index ?? -1);
      return { workspace: store.workspace.view(win) };
    }
    case "closeTab":
      store.closeTab(required(msg.closeTab!.sessionId, "session_id"));
      return { workspace: store.workspace.view(win) };
    case "moveTab": {
      const m = msg.moveTab!;
      store.workspace.moveTab(required(m.sessionId, "session_id"), m.index ?? 0);
      return { workspace: store.workspace.view(win) };
    }
    case "updateTab": {
      const u = msg.updateTab!;
      store.updateTab(required(u.sessionId, "session_id"), {
        agent: u.agent,
        model: u.model,
        variant: u.variant,
      });
      return { workspace: store.workspace.view(win) };
    }
    case "showTab":
      store.workspace.showTab(win, required(msg.showTab!.sessionId, "session_id"));
      return { workspace: store.workspace.view(win) };
    case "listCommands":
    case "runCommand":
    case "runShell":
    case "findFiles":
    case "sendMentions":
      return await handleCommands(store, msg, payload, promptOf, store.projects.composing(win));
    case "voiceStart":
    case "voiceChunk":
    case "voiceStop":
    case "voiceCancel":
    case "getVoiceStatus":
    case "voiceModelAction":
      return await handleVoice(app.voice, msg, payload);
    case "historyAction":
    case "getSessionDiff":
      return await handleHistory(store, win, msg);
    case "getSubscription":
    case "getProviderAuth":
    case "startOauth":
    case "finishOauth":
      return await handleModels(store, msg, payload);
    case "serverAction":
    case "useServer":
    case "setProviderKey":
    case "getServerPanel":
      return await handleServer(app.server, msg, payload);
    case "loadOlder":
    case "findInSession":
      return await handlePages(store, msg, payload);
    case "getPairing":
    case "revokeToken":
    case "windowState":
      return await handleReach(app.reach, win, msg, payload);
    case "loadMoreSessions":
    case "searchSessions":
      return await handleSessionList(store, msg, payload);
    case "showProject":
    case "listDirectory":
      return await handleProjects(store, win, msg, payload);
    case undefined:
      throw new TypeError("Cannot handle request: it has no payload");
    default: {
      const unknown: never = payload;
      throw new TypeError(`Cannot handle request: unknown payload ${unknown}`);
    }
  }
}
