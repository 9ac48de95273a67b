/**
 * The history requests: undo, redo, fork (which opens the new session in a tab shown by the
 * window that asked), compaction, sharing, and a session's changes.
 */
import { ipc } from "../../proto/envelope.js";
import { History, type ModelChoice } from "../state/history.ts";
import type { Store } from "../state/store.ts";
import { type Reply, required } from "./handlers.ts";

const Kind = ipc.HistoryActionKind;
const histories = new WeakMap<Store, History>();

function historyOf(store: Store): History {
  let h = histories.get(store);
  if (!h) histories.set(store, h = new History(store.sessions));
  return h;
}

/** The model a compaction uses: the tab's, else the session's last, else the server's default. */
function modelFor(store: Store, sessionId: string): ModelChoice | null {
  const tab = store.workspace.tab(sessionId);
  if (tab?.providerId && tab.modelId) return { providerID: tab.providerId, modelID: tab.modelId };
  const s = store.sessions.session(sessionId);
  if (s?.providerId && s.modelId) return { providerID: s.providerId, modelID: s.modelId };
  const d = store.sessions.catalog.defaultModel;
  return d?.providerId && d.modelId ? { providerID: d.providerId, modelID: d.modelId } : null;
}

/** Answers a `history_action` or `get_session_diff` request of window `win`. */
export async function handleHistory(
  store: Store,
  win: number,
  msg: ipc.ClientMessage,
): Promise<Reply> {
  const history = historyOf(store);
  if (msg.payload === "getSessionDiff") {
    const sessionId = required(msg.getSessionDiff!.sessionId, "session_id");
    return { sessionDiff: { sessionId, files: await history.diff(sessionId) } };
  }
  const a = msg.historyAction!;
  const id = required(a.sessionId, "session_id");
  switch (a.kind ?? Kind.HISTORY_ACTION_KIND_UNSPECIFIED) {
    case Kind.HISTORY_ACTION_KIND_UNDO:
      return { session: await history.undo(id) };
    case Kind.HISTORY_ACTION_KIND_REDO:
      return { session: await history.redo(id) };
    case Kind.HISTORY_ACTION_KIND_UNDO_TO:
      return { session: await history.undoTo(id, required(a.messageId, "message_id")) };
    case Kind.HISTORY_ACTION_KIND_FORK: {
      const forked = await history.fork(id, a.messageId ?? "");
      store.flush();
      const tabs = store.workspace.view(win).tabs ?? [];
      const after = tabs.findIndex((t) => t.sessionId === id);
      await store.openTab(win, forked.id!, after < 0 ? -1 : after + 1);
      return { workspace: store.workspace.view(win) };
    }
    case Kind.HISTORY_ACTION_KIND_COMPACT:
      await history.compact(id, modelFor(store, id));
      return { ack: {} };
    case Kind.HISTORY_ACTION_KIND_SHARE:
      return { session: await history.share(id) };
    case Kind.HISTORY_ACTION_KIND_UNSHARE:
      return { session: await history.unshare(id) };
    case Kind.HISTORY_ACTION_KIND_UNSPECIFIED:
      throw new TypeError("Cannot handle request: the history action has no kind");
    default:
      throw new TypeError(`Cannot handle request: unknown history action ${a.kind}`);
  }
}
