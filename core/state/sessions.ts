/**
 * The OpenCode side of the core's state: sessions, their statuses, pending permissions and
 * questions, the transcripts windows opened, and the catalog of agents and models. It takes a
 * fresh snapshot whenever the event stream (re)connects, feeds every event (and every change it
 * makes itself) through the reducer, and hands the resulting changes to `onChanges`.
 */
import { ipc } from "../../proto/gen/ipc.js";
import { type OpencodeClient, OpencodeError, type PromptInput } from "../opencode/client.ts";
import { EventStream } from "../opencode/events.ts";
import type { OcEvent } from "../opencode/types.ts";
import { type Catalog, toCatalog } from "./catalog.ts";
import { isLateEvent, startsNewTurn, type StoppedTurn, stopTurn } from "./cancel.ts";
import {
  type Event,
  type Permission,
  permissionReplyWord,
  type Question,
  type Session,
  toSession,
} from "./convert.ts";
import { NotFoundError } from "./errors.ts";
import { goneFrom, SessionList } from "./session_list.ts";
import { Finder } from "./find.ts";
import { type Page, PAGE_MESSAGES, type PageReader, readPage, trimTranscript } from "./pages.ts";
import { createState, loadTranscript, orderedMessages, reduce, type State } from "./reducer.ts";
import type { ServerStatusKeeper } from "./server_status.ts";
import { TitleGuard } from "./title_guard.ts";
import { readTodos } from "./history.ts";

export type Transcript = ipc.Transcript.$Properties;

export interface SessionsOptions {
  client: OpencodeClient;
  status: ServerStatusKeeper;
  /** Changes every window must see, in order. */
  onChanges: (changes: Event[]) => void;
  /** Changes must reach the windows now (before a reply or another push). */
  flush: () => void;
  onCatalog: (catalog: Catalog) => void;
  /** The project directory became known. */
  onDirectory: (dir: string) => void;
  directory?: string;
  watchdogMs?: number;
  /** Whether a window shows this session now: its transcript is never evicted. */
  isShown?: (sessionId: string) => boolean;
  /** Sessions the windows need whether or not they are in the list's pages (open in tabs). */
  wanted?: () => string[];
}

const Busy = ipc.SessionStatusType;
/** Pauses before reading the catalog again after a failure. */
const CATALOG_RETRY_MS = [1_000, 3_000, 10_000, 30_000];
/** Pause between the two aborts of a stop, as OpenCode's own client does. */
const SECOND_ABORT_MS = 200;
/** Transcripts the core keeps at most; beyond, the least recently used that no window shows go. */
export const HELD_TRANSCRIPTS = 12;

export class Sessions {
  readonly client: OpencodeClient;
  readonly state: State = createState();
  /** Find in session: searches what the server stored (see find.ts). */
  readonly finder: Finder;
  /** How much of the session list is read (session_list.ts). */
  readonly list: SessionList;
  #opts: SessionsOptions;
  #events: EventStream | null = null;
  #directory = "";
  #loading = new Map<string, Promise<Transcript>>();
  /** Transcripts by last use, the most recent last. */
  #used = new Set<string>();
  #stopped = new Map<string, StoppedTurn>();
  #catalog: Catalog = { agents: [], providers: [] };
  #titles = new TitleGuard();
  #closed = false;

  constructor(opts: SessionsOptions) {
    this.client = opts.client;
    this.#opts = opts;
    this.finder = new Finder((id) => this.client.messages(id));
    this.list = new SessionList((q) => this.client.listSessions(q));
    if (opts.directory) this.#setDirectory(opts.directory);
  }

  get directory(): string {
    return this.#directory;
  }

  get catalog(): Catalog {
    return this.#catalog;
  }

