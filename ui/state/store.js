// @ts-check
/**
 * The UI's reactive copy of what the core pushes. Dumb on purpose: the core decides; this file
 * only mirrors. Every open session has its own transcript model, so background tabs keep
 * streaming. One signal per part's text (a token patches one text node), one per message's part
 * list, one for each transcript's message list: nothing copies a transcript per token.
 */
import { batch, computed, signal } from "@preact/signals";
import { ipc } from "../../proto/envelope.js";
import { setTodos } from "./history_store.js";
import { setListState, setListStates } from "./session_list.js";

/**
 * @typedef {import("@preact/signals").Signal<T>} Signal<T>
 * @template T
 */
/**
 * @typedef {{ id: string, info: Signal<ipc.Part.$Properties>, text: Signal<string> }} PartModel
 * @typedef {{ id: string, info: Signal<ipc.Message.$Properties>, parts: Signal<PartModel[]> }} MessageModel
 * @typedef {{
 *   sessionId: string,
 *   messages: Signal<MessageModel[]>,
 *   loaded: Signal<boolean>,
 *   before: Signal<string>,
 *   error: Signal<ipc.ErrorInfo.$Properties | null>,
 *   messageIndex: Map<string, MessageModel>,
 *   partIndex: Map<string, PartModel>,
 * }} TranscriptModel
 */

/** @type {Signal<ipc.ServerStatus.$Properties | null>} */
export const server = signal(null);
/** @type {Signal<ipc.Session.$Properties[]>} */
export const sessions = signal([]);
export const directory = signal("");
export const appVersion = signal("");
/** @type {Signal<ipc.Permission.$Properties[]>} pending, every session */
export const permissions = signal([]);
/** @type {Signal<ipc.Question.$Properties[]>} pending, every session */
export const questions = signal([]);
/** @type {Signal<ipc.Workspace.$Properties>} the open tabs, shared by every window */
export const workspace = signal({ tabs: [], shownSessionId: "" });
/** @type {Signal<ipc.Settings.$Properties>} */
export const settings = signal({ favoriteModels: [], recentModels: [], showSubagents: false });
/** @type {Signal<ipc.Catalog.$Properties>} */
export const catalog = signal({ agents: [], providers: [] });
/**
 * The project this window shows and the ones it can switch to (the core decides; see
 * ui/state/projects.js). `current` empty: the startup one, `directory`.
 * @type {Signal<ipc.ProjectsView.$Properties>}
 */
export const projects = signal({ current: "", projects: [] });
/** The session this window shows (the core decides: `workspace.shownSessionId`). */
export const activeSessionId = signal("");
/** Sessions that finished a reply while not on screen (the tab shows "done" until visited). */
export const unseen = signal(/** @type {Set<string>} */ (new Set()));

/** @type {Map<string, TranscriptModel>} */
const transcripts = new Map();

/** @param {{id?: string|null}} a @param {{id?: string|null}} b */
export const byId = (
  a,
  b,
) => ((a.id ?? "") < (b.id ?? "") ? -1 : (a.id ?? "") > (b.id ?? "") ? 1 : 0);

/** The transcript model of a session (created empty, not yet loaded). @param {string} sessionId */
export function transcriptOf(sessionId) {
  let t = transcripts.get(sessionId);
  if (!t) {
    t = {
      sessionId,
      messages: signal(/** @type {MessageModel[]} */ ([])),
      loaded: signal(false),
      before: signal(""),
      error: signal(/** @type {ipc.ErrorInfo.$Properties | null} */ (null)),
      messageIndex: new Map(),
      partIndex: new Map(),
    };
    transcripts.set(sessionId, t);
  }
  return t;
}

/** @param {string} sessionId */
export function dropTranscript(sessionId) {
  transcripts.delete(sessionId);
}

/** The transcript on screen in this window. */
export const activeTranscript = computed(() =>
  activeSessionId.value ? transcriptOf(activeSessionId.value) : null
);

/** @param {TranscriptModel} t @param {ipc.Part.$Properties} p @returns {PartModel} */
function newPart(t, p) {
  const model = { id: p.id ?? "", info: signal(p), text: signal(p.text ?? "") };
  t.partIndex.set(model.id, model);
  return model;
}

/** @param {TranscriptModel} t @param {ipc.Message.$Properties} info @returns {MessageModel} */
function newMessage(t, info) {
  const model = {
    id: info.id ?? "",
    info: signal(info),
    parts: signal(/** @type {PartModel[]} */ ([])),
  };
  t.messageIndex.set(model.id, model);
  return model;
}

/** @param {TranscriptModel} t @param {MessageModel} m */
function insertMessage(t, m) {
  const list = t.messages.value;
  const last = list[list.length - 1];
  if (!last || last.id < m.id) t.messages.value = [...list, m];
  else t.messages.value = [...list, m].sort(byId);
}

