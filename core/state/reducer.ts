/**
 * The transcript reducer: OpenCode event + state -> the changes to broadcast.
 *
 * Deterministic and free of I/O, so it is tested with captured streams and no network. It updates
 * `state` in place (containers are mutated, leaf objects replaced) because copying a
 * 1,000-message transcript per token would cost more than it protects.
 *
 * Discipline (docs/opencode-api.md §5.3, STYLE.md): a full part snapshot
 * (`message.part.updated`) replaces what deltas built; a delta for an unknown part is ignored; events for sessions whose transcript is
 * not loaded only update the session list.
 */
import { ipc } from "../../proto/gen/ipc.js";
import type {
  OcEvent,
  OcMessage,
  OcPart,
  OcPermission,
  OcQuestion,
  OcSession,
  OcSessionStatus,
} from "../opencode/types.ts";
import {
  type Event,
  isFinishedTool,
  type Message,
  type Part,
  type Permission,
  type Question,
  type Session,
  type SessionStatus,
  toError,
  toMessage,
  toPart,
  toPermission,
  toPermissionReply,
  toQuestion,
  toSession,
  toStatus,
} from "./convert.ts";
import { type Todo, toTodos } from "./history_convert.ts";

export interface MessageEntry {
  info: Message;
  parts: Map<string, Part>;
}

export interface Transcript {
  messages: Map<string, MessageEntry>;
  /**
   * The oldest message kept ("" when the transcript starts at the session's first): changes to
   * older messages pass on to the windows (which may hold them) but are not kept (core/state/pages.ts).
   */
  floor: string;
  /** The cursor of the messages older than `floor` ("" when there are none). */
  before: string;
}

/** Whether a message id lies before what a transcript keeps. */
function older(t: Transcript, messageId: string): boolean {
  return !!t.floor && messageId < t.floor;
}

export interface State {
  sessions: Map<string, Session>;
  transcripts: Map<string, Transcript>;
  /** Pending permission requests of every session, by id. */
  permissions: Map<string, Permission>;
  /** Pending questions of every session, by id. */
  questions: Map<string, Question>;
  /** The agent's todo list of every session that has one, by session id. */
  todos: Map<string, Todo[]>;
}

export function createState(): State {
  return {
    sessions: new Map(),
    transcripts: new Map(),
    permissions: new Map(),
    questions: new Map(),
    todos: new Map(),
  };
}

const IDLE: SessionStatus = { type: ipc.SessionStatusType.SESSION_STATUS_TYPE_IDLE };

function sameStatus(a: SessionStatus | null | undefined, b: SessionStatus): boolean {
  return (a?.type ?? 0) === b.type && (a?.attempt ?? 0) === (b.attempt ?? 0) &&
    (a?.next ?? 0) === (b.next ?? 0);
}

function entry(t: Transcript, messageId: string, sessionId: string): MessageEntry {
  let e = t.messages.get(messageId);
  if (!e) {
    // A part can arrive before its message: keep it under a placeholder the upsert fills in.
    e = { info: { id: messageId, sessionId, role: ipc.Role.ROLE_UNSPECIFIED }, parts: new Map() };
    t.messages.set(messageId, e);
  }
  return e;
}

function setStatus(state: State, sessionId: string, status: SessionStatus): Event[] {
  const s = state.sessions.get(sessionId);
  if (s && sameStatus(s.status, status)) return [];
  if (s) state.sessions.set(sessionId, { ...s, status });
  return [{ sessionStatusChanged: { sessionId, status } }];
}

