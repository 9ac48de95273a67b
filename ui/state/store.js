// @ts-check
/**
 * The UI's reactive copy of what the core pushes. Dumb on purpose: the core decides; this file
 * only mirrors. One signal per part's text (a token patches one text node), one signal per
 * message's part list, one for the message list: nothing copies the whole transcript per token.
 */
import { batch, signal } from "@preact/signals";
import { ipc } from "../../proto/envelope.js";

/**
 * @typedef {{ id: string, info: import("@preact/signals").Signal<ipc.Part.$Properties>,
 *   text: import("@preact/signals").Signal<string> }} PartModel
 * @typedef {{ id: string, info: import("@preact/signals").Signal<ipc.Message.$Properties>,
 *   parts: import("@preact/signals").Signal<PartModel[]> }} MessageModel
 */

/** @type {import("@preact/signals").Signal<ipc.ServerStatus.$Properties | null>} */
export const server = signal(null);
/** @type {import("@preact/signals").Signal<ipc.Session.$Properties[]>} */
export const sessions = signal([]);
export const directory = signal("");
export const appVersion = signal("");
export const currentSessionId = signal("");
/** @type {import("@preact/signals").Signal<MessageModel[]>} */
export const messages = signal([]);
/** @type {import("@preact/signals").Signal<ipc.ErrorInfo.$Properties | null>} */
export const sessionError = signal(null);
/** Whether the current session's transcript has been loaded. */
export const loaded = signal(false);

/** @type {Map<string, MessageModel>} */
let messageIndex = new Map();
/** @type {Map<string, PartModel>} */
let partIndex = new Map();

/** @param {{id?: string|null}} a @param {{id?: string|null}} b */
const byId = (a, b) => ((a.id ?? "") < (b.id ?? "") ? -1 : (a.id ?? "") > (b.id ?? "") ? 1 : 0);

/** @param {ipc.Part.$Properties} p @returns {PartModel} */
function newPart(p) {
  const model = { id: p.id ?? "", info: signal(p), text: signal(p.text ?? "") };
  partIndex.set(model.id, model);
  return model;
}

/** @param {ipc.Message.$Properties} info @returns {MessageModel} */
function newMessage(info) {
  const model = {
    id: info.id ?? "",
    info: signal(info),
    parts: signal(/** @type {PartModel[]} */ ([])),
  };
  messageIndex.set(model.id, model);
  return model;
}

/** @param {MessageModel} m */
function insertMessage(m) {
  const list = messages.value;
  const last = list[list.length - 1];
  if (!last || last.id < m.id) messages.value = [...list, m];
  else messages.value = [...list, m].sort(byId);
}

/** Replaces the transcript on screen with one the core sent. @param {ipc.Transcript.$Properties} t */
export function setTranscript(t) {
  batch(() => {
    messageIndex = new Map();
    partIndex = new Map();
    const list = [];
    for (const mw of t.messages ?? []) {
      const m = newMessage(mw.info ?? {});
      m.parts.value = (mw.parts ?? []).map(newPart);
      list.push(m);
    }
    messages.value = list;
    sessionError.value = null;
    loaded.value = true;
    if (t.session?.id) upsertSession(t.session);
  });
}

export function clearTranscript() {
  messageIndex = new Map();
  partIndex = new Map();
  messages.value = [];
  loaded.value = false;
  sessionError.value = null;
}

/** @param {ipc.Session.$Properties} s */
function upsertSession(s) {
  const list = sessions.value.filter((x) => x.id !== s.id);
  list.push(s);
  list.sort((a, b) => (b.timeUpdated ?? 0) - (a.timeUpdated ?? 0));
  sessions.value = list;
}

/** @param {ipc.Part.$Properties} p */
function upsertPart(p) {
  const existing = partIndex.get(p.id ?? "");
  if (existing) {
    existing.info.value = p;
    existing.text.value = p.text ?? "";
    return;
  }
  let m = messageIndex.get(p.messageId ?? "");
  if (!m) {
    m = newMessage({ id: p.messageId, sessionId: p.sessionId, role: "" });
    insertMessage(m);
  }
  const model = newPart(p);
  const parts = m.parts.value;
  const last = parts[parts.length - 1];
  m.parts.value = !last || last.id < model.id ? [...parts, model] : [...parts, model].sort(byId);
}

/** Applies one pushed batch of changes, all inside one batch() so the screen updates once. */
/** @param {ipc.Event[]} events */
export function applyEvents(events) {
  const current = currentSessionId.value;
  batch(() => {
    for (const e of events) {
      switch (e.kind) {
        case "sessionUpsert":
          upsertSession(/** @type {ipc.Session} */ (e.sessionUpsert));
          break;
        case "sessionRemoved":
          sessions.value = sessions.value.filter((s) => s.id !== e.sessionRemoved);
          if (e.sessionRemoved === current) clearTranscript();
          break;
        case "sessionStatus": {
          const st = /** @type {ipc.SessionStatusChange} */ (e.sessionStatus);
          sessions.value = sessions.value.map((s) =>
            s.id === st.sessionId ? { ...s, status: st.status } : s
          );
          break;
        }
        case "sessionError":
          if (e.sessionError?.sessionId === current) {
            sessionError.value = e.sessionError.error ?? null;
          }
          break;
        case "messageUpsert": {
          const info = /** @type {ipc.Message} */ (e.messageUpsert);
          if (info.sessionId !== current) break;
          const m = messageIndex.get(info.id);
          if (m) m.info.value = info;
          else insertMessage(newMessage(info));
          break;
        }
        case "messageRemoved": {
          const r = /** @type {ipc.MessageRemoved} */ (e.messageRemoved);
          if (r.sessionId !== current) break;
          messageIndex.delete(r.messageId);
          messages.value = messages.value.filter((m) => m.id !== r.messageId);
          break;
        }
        case "partUpsert":
          if (e.partUpsert?.sessionId === current) upsertPart(e.partUpsert);
          break;
        case "partDelta": {
          const d = /** @type {ipc.PartDelta} */ (e.partDelta);
          if (d.sessionId !== current || d.field !== "text") break;
          const part = partIndex.get(d.partId);
          if (part) part.text.value += d.delta; // unknown part: ignored, the snapshot will follow
          break;
        }
        case "partRemoved": {
          const r = /** @type {ipc.PartRemoved} */ (e.partRemoved);
          const m = messageIndex.get(r.messageId);
          if (!m) break;
          partIndex.delete(r.partId);
          m.parts.value = m.parts.value.filter((p) => p.id !== r.partId);
          break;
        }
        case "transcriptReset":
          if (e.transcriptReset?.session?.id === current) {
            setTranscript(/** @type {ipc.Transcript} */ (e.transcriptReset));
          }
          break;
        case undefined:
          break;
        default: {
          /** @type {never} */
          const unknown = e.kind;
          console.warn("unknown event", unknown);
        }
      }
    }
  });
}

/** The status of a session as a word: "idle" | "busy" | "retry". @param {string} id */
export function statusOf(id) {
  const s = sessions.value.find((x) => x.id === id);
  switch (s?.status?.type) {
    case ipc.SessionStatusType.SESSION_STATUS_TYPE_BUSY:
      return "busy";
    case ipc.SessionStatusType.SESSION_STATUS_TYPE_RETRY:
      return "retry";
    default:
      return "idle";
  }
}
