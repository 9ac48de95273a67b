/**
 * The OpenCode side of the core's state: sessions, their statuses, pending permissions and
 * questions, the transcripts windows opened, and the catalog of agents and models. It takes a
 * fresh snapshot whenever the event stream (re)connects, feeds every event (and every change it
 * makes itself) through the reducer, and hands the resulting changes to `onChanges`.
 */
import { ipc } from "../../proto/gen/ipc.js";
import { type OpencodeClient, OpencodeError, type PromptInput } from "../opencode/client.ts";
import { type DirectedEvent, EventStream } from "../opencode/events.ts";
import type {
  OcAgent,
  OcConfig,
  OcEvent,
  OcPermission,
  OcProviderList,
  OcQuestion,
} from "../opencode/types.ts";
import { type Catalog, toCatalog, withKnownConnected } from "./catalog.ts";
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
import { pendingEvents } from "./pending.ts";
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
  /** More project directories to read on every snapshot (those of open tabs). */
  directories?: () => string[];
}

const Busy = ipc.SessionStatusType;
/** Pauses before reading the catalog again after a failure. */
const CATALOG_RETRY_MS = [1_000, 3_000, 10_000, 30_000];
/** How long after a snapshot the catch-up read runs (see `#catchUp`), and how far it reaches. */
const CATCH_UP_MS = 500;
export const CATCH_UP_SESSIONS = 20;
/** How long the whole provider list (several MB) may take a busy server to write. */
const PROVIDER_LIST_TIMEOUT_MS = 60_000;
/** Pause between the two aborts of a stop, as OpenCode's own client does. */
const SECOND_ABORT_MS = 200;
/** Events that end a pending request. */
const RESOLVED = new Set(["permission.replied", "question.replied", "question.rejected"]);
/** Transcripts the core keeps at most; beyond, the least recently used that no window shows go. */
export const HELD_TRANSCRIPTS = 12;

export class Sessions {
  readonly client: OpencodeClient;
  readonly state: State = createState();
  /** Find in session: searches what the server stored (see find.ts). */
  readonly finder: Finder;
  /** How much of each project's session list is read (session_list.ts), by directory. */
  #lists = new Map<string, SessionList>();
  #opts: SessionsOptions;
  #events: EventStream | null = null;
  #directory = "";
  #loading = new Map<string, Promise<Transcript>>();
  /** Transcripts by last use, the most recent last. */
  #used = new Set<string>();
  #stopped = new Map<string, StoppedTurn>();
  #catalog: Catalog = { agents: [], providers: [] };
  #providerList: Promise<OcProviderList> | null = null;
  /** The last whole provider list read (see `refreshCatalog`). */
  #fullList: OcProviderList | null = null;
  #catalogReads = 0;
  #snapshots = 0;
  /** While a catch-up read runs: every id an event named since it began. */
  #seen: Set<string> | null = null;
  #titles = new TitleGuard();
  #closed = false;
  /** Project directories opened besides the startup one: their sessions are kept too. */
  #opened = new Set<string>();
  /** The directory of each pending permission or question, as the server named it. */
  #requestDirs = new Map<string, string>();

  constructor(opts: SessionsOptions) {
    this.client = opts.client;
    this.#opts = opts;
    this.finder = new Finder((id) => this.clientFor(id).messages(id));
    if (opts.directory) this.#setDirectory(opts.directory);
  }

  get directory(): string {
    return this.#directory;
  }

  get catalog(): Catalog {
    return this.#catalog;
  }

  /** The project directory of a session (the startup one while it is unknown). */
  dirOf(sessionId: string): string {
    return this.state.sessions.get(sessionId)?.directory || this.#directory;
  }

  /** The client for calls about this session: they go to its own directory's instance. */
  clientFor(sessionId: string): OpencodeClient {
    return this.client.at(this.dirOf(sessionId));
  }

