/**
 * Undo, redo, fork, compaction and sharing of a session: which message each acts on is decided
 * here (the UI names at most the message the person pointed at), the server does the work, and
 * the session it answers with goes through the reducer like any event, so every window sees its
 * new `revert` / `share_url` at once.
 */
import { ipc } from "../../proto/gen/ipc.js";
import { type OpencodeClient, OpencodeError } from "../opencode/client.ts";
import * as api from "../opencode/history_api.ts";
import type { OcSession } from "../opencode/types.ts";
import { type Session, toMessage } from "./convert.ts";
import { type FileDiff, type Todo, toFileDiffs, toTodos } from "./history_convert.ts";
import type { Sessions } from "./sessions.ts";

/** The messages of a transcript as far as undo and fork look at them. */
type Row = { info?: { id?: string | null; role?: ipc.Role | null } | null };

const userIds = (rows: Row[]): string[] =>
  rows.filter((r) => r.info?.role === ipc.Role.ROLE_USER).map((r) => r.info?.id ?? "");

/**
 * The user message an Undo goes back to: the last one before what is already undone (`revert`,
 * the message the session is undone to), or "" when there is nothing left to undo.
 */
export function undoTarget(rows: Row[], revert: string): string {
  return userIds(rows).filter((id) => !revert || id < revert).at(-1) ?? "";
}

/**
 * Where a fork "from" a user message cuts: before the next user message, so the new session
 * keeps that message's turn; "" (keep everything) when it is the last one.
 */
export function forkPoint(rows: Row[], messageId: string): string {
  return userIds(rows).find((id) => id > messageId) ?? "";
}

/** The agent's todo list as the server has it; none when it cannot say. */
export async function readTodos(client: OpencodeClient, sessionId: string): Promise<Todo[]> {
  try {
    return toTodos(await api.todos(client, sessionId));
  } catch (err) {
    if (!(err instanceof OpencodeError)) throw err;
    return [];
  }
}

/** A model to compact with: the tab's, else the session's last, else the server's default. */
export interface ModelChoice {
  providerID: string;
  modelID: string;
}

/** Sessions' history actions; each answers with the session as it is afterwards. */
export class History {
  #sessions: Sessions;

  constructor(sessions: Sessions) {
    this.#sessions = sessions;
  }