/**
 * Takes a transcript the core sent: its newest messages (a page). They replace what this window
 * holds from their first message on; the older pages it loaded stay (they are history), unless
 * the core's page starts at the session's first message.
 * @param {ipc.Transcript.$Properties} tr
 */
export function setTranscript(tr) {
  const sessionId = tr.session?.id ?? "";
  if (!sessionId) return;
  batch(() => {
    const t = transcriptOf(sessionId);
    const first = tr.messages?.[0]?.info?.id ?? "";
    const kept = tr.before && first ? t.messages.peek().filter((m) => m.id < first) : [];
    t.messageIndex.clear();
    t.partIndex.clear();
    for (const m of kept) {
      t.messageIndex.set(m.id, m);
      for (const p of m.parts.peek()) t.partIndex.set(p.id, p);
    }
    const list = [...kept];
    for (const mw of tr.messages ?? []) {
      const m = newMessage(t, mw.info ?? {});
      m.parts.value = (mw.parts ?? []).map((p) => newPart(t, p));
      list.push(m);
    }
    t.messages.value = list;
    if (!kept.length) t.before.value = tr.before ?? "";
    t.error.value = null;
    t.loaded.value = true;
    setTodos(sessionId, tr.todos);
    if (tr.session?.id && tr.session.title !== undefined) upsertSession(tr.session);
    flushSessions();
  });
}

/**
 * Adds an older page (the reply to LoadOlder) in front of what this window holds: only messages
 * older than its first one, so a page that arrives late never doubles one.
 * @param {ipc.Transcript.$Properties} tr @param {string} asked the cursor it was asked with
 */
export function prependOlder(tr, asked) {
  const t = transcripts.get(tr.session?.id ?? "");
  if (!t || t.before.peek() !== asked) return;
  batch(() => {
    const list = t.messages.peek();
    const first = list[0]?.id;
    const older = [];
    for (const mw of tr.messages ?? []) {
      const id = mw.info?.id ?? "";
      if (first !== undefined && id >= first) continue;
      const m = newMessage(t, mw.info ?? {});
      m.parts.value = (mw.parts ?? []).map((p) => newPart(t, p));
      older.push(m);
    }
    t.messages.value = [...older, ...list];
    t.before.value = tr.before ?? "";
  });
}

/**
 * Session changes of the batch being applied: the core's snapshot brings one per session (a
 * thousand sessions, a thousand changes), so the list is rebuilt once per batch, not per change.
 * @type {Map<string, ipc.Session.$Properties>}
 */
const upserts = new Map();

/** @param {ipc.Session.$Properties} s */
function upsertSession(s) {
  upserts.set(s.id ?? "", s);
}

/** Applies the session changes gathered so far, in one pass. */
function flushSessions() {
  if (!upserts.size) return;
  const list = sessions.peek().filter((x) => !upserts.has(x.id ?? ""));
  list.push(...upserts.values());
  upserts.clear();
  list.sort((a, b) => (b.timeUpdated ?? 0) - (a.timeUpdated ?? 0));
  sessions.value = list;
}

/** @param {TranscriptModel} t @param {ipc.Part.$Properties} p */
function upsertPart(t, p) {
  const existing = t.partIndex.get(p.id ?? "");
  if (existing) {
    existing.info.value = p;
    existing.text.value = p.text ?? "";
    return;
  }
  let m = t.messageIndex.get(p.messageId ?? "");
  if (!m) {
    m = newMessage(t, { id: p.messageId, sessionId: p.sessionId });
    insertMessage(t, m);
  }
  const model = newPart(t, p);
  const parts = m.parts.value;
  const last = parts[parts.length - 1];
  m.parts.value = !last || last.id < model.id ? [...parts, model] : [...parts, model].sort(byId);
}

/** @param {string} sessionId @param {ipc.SessionStatus.$Properties | null | undefined} status */
function setStatus(sessionId, status) {
  const s = upserts.get(sessionId) ?? sessions.peek().find((x) => x.id === sessionId);
  const before = s?.status?.type;
  if (s) upsertSession({ ...s, status });
  const idle = !status?.type || status.type === ipc.SessionStatusType.SESSION_STATUS_TYPE_IDLE;
  const wasBusy = before === ipc.SessionStatusType.SESSION_STATUS_TYPE_BUSY ||
    before === ipc.SessionStatusType.SESSION_STATUS_TYPE_RETRY;
  if (idle && wasBusy && sessionId !== activeSessionId.value) {
    unseen.value = new Set([...unseen.value, sessionId]);
  }
}

