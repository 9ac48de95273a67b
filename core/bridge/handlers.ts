/**
 * What each UI request does: one function from a decoded ClientMessage to the reply payload.
 * Errors thrown here become typed `Error` replies in socket.ts.
 */
import { ipc } from "../../proto/envelope.js";
import type { Store } from "../state/store.ts";

export type Reply = Omit<ipc.ServerMessage.$Properties, "requestId">;

export interface AppInfo {
  version: string;
}

function required(value: string | null | undefined, field: string): string {
  if (!value) throw new TypeError(`Cannot handle request: ${field} is required`);
  return value;
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
        model: m.providerId ? { providerID: m.providerId, modelID: m.modelId! } : undefined,
        files: (m.files ?? []).map((f) => ({
          mime: required(f.mime, "file mime"),
          filename: f.filename || "file",
          url: required(f.url, "file url"),
        })),
      });
      return { ack: {} };
    }
    case "abortSession":
      await store.abort(required(msg.abortSession!.sessionId, "session_id"));
      return { ack: {} };
    case undefined:
      throw new TypeError("Cannot handle request: it has no payload");
    default: {
      const unknown: never = payload;
      throw new TypeError(`Cannot handle request: unknown payload ${unknown}`);
    }
  }
}
