/**
 * What each UI request does: one function from a decoded ClientMessage to the reply payload.
 * Errors thrown here become typed `Error` replies in socket.ts.
 */
import { ipc } from "../../proto/envelope.js";
import type { Store } from "../state/store.ts";
import { handleVoice } from "../voice/handlers.ts";
import type { VoiceService } from "../voice/voice_service.ts";

export type Reply = Omit<ipc.ServerMessage.$Properties, "requestId">;

export interface AppInfo {
  version: string;
  /** Push-to-talk (core/voice/); absent: voice requests get an error. */
  voice?: VoiceService;
}

function required(value: string | null | undefined, field: string): string {
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

export async function handle(store: Store, app: AppInfo, msg: ipc.ClientMessage): Promise<Reply> {
  const payload = msg.payload;
  switch (payload) {
    case "hello":
      return {
        snapshot: {
          server: store.server,
          sessions: store.sessions(),
          appVersion: app.version,
          directory: store.directory,
          permissions: store.permissions(),
          questions: store.questions(),
          workspace: store.workspace(),
          settings: store.settings(),
          catalog: store.catalog,
        },
      };
    case "listSessions":
      return { sessionList: { sessions: await store.refreshSessions() } };
    case "createSession":
      return { session: await store.createSession(msg.createSession!.title || undefined) };
    case "openSession":
      return {
        transcript: await store.openSession(required(msg.openSession!.sessionId, "session_id")),
      };
    case "sendMessage": {
      const m = msg.sendMessage!;
      if ((m.providerId && !m.modelId) || (!m.providerId && m.modelId)) {
        throw new TypeError("Cannot send a message: provider_id and model_id go together");
      }
      await store.send(required(m.sessionId, "session_id"), {
        text: m.text ?? "",
        agent: m.agent || undefined,
        variant: m.variant || undefined,
        model: m.providerId ? { providerID: m.providerId, modelID: m.modelId! } : undefined,
        files: (m.files ?? []).map((f) => ({
          mime: required(f.mime, "file mime"),
          filename: f.filename || "file",
          url: inlineData(required(f.url, "file url")),
        })),
      });
      return { ack: {} };
    }
    case "abortSession":
      await store.abort(required(msg.abortSession!.sessionId, "session_id"));
      return { ack: {} };
    case "renameSession": {
      const r = msg.renameSession!;
      return {
        session: await store.renameSession(required(r.sessionId, "session_id"), r.title ?? ""),
      };
    }
    case "deleteSession":
      await store.deleteSession(required(msg.deleteSession!.sessionId, "session_id"));
      return { ack: {} };
    case "closeSession":
      store.closeSession(required(msg.closeSession!.sessionId, "session_id"));
      return { ack: {} };
    case "replyPermission": {
      const r = msg.replyPermission!;
      await store.replyPermission(
        required(r.permissionId, "permission_id"),
        required(r.reply, "reply"),
        r.message || undefined,
      );
      return { ack: {} };
    }
    case "replyQuestion": {
      const r = msg.replyQuestion!;
      const answers = r.reject ? null : (r.answers ?? []).map((a) => [...(a.labels ?? [])]);
      await store.replyQuestion(required(r.questionId, "question_id"), answers);
      return { ack: {} };
    }
    case "setWorkspace":
      return { workspace: store.setWorkspace(msg.setWorkspace!.workspace ?? {}) };
    case "updateSettings": {
      const settings = store.updateSettings(msg.updateSettings!.settings ?? {});
      app.voice?.changed(); // the engine in use may follow the Audio settings
      return { settings };
    }
    case "getCatalog":
      return { catalog: msg.getCatalog!.refresh ? await store.refreshCatalog() : store.catalog };
    case "voiceStart":
    case "voiceChunk":
    case "voiceStop":
    case "voiceCancel":
    case "getVoiceStatus":
    case "voiceModelAction":
      return await handleVoice(app.voice, msg, payload);
    case undefined:
      throw new TypeError("Cannot handle request: it has no payload");
    default: {
      const unknown: never = payload;
      throw new TypeError(`Cannot handle request: unknown payload ${unknown}`);
    }
  }
}