  /** Every project directory the core reads: the startup one, the opened ones, the tabs' ones. */
  directories(): string[] {
    const all = new Set([this.#directory, ...this.#opened, ...(this.#opts.directories?.() ?? [])]);
    all.delete("");
    return [...all];
  }

  /**
   * Holds a project's sessions and pending requests from now on; the first time, reads them
   * (later switches are instant: the events of every project keep them current).
   */
  async openProject(dir: string): Promise<void> {
    const known = this.directories().includes(dir);
    this.#opened.add(dir);
    if (!known) await this.#readProjects([dir]);
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
    // One stream for every project: each event says its directory (docs/opencode-api.md §5.1).
    this.#events = new EventStream({
      url: this.client.url("/global/event", {}, ""),
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
    this.#requestDirs.clear();
    this.#loading.clear();
    this.#stopped.clear();
    this.#lists.clear();
    this.#catalog = { agents: [], providers: [] };
    this.#providerList = null;
    this.#fullList = null;
    this.#catalogReads++; // a read of the old server still under way is dropped
    this.#snapshots++; // and so is a catch-up read
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
  apply(event: DirectedEvent): void {
    if (event.type === "server.instance.disposed") {
      // Normal after an auth change: that directory's state is read again.
      this.#disposed(String(event.properties.directory ?? event.directory ?? ""));
      return;
    }
    const requestId = event.properties?.id;
    if (event.directory && typeof requestId === "string" && event.type.endsWith(".asked")) {
      this.#requestDirs.set(requestId, event.directory);
    }
    const sessionId = String(event.properties?.sessionID ?? "");
    if (this.#seen) noteIds(this.#seen, event);
    const stopped = this.#stopped.get(sessionId);
    if (stopped) {
      if (startsNewTurn(stopped, event)) this.#stopped.delete(sessionId);
      else if (isLateEvent(stopped, event)) return;
    }
    this.#reduce(event);
    if (RESOLVED.has(event.type)) this.#requestDirs.delete(String(event.properties.requestID));
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
    this.clientFor(sessionId).renameSession(sessionId, restore).catch((err) => {
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
   * Reads one project directory's session list (the startup one unless given): its first page,
   * or after a reconnect the range the windows hold again (what the server no longer has there is
   * removed), and its statuses; sessions the windows need beyond the page (open in tabs, busy)
   * are read by id.
   */
  async refreshSessions(directory = this.#directory): Promise<void> {
    const dir = directory || this.#directory;
    const list = this.listFor(dir);
    const client = this.client.at(dir);
    const again = list.started;
    const [page, status] = await Promise.all([
      again ? list.reread() : list.first(),
      client.sessionStatus(),
    ]);
    const live = page.filter((s) => !s.time?.archived);
    if (again) {
      const here = this.sessions().filter((s) => (s.directory || this.#directory) === dir);
      for (const id of goneFrom(here, live, list.state.until)) {
        this.#reduce({ type: "session.deleted", properties: { sessionID: id } });
      }
    }
    for (const s of live) this.#reduce({ type: "session.updated", properties: { info: s } });
    for (const [id, s] of this.state.sessions) {
      if ((s.directory || this.#directory) !== dir) continue; // another project's statuses
      this.#reduce({
        type: "session.status",
        properties: { sessionID: id, status: status[id] ?? { type: "idle" } },
      });
    }
    await this.#readWanted(
      dir,
      [...(this.#opts.wanted?.() ?? []), ...Object.keys(status)],
      status,
    );
    this.#listChanged(dir);
  }

  /**
   * Reads by id, in project directory `dir`, the sessions in `ids` not known yet (one the server
   * lacks there is left out: another project's is read with that project).
   */
  async #readWanted(
    dir: string,
    ids: string[],
    status: Record<string, { type: string }> = {},
  ): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => id && !this.state.sessions.has(id));
    const client = this.client.at(dir);
    const read = await Promise.all(missing.map((id) =>
      client.getSession(id).catch((err) => {
        if (!(err instanceof OpencodeError) || err.status >= 500) throw err;
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

  /** The session list of a project directory (the startup one unless given). */
  listFor(directory = ""): SessionList {
    const dir = directory || this.#directory;
    let list = this.#lists.get(dir);
    if (!list) {
      list = new SessionList((q) => this.client.at(dir).listSessions(q));
      this.#lists.set(dir, list);
    }
    return list;
  }

  /** How far each project's list reaches, for the windows (`SessionListState`). */
  listStates(): ipc.SessionListState.$Properties[] {
    return [...this.#lists].map(([directory, list]) => ({ ...list.state, directory }));
  }

  #listChanged(dir: string): void {
    this.#opts.onChanges([{ sessionList: { ...this.listFor(dir).state, directory: dir } }]);
  }

  /** Reads further back into a project's session list (the person scrolled to its end). */
  async loadMoreSessions(directory = ""): Promise<void> {
    const dir = directory || this.#directory;
    const page = await this.listFor(dir).more();
    for (const s of page) {
      if (s.time?.archived) continue;
      this.#reduce({ type: "session.updated", properties: { info: s } });
    }
    this.#listChanged(dir);
  }

  /** Sessions whose title contains `query`, as the server finds them (known statuses kept). */
  async searchSessions(
    query: string,
    directory = "",
  ): Promise<{ sessions: Session[]; more: boolean }> {
    const found = await this.listFor(directory).search(query);
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

  /** A new session in a project directory (the startup one unless given). */
  async createSession(title?: string, directory = ""): Promise<Session> {
    if (directory) this.#opened.add(directory);
    const s = await this.client.at(directory).createSession(title);
    this.#reduce({ type: "session.created", properties: { info: s } });
    loadTranscript(this.state, s.id, []);
    this.#touch(s.id);
    return this.state.sessions.get(s.id)!;
  }

  async renameSession(sessionId: string, title: string): Promise<Session> {
    const clean = title.trim();
    if (!clean) throw new TypeError("Cannot rename a session: the title is empty");
    this.#titles.renamed(sessionId, this.state.sessions.get(sessionId)?.title ?? "", clean);
    const info = await this.clientFor(sessionId).renameSession(sessionId, clean);
    this.#reduce({ type: "session.updated", properties: { info } });
    return this.state.sessions.get(sessionId)!;
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.clientFor(sessionId).deleteSession(sessionId);
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
    return (limit, before) => this.clientFor(sessionId).messagesPage(sessionId, limit, before);
  }

  async #load(sessionId: string): Promise<Transcript> {
    const [, page, todos] = await Promise.all([
      this.ensureSession(sessionId),
      readPage(this.#reader(sessionId), PAGE_MESSAGES),
      readTodos(this.clientFor(sessionId), sessionId),
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
    await this.clientFor(sessionId).promptAsync(sessionId, input);
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
    const client = this.clientFor(sessionId);
    await client.abort(sessionId);
    await new Promise((r) => setTimeout(r, SECOND_ABORT_MS));
    await client.abort(sessionId).catch((err) => {
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
      await this.#requestClient(p.id!, sessionId).replyPermission(p.id!, "reject").catch(gone);
      this.apply({
        type: "permission.replied",
        properties: { sessionID: sessionId, requestID: p.id, reply: "reject" },
      });
    }
    for (const q of this.questions().filter((q) => q.sessionId === sessionId)) {
      await this.#requestClient(q.id!, sessionId).rejectQuestion(q.id!).catch(gone);
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
    await this.#requestClient(id, pending.sessionId ?? "").replyPermission(id, word, message);
    // permission.replied follows from the server for every client; resolve now for this one too.
    this.apply({
      type: "permission.replied",
      properties: { sessionID: pending.sessionId, requestID: id, reply: word },
    });
  }

  async replyQuestion(id: string, answers: string[][] | null): Promise<void> {
    const pending = this.state.questions.get(id);
    if (!pending) throw new NotFoundError(`Cannot answer: question ${id} is not pending`);
    const client = this.#requestClient(id, pending.sessionId ?? "");
    if (answers) await client.replyQuestion(id, answers);
    else await client.rejectQuestion(id);
    this.apply({
      type: answers ? "question.replied" : "question.rejected",
      properties: { sessionID: pending.sessionId, requestID: id },
    });
  }

  /** A reply to a pending request goes to the directory it was asked in (else its session's). */
  #requestClient(requestId: string, sessionId: string): OpencodeClient {
    return this.client.at(this.#requestDirs.get(requestId) ?? this.dirOf(sessionId));
  }

  /**
   * The server's providers as last read (the catalog's read, shared): with every provider
   * OpenCode knows this is megabytes the server takes seconds to write, so the settings reuse it
   * rather than asking again each time they open. `fresh` reads it again (after a key change).
   */
  providerList(fresh = false): Promise<OcProviderList> {
    if (fresh || !this.#providerList) {
      const read = this.client.providers(PROVIDER_LIST_TIMEOUT_MS);
      this.#providerList = read;
      read.catch(() => {
        if (this.#providerList === read) this.#providerList = null;
      });
    }
    return this.#providerList;
  }

  /**
   * Reads the agents and the connected providers' models (quick), then, in the background, the
   * whole provider list, which adds the names of the providers not connected.
   */
  async refreshCatalog(): Promise<Catalog> {
    const read = ++this.#catalogReads;
    const [agents, connected, config] = await Promise.all([
      this.client.agents(),
      this.client.connectedProviders(),
      this.client.config(),
    ]);
    this.#catalog = toCatalog(agents, withKnownConnected(connected, this.#fullList), config);
    this.#opts.onCatalog(this.#catalog);
    this.#addUnconnected(read, agents, config).catch((err) => {
      console.error(`opencode-desk: cannot list the providers not connected: ${err}`);
    });
    return this.#catalog;
  }

  /**
   * Catalog read `read` is made whole from the full provider list (the names of the providers not
   * connected, and any connected one the quick read left out), retried a few times.
   */
  async #addUnconnected(read: number, agents: OcAgent[], config: OcConfig): Promise<void> {
    for (const pause of CATALOG_RETRY_MS) {
      try {
        const all = await this.providerList(true);
        if (read !== this.#catalogReads || this.#closed) return;
        // Its own `connected` is the one to trust: `/config/providers` leaves out a provider
        // signed in by OAuth (Anthropic's subscription) that `/provider` lists as connected.
        this.#fullList = all;
        this.#catalog = toCatalog(agents, all, config);
        this.#opts.onCatalog(this.#catalog);
        return;
      } catch (err) {
        if (!(err instanceof OpencodeError)) throw err;
        console.warn(`opencode-desk: ${err.message}; reading the providers again in ${pause} ms`);
      }
      await new Promise((r) => setTimeout(r, pause));
      if (read !== this.#catalogReads || this.#closed) return;
    }
  }

  /** Re-reads everything from the server; runs on every (re)connect of /event. */
  async #snapshot(): Promise<void> {
    try {
      if (!this.#directory) this.#setDirectory((await this.client.path()).directory);
      const dirs = this.directories();
      await this.#readProjects(dirs);
      await this.#rereadTranscripts(() => true);
      this.#opts.flush();
      this.#catchUp(dirs);
    } catch (err) {
      if (!(err instanceof OpencodeError)) throw err;
      console.warn(`opencode-desk: ${err.message}`);
    }
    await this.#loadCatalog();
  }

  /**
   * OpenCode 1.18 sends `server.connected` on `/global/event` a moment before it listens: what
   * happens in the next ~20 ms never arrives (docs/opencode-api.md §5.1). A while after each
   * snapshot, the newest sessions, pending requests and busy statuses are read once more and
   * only what no event has spoken of since is added: nothing is removed or resolved, and nothing
   * an event changed meanwhile is overwritten.
   */
  #catchUp(dirs: string[]): void {
    const snapshot = ++this.#snapshots;
    const seen = new Set<string>();
    const run = async () => {
      await new Promise((r) => setTimeout(r, CATCH_UP_MS));
      if (this.#closed || snapshot !== this.#snapshots) return;
      this.#seen = seen;
      const read = await Promise.all(dirs.map(async (dir) => {
        const client = this.client.at(dir);
        const [sessions, status, { permissions, questions }] = await Promise.all([
          client.listSessions({ limit: CATCH_UP_SESSIONS }),
          client.sessionStatus(),
          readPending(client),
        ]);
        return { directory: dir, sessions, status, permissions, questions };
      }));
      if (this.#closed || snapshot !== this.#snapshots) return;
      const fresh = (id: string) => !seen.has(id);
      for (const { directory, sessions, status, permissions, questions } of read) {
        for (const info of sessions) {
          if (info.time?.archived || this.state.sessions.has(info.id) || !fresh(info.id)) continue;
          this.apply({ type: "session.created", properties: { info }, directory });
        }
        for (const [id, st] of Object.entries(status)) {
          const known = this.state.sessions.get(id);
          if (!known || !fresh(id) || st.type === "idle") continue;
          this.apply({
            type: "session.status",
            properties: { sessionID: id, status: st },
            directory,
          });
        }
        for (const p of permissions) {
          if (this.state.permissions.has(p.id) || !fresh(p.id) || !fresh(p.sessionID)) continue;
          this.apply({ type: "permission.asked", properties: { ...p }, directory });
        }
        for (const q of questions) {
          if (this.state.questions.has(q.id) || !fresh(q.id) || !fresh(q.sessionID)) continue;
          this.apply({ type: "question.asked", properties: { ...q }, directory });
        }
      }
      this.#opts.flush();
    };
    run().catch((err) => {
      if (!(err instanceof OpencodeError)) throw err;
      console.warn(`opencode-desk: ${err.message}`);
    }).finally(() => {
      if (this.#seen === seen) this.#seen = null;
    });
  }

  /**
   * Reads the sessions and pending requests of these project directories: what the server no
   * longer has there is resolved, the rest (re)asked.
   */
  async #readProjects(dirs: string[]): Promise<void> {
    const pending = await Promise.all(dirs.map(async (dir) => {
      const client = this.client.at(dir);
      const [, { permissions, questions }] = await Promise.all([
        this.refreshSessions(dir),
        readPending(client),
      ]);
      for (const r of [...permissions, ...questions]) this.#requestDirs.set(r.id, dir);
      // Sessions waiting for the person are listed even when older than the first page.
      await this.#readWanted(
        dir,
        [...permissions, ...questions].map((r) => String(r.sessionID ?? "")),
      );
      return { permissions, questions };
    }));
    const read = new Set(dirs);
    const live = {
      permissions: pending.flatMap((p) => p.permissions),
      questions: pending.flatMap((p) => p.questions),
    };
    const wasRead = (id: string, sessionId: string) =>
      read.has(this.#requestDirs.get(id) ?? this.dirOf(sessionId));
    for (const e of pendingEvents(this.state, live, wasRead)) this.#reduce(e);
  }

  /** A directory's instance was disposed (e.g. after an auth change): read again what it holds. */
  #disposed(dir: string): void {
    if (this.#closed) return;
    const whole = !dir || dir === this.#directory;
    if (!whole && !this.directories().includes(dir)) return;
    const read = whole ? this.#snapshot() : this.#readProjects([dir])
      .then(() => this.#rereadTranscripts((id) => this.dirOf(id) === dir))
      .then(() => this.#opts.flush());
    read.catch((err) => {
      if (!(err instanceof OpencodeError)) throw err;
      console.warn(`opencode-desk: ${err.message}`);
    });
  }

  /**
   * Every transcript the core keeps that `which` picks, read concurrently: as many of the newest
   * messages as it kept (a window replaces from the first one it gets, and keeps its older pages).
   */
  async #rereadTranscripts(which: (sessionId: string) => boolean): Promise<void> {
    const open = [...this.state.transcripts.keys()].filter((id) =>
      this.state.sessions.has(id) && which(id)
    );
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

/** Notes the session and request ids an event names. */
function noteIds(seen: Set<string>, event: OcEvent): void {
  const p = event.properties ?? {};
  for (const v of [p.sessionID, p.id, p.requestID, (p.info as { id?: unknown } | undefined)?.id]) {
    if (typeof v === "string" && v) seen.add(v);
  }
}

/** A project's pending permissions and questions (older servers have no question tool). */
async function readPending(
  client: OpencodeClient,
): Promise<{ permissions: OcPermission[]; questions: OcQuestion[] }> {
  const [permissions, questions] = await Promise.all([
    client.permissions(),
    client.questions().catch((err): OcQuestion[] => {
      if (!(err instanceof OpencodeError)) throw err;
      return [];
    }),
  ]);
  return { permissions, questions };
}