/** Applies one pushed batch of changes inside one batch(), so the screen updates once. */
/** @param {ipc.Event[]} events */
export function applyEvents(events) {
  batch(() => {
    for (const e of events) {
      switch (e.payload) {
        case "sessionUpdated":
          upsertSession(/** @type {ipc.Session} */ (e.sessionUpdated));
          break;
        case "sessionRemoved": {
          const id = /** @type {string} */ (e.sessionRemoved);
          flushSessions();
          sessions.value = sessions.value.filter((s) => s.id !== id);
          dropTranscript(id);
          break;
        }
        case "sessionStatusChanged": {
          const st = /** @type {ipc.SessionStatusChange} */ (e.sessionStatusChanged);
          setStatus(st.sessionId, st.status);
          break;
        }
        case "sessionFailed": {
          const se = /** @type {ipc.SessionErrorEvent} */ (e.sessionFailed);
          const t = transcripts.get(se.sessionId);
          if (t) t.error.value = se.error ?? null;
          break;
        }
        case "messageUpdated": {
          const info = /** @type {ipc.Message} */ (e.messageUpdated);
          const t = transcripts.get(info.sessionId);
          if (!t) break;
          const m = t.messageIndex.get(info.id);
          if (m) m.info.value = info;
          else insertMessage(t, newMessage(t, info));
          break;
        }
        case "messageRemoved": {
          const r = /** @type {ipc.MessageRemoved} */ (e.messageRemoved);
          const t = transcripts.get(r.sessionId);
          if (!t) break;
          t.messageIndex.delete(r.messageId);
          t.messages.value = t.messages.value.filter((m) => m.id !== r.messageId);
          break;
        }
        case "partUpdated": {
          const p = /** @type {ipc.Part} */ (e.partUpdated);
          const t = transcripts.get(p.sessionId);
          if (t) upsertPart(t, p);
          break;
        }
        case "partAppended": {
          const d = /** @type {ipc.PartDelta} */ (e.partAppended);
          if (d.field !== "text") break;
          const part = transcripts.get(d.sessionId)?.partIndex.get(d.partId);
          if (part) part.text.value += d.delta; // unknown part: ignored, the snapshot follows
          break;
        }
        case "partRemoved": {
          const r = /** @type {ipc.PartRemoved} */ (e.partRemoved);
          const t = transcripts.get(r.sessionId);
          const m = t?.messageIndex.get(r.messageId);
          if (!t || !m) break;
          t.partIndex.delete(r.partId);
          m.parts.value = m.parts.value.filter((p) => p.id !== r.partId);
          break;
        }
        case "transcriptReplaced": {
          const tr = /** @type {ipc.Transcript} */ (e.transcriptReplaced);
          if (transcripts.has(tr.session?.id ?? "")) setTranscript(tr);
          break;
        }
        case "transcriptEvicted": {
          // The core let go of it: read again when shown (the shown one it keeps).
          const id = /** @type {string} */ (e.transcriptEvicted);
          if (id !== activeSessionId.peek()) dropTranscript(id);
          break;
        }
        case "permissionAsked": {
          const p = /** @type {ipc.Permission} */ (e.permissionAsked);
          permissions.value = [...permissions.value.filter((x) => x.id !== p.id), p];
          break;
        }
        case "permissionResolved": {
          const r = /** @type {ipc.PermissionResolved} */ (e.permissionResolved);
          permissions.value = permissions.value.filter((x) => x.id !== r.permissionId);
          break;
        }
        case "questionAsked": {
          const q = /** @type {ipc.Question} */ (e.questionAsked);
          questions.value = [...questions.value.filter((x) => x.id !== q.id), q];
          break;
        }
        case "questionResolved": {
          const r = /** @type {ipc.QuestionResolved} */ (e.questionResolved);
          questions.value = questions.value.filter((x) => x.id !== r.questionId);
          break;
        }
        case "todosUpdated": {
          const l = /** @type {ipc.TodoList} */ (e.todosUpdated);
          setTodos(l.sessionId, l.todos);
          break;
        }
        case "sessionList":
          setListState(e.sessionList);
          break;
        case undefined:
          break;
        default: {
          /** @type {never} */
          const unknown = e.payload;
          console.warn("unknown event", unknown);
        }
      }
    }
    flushSessions();
  });
}

/** Everything of a snapshot but the tabs (see `showWorkspace`). @param {ipc.Snapshot.$Properties} s */
export function applySnapshot(s) {
  batch(() => {
    server.value = s.server ?? null;
    sessions.value = s.sessions ?? [];
    setListStates(s.sessionLists);
    appVersion.value = s.appVersion ?? "";
    directory.value = s.directory ?? "";
    permissions.value = s.permissions ?? [];
    questions.value = s.questions ?? [];
    if (s.settings) settings.value = s.settings;
    if (s.catalog) catalog.value = s.catalog;
    projects.value = s.projects ?? { current: "", projects: [] };
  });
}

/** The tabs and the one this window shows, as the core sent them. @param {ipc.Workspace.$Properties} w */
export function applyWorkspace(w) {
  batch(() => {
    workspace.value = w;
    activeSessionId.value = w.shownSessionId ?? "";
  });
}