/** Applies one OpenCode event; returns the changes every UI must see, in order. */
export function reduce(state: State, event: OcEvent): Event[] {
  const p = event.properties ?? {};
  const sessionId = typeof p.sessionID === "string" ? p.sessionID : "";
  switch (event.type) {
    case "session.created":
    case "session.updated": {
      const info = p.info as OcSession | undefined;
      if (!info?.id) return [];
      const prev = state.sessions.get(info.id);
      const session = toSession(info, prev?.status ?? IDLE);
      state.sessions.set(info.id, session);
      return [{ sessionUpdated: session }];
    }
    case "session.deleted": {
      const info = p.info as OcSession | undefined;
      const id = info?.id ?? sessionId;
      if (!id) return [];
      state.sessions.delete(id);
      state.transcripts.delete(id);
      for (const [pid, p] of state.permissions) {
        if (p.sessionId === id) state.permissions.delete(pid);
      }
      for (const [qid, q] of state.questions) if (q.sessionId === id) state.questions.delete(qid);
      state.todos.delete(id);
      return [{ sessionRemoved: id }];
    }
    case "session.status":
      if (!sessionId) return [];
      return setStatus(state, sessionId, toStatus(p.status as OcSessionStatus));
    case "session.idle":
      if (!sessionId) return [];
      return setStatus(state, sessionId, IDLE);
    case "session.error": {
      const error = toError(p.error as never);
      if (!error) return [];
      return [{ sessionFailed: { sessionId, error } }];
    }
    case "message.updated": {
      const info = p.info as OcMessage | undefined;
      const t = state.transcripts.get(info?.sessionID ?? sessionId);
      if (!info?.id || !t) return [];
      if (older(t, info.id)) return [{ messageUpdated: toMessage(info) }];
      const e = entry(t, info.id, info.sessionID);
      e.info = toMessage(info);
      return [{ messageUpdated: e.info }];
    }
    case "message.removed": {
      const messageId = typeof p.messageID === "string" ? p.messageID : "";
      const t = state.transcripts.get(sessionId);
      if (!t || (!t.messages.delete(messageId) && !older(t, messageId))) return [];
      return [{ messageRemoved: { sessionId, messageId } }];
    }
    case "message.part.updated": {
      const raw = p.part as OcPart | undefined;
      const t = state.transcripts.get(raw?.sessionID ?? sessionId);
      if (!raw?.id || !raw.messageID || !t) return [];
      const part = toPart(raw);
      if (older(t, raw.messageID)) return [{ partUpdated: part }];
      const e = entry(t, raw.messageID, part.sessionId ?? sessionId);
      // A finished tool never runs again: a late "running" snapshot (the server writes bash
      // output updates without awaiting them) must not reopen a completed block.
      if (isFinishedTool(e.parts.get(raw.id)) && !isFinishedTool(part)) return [];
      e.parts.set(raw.id, part);
      return [{ partUpdated: part }];
    }
    case "message.part.delta": {
      const messageId = String(p.messageID ?? "");
      const partId = String(p.partID ?? "");
      const field = String(p.field ?? "");
      const delta = typeof p.delta === "string" ? p.delta : "";
      const parts = state.transcripts.get(sessionId)?.messages.get(messageId)?.parts;
      const part = parts?.get(partId);
      if (!parts || !part || field !== "text" || !delta) return [];
      // A new object: the previous one may sit in the batcher's queue as an upsert.
      parts.set(partId, { ...part, text: (part.text ?? "") + delta });
      return [{ partAppended: { sessionId, messageId, partId, field, delta } }];
    }
    case "message.part.removed": {
      const messageId = String(p.messageID ?? "");
      const partId = String(p.partID ?? "");
      const t = state.transcripts.get(sessionId);
      const e = t?.messages.get(messageId);
      const gone = e ? e.parts.delete(partId) : !!t && older(t, messageId);
      if (!gone) return [];
      return [{ partRemoved: { sessionId, messageId, partId } }];
    }
    case "permission.asked": {
      const raw = p as unknown as OcPermission;
      if (typeof raw.id !== "string" || !raw.sessionID) return [];
      const permission = toPermission(raw);
      state.permissions.set(raw.id, permission);
      return [{ permissionAsked: permission }];
    }
    case "permission.replied": {
      const id = String(p.requestID ?? p.permissionID ?? "");
      if (!state.permissions.delete(id)) return [];
      return [{
        permissionResolved: { sessionId, permissionId: id, reply: toPermissionReply(p.reply) },
      }];
    }
    case "question.asked": {
      const raw = p as unknown as OcQuestion;
      if (typeof raw.id !== "string" || !raw.sessionID) return [];
      const question = toQuestion(raw);
      state.questions.set(raw.id, question);
      return [{ questionAsked: question }];
    }
    case "question.replied":
    case "question.rejected": {
      const id = String(p.requestID ?? "");
      if (!state.questions.delete(id)) return [];
      return [{ questionResolved: { sessionId, questionId: id } }];
    }
    case "todo.updated": {
      if (!sessionId) return [];
      const todos = toTodos(p.todos);
      state.todos.set(sessionId, todos);
      return [{ todosUpdated: { sessionId, todos } }];
    }
    default:
      return [];
  }
}

/** The transcript in display order: ids sort by creation time (docs/opencode-api.md §4.2). */
export function orderedMessages(t: Transcript): { info: Message; parts: Part[] }[] {
  const byId = (a: { id?: string | null }, b: { id?: string | null }) =>
    (a.id ?? "") < (b.id ?? "") ? -1 : (a.id ?? "") > (b.id ?? "") ? 1 : 0;
  return [...t.messages.values()]
    .map((e) => ({ info: e.info, parts: [...e.parts.values()].sort(byId) }))
    .sort((a, b) => byId(a.info, b.info));
}

/**
 * Replaces a transcript with what the server stored: the newest messages of the session, those
 * older than `before` (a cursor, "" when `stored` starts at the session's first message) left
 * out. Text the server has not written yet (it stores "" while a part streams,
 * docs/opencode-api.md §5.3) is kept from what deltas built, so a resync in the middle of a reply
 * loses nothing.
 */
export function loadTranscript(
  state: State,
  sessionId: string,
  stored: { info: OcMessage; parts: OcPart[] }[],
  before = "",
): Transcript {
  const prev = state.transcripts.get(sessionId);
  const t: Transcript = {
    messages: new Map(),
    floor: before ? stored[0]?.info.id ?? "" : "",
    before: stored.length ? before : "",
  };
  for (const m of stored) {
    const e: MessageEntry = { info: toMessage(m.info), parts: new Map() };
    for (const raw of m.parts) {
      const part = toPart(raw);
      const old = prev?.messages.get(m.info.id)?.parts.get(raw.id);
      // The server stores a streaming part's text now and then: what deltas built beyond it stays.
      const stored = part.text ?? "";
      if (
        old?.text && !part.timeEnd && old.text.length > stored.length && old.text.startsWith(stored)
      ) {
        part.text = old.text;
      }
      e.parts.set(raw.id, part);
    }
    t.messages.set(m.info.id, e);
  }
  state.transcripts.set(sessionId, t);
  return t;
}