  /** The client for calls about this session (its own project directory). */
  #client(sessionId: string): OpencodeClient {
    return this.#sessions.clientFor(sessionId);
  }

  /** The server's answer becomes the session every window sees. */
  #learn(info: OcSession): Session {
    this.#sessions.apply({ type: "session.updated", properties: { info } });
    return this.#sessions.session(info.id) ?? { id: info.id };
  }

  /**
   * The session's messages: the page the core keeps when it is the whole session or `enough`
   * says it answers the question (it is always the newest stretch), else the whole history read
   * from the server (an old message undone to or forked from, the Changes view).
   */
  async #rows(sessionId: string, enough?: (rows: Row[]) => boolean): Promise<Row[]> {
    const page = await this.#sessions.openSession(sessionId);
    const rows = page.messages ?? [];
    if (!page.before || enough?.(rows)) return rows;
    return (await this.#client(sessionId).messages(sessionId)).map((m) => ({
      info: toMessage(m.info),
    }));
  }

  #idle(sessionId: string, action: string): void {
    const type = this.#sessions.session(sessionId)?.status?.type;
    if (type === ipc.SessionStatusType.SESSION_STATUS_TYPE_BUSY) {
      throw new TypeError(`Cannot ${action}: the agent is still working; stop it first`);
    }
  }

  /** Undoes the last turn not undone yet (its messages fold, its file changes go). */
  async undo(sessionId: string): Promise<Session> {
    this.#idle(sessionId, "undo");
    const revert = this.#sessions.session(sessionId)?.revert?.messageId ?? "";
    const target = undoTarget(
      await this.#rows(sessionId, (rows) => undoTarget(rows, revert) !== ""),
      revert,
    );
    if (!target) throw new TypeError("Cannot undo: there is no message left to undo");
    return this.#learn(await api.revert(this.#client(sessionId), sessionId, target));
  }

  /** Undoes everything from a user message on. */
  async undoTo(sessionId: string, messageId: string): Promise<Session> {
    this.#idle(sessionId, "undo");
    const mine = (rows: Row[]) => userIds(rows).includes(messageId);
    if (!mine(await this.#rows(sessionId, mine))) {
      throw new TypeError(`Cannot undo: ${messageId} is not a message of yours in this session`);
    }
    return this.#learn(await api.revert(this.#client(sessionId), sessionId, messageId));
  }

  /** Takes the undo back. */
  async redo(sessionId: string): Promise<Session> {
    if (!this.#sessions.session(sessionId)?.revert?.messageId) {
      throw new TypeError("Cannot redo: nothing is undone");
    }
    return this.#learn(await api.unrevert(this.#client(sessionId), sessionId));
  }

  /** A new session with the turns up to (and with) `messageId`'s; all of them without it. */
  async fork(sessionId: string, messageId: string): Promise<Session> {
    const mine = (rows: Row[]) => userIds(rows).includes(messageId);
    const cut = messageId ? forkPoint(await this.#rows(sessionId, mine), messageId) : "";
    const info = await api.fork(this.#client(sessionId), sessionId, cut || undefined);
    this.#sessions.apply({ type: "session.created", properties: { info } });
    return this.#sessions.session(info.id) ?? { id: info.id };
  }

  /**
   * Summarises the session; the compaction shows in the transcript as it happens. A refusal comes
   * back at once; a long compaction is answered after `waitMs` while it goes on (the server
   * reports its end, or its failure, over the event stream like any turn).
   */
  async compact(sessionId: string, model: ModelChoice | null, waitMs = 20_000): Promise<void> {
    this.#idle(sessionId, "compact");
    if (!model) throw new TypeError("Cannot compact: no model is chosen and the server has none");
    await this.#sessions.openSession(sessionId);
    const done = api.summarize(this.#client(sessionId), sessionId, model);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = new Promise<"later">((r) => timer = setTimeout(r, waitMs, "later"));
    try {
      if (await Promise.race([done, later]) !== "later") return;
    } finally {
      clearTimeout(timer);
    }
    done.catch((err) => {
      if (!(err instanceof OpencodeError)) throw err;
      console.warn(`opencode-desk: ${err.message}`);
    });
  }

  async share(sessionId: string): Promise<Session> {
    // A server with sharing disabled answers a bare 500: ask its config first.
    const config = await this.#sessions.client.config();
    if (config.share === "disabled") {
      throw new TypeError("Cannot share this session: sharing is disabled on this server");
    }
    return this.#learn(await sharing(() => api.share(this.#client(sessionId), sessionId), "share"));
  }

  async unshare(sessionId: string): Promise<Session> {
    return this.#learn(
      await sharing(() => api.unshare(this.#client(sessionId), sessionId), "unshare"),
    );
  }

  /**
   * The files the session changed. OpenCode 1.18 answers the session-wide diff with nothing;
   * then it is the sum of what each turn still in force changed (its user message's diffs).
   */
  async diff(sessionId: string): Promise<FileDiff[]> {
    const [rows, whole] = await Promise.all([
      this.#rows(sessionId),
      api.sessionDiff(this.#client(sessionId), sessionId),
    ]);
    const files = toFileDiffs(whole);
    if (files.length) return files;
    const revert = this.#sessions.session(sessionId)?.revert?.messageId ?? "";
    return mergeDiffs(
      rows.filter((r) => !revert || (r.info?.id ?? "") < revert)
        .flatMap((r) => (r as { info?: { diffs?: FileDiff[] | null } }).info?.diffs ?? []),
    );
  }
}

/** One entry per file, in the order first changed: counts added up, patches one after another. */
export function mergeDiffs(diffs: FileDiff[]): FileDiff[] {
  const byFile = new Map<string, FileDiff>();
  for (const d of diffs) {
    const file = d.file ?? "";
    const prev = byFile.get(file);
    if (!prev) {
      byFile.set(file, { ...d });
      continue;
    }
    prev.additions = (prev.additions ?? 0) + (d.additions ?? 0);
    prev.deletions = (prev.deletions ?? 0) + (d.deletions ?? 0);
    prev.patch = [prev.patch, d.patch].filter(Boolean).join("\n");
    prev.status = prev.status === "added" ? "added" : d.status;
  }
  return [...byFile.values()];
}

/** A server started with sharing disabled refuses; the person gets that in a sentence. */
async function sharing(run: () => Promise<OcSession>, verb: string): Promise<OcSession> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof OpencodeError && !err.unreachable && /disabled/i.test(err.message)) {
      throw new OpencodeError(
        `Cannot ${verb} this session: sharing is disabled on this server`,
        err.status,
        err.name_,
      );
    }
    throw err;
  }
}