  #setDirectory(dir: string): void {
    this.#directory = dir;
    // Scope every call, the session list included, to this directory (docs/opencode-api.md).
    this.client.directory = dir;
    this.#opts.onDirectory(dir);
  }

  /** Learns the project directory, then subscribes to events (the snapshot follows on open). */
  async start(): Promise<void> {
    if (!this.#directory) {
      try {
        this.#setDirectory((await this.client.path()).directory);
      } catch (err) {
        if (!(err instanceof OpencodeError)) throw err;
        this.#opts.status.down(err.message);
      }
    }
    this.#events = new EventStream({
      url: this.client.url("/event"),
      headers: this.client.headers,
      watchdogMs: this.#opts.watchdogMs,
      onOpen: () => this.#snapshot(),
      onEvent: (e) => this.apply(e),
      onState: (s, detail, attempt) => this.#opts.status.stream(s, detail, attempt),
    });
    this.#events.start();
  }

  /**
   * Follows the client to another server: the event stream closes, everything known about the
   * old server is forgotten (windows resync), and the new server's directory (`directory`, or its
   * own) and snapshot are read as at start.
   */
  async restart(directory?: string): Promise<void> {
    await this.#events?.close();
    this.#events = null;
    this.state.sessions.clear();
    this.state.transcripts.clear();
    this.state.permissions.clear();
    this.state.questions.clear();
    this.#loading.clear();
    this.#stopped.clear();
    this.list.reset();
    this.#catalog = { agents: [], providers: [] };
    this.#directory = "";
    this.client.directory = "";
    if (directory) this.#setDirectory(directory);
    await this.start();
  }

  /** Asks the event stream to reconnect now (e.g. after the app restarted its server). */
  reconnect(): void {
    this.#events?.reconnectNow();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#events?.close();
  }

  /** Feeds one OpenCode event through the reducer (public for tests and replay). */
  apply(event: OcEvent): void {
    if (event.type === "server.instance.disposed") {
      // Normal after an auth change: the server closes /event; we resync on reopen.
      return;
    }
    const sessionId = String(event.properties?.sessionID ?? "");
    const stopped = this.#stopped.get(sessionId);
    if (stopped) {
      if (startsNewTurn(stopped, event)) this.#stopped.delete(sessionId);
      else if (isLateEvent(stopped, event)) return;
    }
    this.#reduce(event);
    if (event.type.startsWith("message.")) this.finder.changed(sessionId);
    if (event.type === "session.updated") this.#keepChosenTitle(sessionId);
    if (event.type === "session.idle") this.#dropStale(sessionId);
  }

  /** Runs one event through the reducer and passes its changes on. */
  #reduce(event: OcEvent): void {
    const changes = reduce(this.state, event);
    if (!changes.length) return;
    this.#opts.onChanges(changes);
    if (event.type === "message.updated") {
      const t = this.state.transcripts.get(changes[0].messageUpdated?.sessionId ?? "");
      if (t) trimTranscript(t);
    }
  }

  /**
   * A turn that ended leaves nothing to answer: requests still pending were left behind by a stop
   * (from this app or another client); reject them so no window keeps showing them.
   */
  #dropStale(sessionId: string): void {
    const stale = this.permissions().some((p) => p.sessionId === sessionId) ||
      this.questions().some((q) => q.sessionId === sessionId);
    if (!stale) return;
    this.#rejectPending(sessionId).catch((err) => {
      if (!(err instanceof OpencodeError)) throw err;
      console.warn(`opencode-desk: ${err.message}`);
    });
  }

  #keepChosenTitle(sessionId: string): void {
    const restore = this.#titles.check(sessionId, this.state.sessions.get(sessionId)?.title);
    if (restore === null) return;
    this.client.renameSession(sessionId, restore).catch((err) => {
      if (!(err instanceof OpencodeError)) throw err;
      console.warn(`opencode-desk: ${err.message}`);
    });
  }

  sessions(): Session[] {
    return [...this.state.sessions.values()].sort((a, b) =>
      (b.timeUpdated ?? 0) - (a.timeUpdated ?? 0)
    );
  }

  session(id: string): Session | undefined {
    return this.state.sessions.get(id);
  }

  permissions(): Permission[] {
    return [...this.state.permissions.values()];
  }

  questions(): Question[] {
    return [...this.state.questions.values()];
  }

  /**
   * Reads the session list's first page, or after a reconnect the range the windows hold again
   * (what the server no longer has is removed), and every status; sessions the windows need
   * beyond the page (open in tabs, busy) are read by id.
   */
  async refreshSessions(): Promise<void> {
    const again = this.list.started;
    const [page, status] = await Promise.all([
      again ? this.list.reread() : this.list.first(),
      this.client.sessionStatus(),
    ]);
    const live = page.filter((s) => !s.time?.archived);
    if (again) {
      for (const id of goneFrom(this.sessions(), live, this.list.state.until)) {
        this.#reduce({ type: "session.deleted", properties: { sessionID: id } });
      }
    }
    for (const s of live) this.#reduce({ type: "session.updated", properties: { info: s } });
    for (const id of this.state.sessions.keys()) {
      this.#reduce({
        type: "session.status",
        properties: { sessionID: id, status: status[id] ?? { type: "idle" } },
      });
    }
    await this.#readWanted([...(this.#opts.wanted?.() ?? []), ...Object.keys(status)], status);
    this.#listChanged();
  }

  /** Reads by id the sessions in `ids` not known yet (one the server lacks is left out). */
  async #readWanted(ids: string[], status: Record<string, { type: string }> = {}): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => id && !this.state.sessions.has(id));
    const read = await Promise.all(missing.map((id) =>
      this.client.getSession(id).catch((err) => {
        if (!(err instanceof OpencodeError) || err.status !== 404) throw err;
        return null;
      })
    ));
    for (const s of read) {
      if (!s) continue;
      this.#reduce({ type: "session.updated", properties: { info: s } });
      const st = status[s.id];
      if (st) this.#reduce({ type: "session.status", properties: { sessionID: s.id, status: st } });
    }
  }

  #listChanged(): void {
    this.#opts.onChanges([{ sessionList: this.list.state }]);
  }

  /** Reads further back into the session list (the person scrolled to its end). */
  async loadMoreSessions(): Promise<void> {
    const page = await this.list.more();
    for (const s of page) {
      if (s.time?.archived) continue;
      this.#reduce({ type: "session.updated", properties: { info: s } });
    }
    this.#listChanged();
  }

  /** Sessions whose title contains `query`, as the server finds them (known statuses kept). */
  async searchSessions(query: string): Promise<{ sessions: Session[]; more: boolean }> {
    const found = await this.list.search(query);
    return {
      sessions: found.sessions.filter((s) => !s.time?.archived).map((s) =>
        toSession(s, this.state.sessions.get(s.id)?.status ?? undefined)
      ),
      more: found.more,
    };
  }

  /** A session the server has: known already, or read from the server (NotFoundError if not). */
  async ensureSession(id: string): Promise<Session> {
    const known = this.state.sessions.get(id);
    if (known) return known;
    try {
      this.#reduce({
        type: "session.updated",
        properties: { info: await this.client.getSession(id) },
      });
    } catch (err) {
      if (err instanceof OpencodeError && err.status === 404) {
        throw new NotFoundError(`Cannot open session ${id}: the server does not have it`);
      }
      throw err;
    }
    return this.state.sessions.get(id)!;
  }

  async createSession(title?: string): Promise<Session> {
    const s = await this.client.createSession(title);
    this.#reduce({ type: "session.created", properties: { info: s } });
    loadTranscript(this.state, s.id, []);
    this.#touch(s.id);
    return this.state.sessions.get(s.id)!;
  }

  async renameSession(sessionId: string, title: string): Promise<Session> {
    const clean = title.trim();
    if (!clean) throw new TypeError("Cannot rename a session: the title is empty");
    this.#titles.renamed(sessionId, this.state.sessions.get(sessionId)?.title ?? "", clean);
    const info = await this.client.renameSession(sessionId, clean);
    this.#reduce({ type: "session.updated", properties: { info } });
    return this.state.sessions.get(sessionId)!;
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.client.deleteSession(sessionId);
    this.#titles.forget(sessionId);
    this.apply({ type: "session.deleted", properties: { sessionID: sessionId } });
  }

  /**
   * A session's transcript as the core keeps it: its newest messages (whole turns, about a page,
   * more once replies streamed in), read from the server the first time.
   */
  openSession(sessionId: string): Promise<Transcript> {
    this.#touch(sessionId);
    if (this.state.transcripts.has(sessionId)) {
      return Promise.resolve(this.transcript(sessionId));
    }
    let p = this.#loading.get(sessionId);
    if (!p) {
      p = this.#load(sessionId).finally(() => this.#loading.delete(sessionId));
      this.#loading.set(sessionId, p);
    }
    return p;
  }

  /**
   * The page of messages before `before` (a transcript's cursor), or with `until` every page back
   * to that message. Read from the server and handed on; the core keeps only the newest page.
   */
  async loadOlder(sessionId: string, before: string, until = ""): Promise<Transcript> {
    if (!before) throw new TypeError("Cannot load older messages: before is required");
    this.#touch(sessionId);
    const [session, page] = await Promise.all([
      this.ensureSession(sessionId),
      readPage(this.#reader(sessionId), PAGE_MESSAGES, before, until),
    ]);
    const scratch = createState();
    const t = loadTranscript(scratch, sessionId, page.messages, page.before);
    return { session, messages: orderedMessages(t), before: t.before };
  }

  /** No tab shows this session any more: its transcript goes (it reloads on demand). */
  dropTranscript(sessionId: string): void {
    this.state.transcripts.delete(sessionId);
    this.#used.delete(sessionId);
  }

  #reader(sessionId: string): PageReader {
    return (limit, before) => this.client.messagesPage(sessionId, limit, before);
  }

  async #load(sessionId: string): Promise<Transcript> {
    const [, page, todos] = await Promise.all([
      this.ensureSession(sessionId),
      readPage(this.#reader(sessionId), PAGE_MESSAGES),
      readTodos(this.client, sessionId),
    ]);
    this.state.todos.set(sessionId, todos);
    loadTranscript(this.state, sessionId, page.messages, page.before);
    this.#evict();
    return this.transcript(sessionId);
  }

  #touch(sessionId: string): void {
    this.#used.delete(sessionId);
    this.#used.add(sessionId);
  }

  /**
   * Keeps at most `HELD_TRANSCRIPTS` transcripts: the least recently used that no window shows
   * and that is not streaming goes, and the windows are told (they read it again when shown).
   */
  #evict(): void {
    let over = this.state.transcripts.size - HELD_TRANSCRIPTS;
    for (const id of [...this.#used]) {
      if (over <= 0) return;
      if (!this.state.transcripts.has(id)) {
        this.#used.delete(id);
        continue;
      }
      if (this.#opts.isShown?.(id) || this.#running(id)) continue;
      this.dropTranscript(id);
      this.#opts.onChanges([{ transcriptEvicted: id }]);
      over--;
    }
  }

  #running(sessionId: string): boolean {
    const type = this.state.sessions.get(sessionId)?.status?.type;
    return type === Busy.SESSION_STATUS_TYPE_BUSY || type === Busy.SESSION_STATUS_TYPE_RETRY;
  }

  transcript(sessionId: string): Transcript {
    const t = this.state.transcripts.get(sessionId);
    return {
      session: this.state.sessions.get(sessionId) ?? { id: sessionId },
      messages: t ? orderedMessages(t) : [],
      todos: this.state.todos.get(sessionId) ?? [],
      before: t?.before ?? "",
    };
  }

  async send(sessionId: string, input: PromptInput): Promise<void> {
    if (!input.text.trim() && !input.files?.length) {
      throw new TypeError("Cannot send a message: it is empty");
    }
    if (!this.state.transcripts.has(sessionId)) await this.openSession(sessionId);
    this.#stopped.delete(sessionId);
    await this.client.promptAsync(sessionId, input);
  }

  /**
   * Stops the turn: aborts on the server (twice, ~200 ms apart, as OpenCode's own client does),
   * shows running tools as aborted, drops late events of the turn, and rejects the permission
   * requests and questions the server leaves pending after an abort (docs/opencode-api.md).
   */
  async abort(sessionId: string): Promise<void> {
    const { turn, changes } = stopTurn(this.state, sessionId);
    this.#stopped.set(sessionId, turn);
    if (changes.length) this.#opts.onChanges(changes);
    await this.client.abort(sessionId);
    await new Promise((r) => setTimeout(r, SECOND_ABORT_MS));
    await this.client.abort(sessionId).catch((err) => {
      if (!(err instanceof OpencodeError)) throw err;
    });
    await this.#rejectPending(sessionId);
  }

  async #rejectPending(sessionId: string): Promise<void> {
    // A request that is already gone (404) is as good as rejected.
    const gone = (err: unknown) => {
      if (!(err instanceof OpencodeError) || err.status !== 404) throw err;
    };
    for (const p of this.permissions().filter((p) => p.sessionId === sessionId)) {
      await this.client.replyPermission(p.id!, "reject").catch(gone);
      this.apply({
        type: "permission.replied",
        properties: { sessionID: sessionId, requestID: p.id, reply: "reject" },
      });
    }
    for (const q of this.questions().filter((q) => q.sessionId === sessionId)) {
      await this.client.rejectQuestion(q.id!).catch(gone);
      this.apply({
        type: "question.rejected",
        properties: { sessionID: sessionId, requestID: q.id },
      });
    }
  }

  async replyPermission(id: string, reply: ipc.PermissionReply, message?: string): Promise<void> {
    const word = permissionReplyWord(reply);
    const pending = this.state.permissions.get(id);
    if (!pending) throw new NotFoundError(`Cannot reply: permission ${id} is not pending`);
    await this.client.replyPermission(id, word, message);
    // permission.replied follows from the server for every client; resolve now for this one too.
    this.apply({
      type: "permission.replied",
      properties: { sessionID: pending.sessionId, requestID: id, reply: word },
    });
  }

  async replyQuestion(id: string, answers: string[][] | null): Promise<void> {
    const pending = this.state.questions.get(id);
    if (!pending) throw new NotFoundError(`Cannot answer: question ${id} is not pending`);
    if (answers) await this.client.replyQuestion(id, answers);
    else await this.client.rejectQuestion(id);
    this.apply({
      type: answers ? "question.replied" : "question.rejected",
      properties: { sessionID: pending.sessionId, requestID: id },
    });
  }

  async refreshCatalog(): Promise<Catalog> {
    const [agents, providers, config] = await Promise.all([
      this.client.agents(),
      this.client.providers(),
      this.client.config(),
    ]);
    this.#catalog = toCatalog(agents, providers, config);
    this.#opts.onCatalog(this.#catalog);
    return this.#catalog;
  }

  /** Re-reads everything from the server; runs on every (re)connect of /event. */
  async #snapshot(): Promise<void> {
    try {
      if (!this.#directory) this.#setDirectory((await this.client.path()).directory);
      const [, permissions, questions] = await Promise.all([
        this.refreshSessions(),
        this.client.permissions(),
        this.client.questions().catch((err) => {
          if (!(err instanceof OpencodeError)) throw err;
          return []; // older servers have no question tool
        }),
      ]);
      // Pending requests: what the server no longer has is resolved, the rest (re)asked.
      const livePermissions = new Set(permissions.map((p) => p.id));
      const liveQuestions = new Set(questions.map((q) => q.id));
      for (const [id, p] of this.state.permissions) {
        if (livePermissions.has(id)) continue;
        this.#reduce({
          type: "permission.replied",
          properties: { sessionID: p.sessionId, requestID: id },
        });
      }
      for (const [id, q] of this.state.questions) {
        if (liveQuestions.has(id)) continue;
        this.#reduce({
          type: "question.rejected",
          properties: { sessionID: q.sessionId, requestID: id },
        });
      }
      // Sessions waiting for the person are listed even when older than the first page.
      await this.#readWanted([...permissions, ...questions].map((r) => String(r.sessionID ?? "")));
      for (const raw of permissions) {
        this.#reduce({ type: "permission.asked", properties: { ...raw } });
      }
      for (const raw of questions) this.#reduce({ type: "question.asked", properties: { ...raw } });
      // Every transcript the core keeps, read concurrently: as many of the newest messages as
      // it kept (a window replaces from the first one it gets, and keeps its older pages).
      const open = [...this.state.transcripts.keys()].filter((id) => this.state.sessions.has(id));
      const stored: Page[] = await Promise.all(open.map((id) => {
        const kept = this.state.transcripts.get(id)?.messages.size ?? 0;
        return readPage(this.#reader(id), Math.max(PAGE_MESSAGES, kept));
      }));
      const replaced: Event[] = [];
      open.forEach((id, i) => {
        // Streamed text the server has not stored is kept only while the turn still runs: a
        // server that died mid-reply stored "" and will never finish it (nor send a snapshot).
        if (!this.#running(id)) this.state.transcripts.delete(id);
        loadTranscript(this.state, id, stored[i].messages, stored[i].before);
        replaced.push({ transcriptReplaced: this.transcript(id) });
      });
      if (replaced.length) this.#opts.onChanges(replaced);
      this.#opts.flush();
    } catch (err) {
      if (!(err instanceof OpencodeError)) throw err;
      console.warn(`opencode-desk: ${err.message}`);
    }
    await this.#loadCatalog();
  }

  /**
   * Reads the catalog, trying again a few times when the server is slow to answer (its provider
   * list can take long on a busy machine): without it no window can pick an agent or a model.
   */
  async #loadCatalog(): Promise<void> {
    for (const pause of CATALOG_RETRY_MS) {
      try {
        await this.refreshCatalog();
        return;
      } catch (err) {
        if (!(err instanceof OpencodeError)) throw err;
        console.warn(`opencode-desk: ${err.message}; reading the catalog again in ${pause} ms`);
      }
      await new Promise((r) => setTimeout(r, pause));
      if (this.#closed) return;
    }
  }
}
