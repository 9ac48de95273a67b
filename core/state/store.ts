/**
 * The store owner: one per app. It keeps the state of the OpenCode server (sessions, statuses,
 * pending permissions and questions, the transcripts some UI opened, the catalog of agents and
 * models) and the app's own (tabs, settings); takes a fresh snapshot whenever the event stream
 * (re)connects; feeds events through the reducer; and hands coalesced changes to its listeners.
 * Every decision about what the UI sees is made here; the bridge only carries it.
 */
import { ipc } from "../../proto/gen/ipc.js";
import { type OpencodeClient, OpencodeError, type PromptInput } from "../opencode/client.ts";
import { EventStream, type StreamState } from "../opencode/events.ts";
import type { OcEvent } from "../opencode/types.ts";
import {
  addRecent,
  cleanSettings,
  type Settings,
  type SettingsStore,
  type Workspace,
} from "../config/settings.ts";
import { Batcher } from "./batcher.ts";
import { type Catalog, toCatalog } from "./catalog.ts";
import { isLateEvent, startsNewTurn, type StoppedTurn, stopTurn } from "./cancel.ts";
import {
  type Event,
  type Permission,
  type Question,
  type Session,
  toSession,
  toStatus,
} from "./convert.ts";
import { createState, loadTranscript, orderedMessages, reduce, type State } from "./reducer.ts";

export type ServerStatus = ipc.ServerStatus.$Properties;
export type Transcript = ipc.Transcript.$Properties;

export type Push =
  | { events: { events: Event[] } }
  | { serverStatus: ServerStatus }
  | { catalog: Catalog }
  | { workspace: Workspace }
  | { settings: Settings };

export interface StoreOptions {
  client: OpencodeClient;
  /** Whether this app started the server (and will stop it). */
  owned: boolean;
  version?: string;
  /** The project directory; defaults to the server's own (`GET /path`). */
  directory?: string;
  /** Where tabs and settings persist; in memory only when absent. */
  settings?: SettingsStore;
  watchdogMs?: number;
}

const Conn = ipc.ConnectionState;
const REPLIES = new Set(["once", "always", "reject"]);

export class Store {
  readonly client: OpencodeClient;
  readonly state: State = createState();
  #listeners = new Set<(push: Push) => void>();
  #batcher: Batcher;
  #events: EventStream | null = null;
  #opts: StoreOptions;
  #server: ServerStatus;
  #directory = "";
  #loading = new Map<string, Promise<Transcript>>();
  #stopped = new Map<string, StoppedTurn>();
  #catalog: Catalog = { agents: [], providers: [] };
  #memoryWorkspace: Workspace = { tabs: [], activeSessionId: "" };
  #memorySettings: Settings = cleanSettings({});
  /** Titles the person chose; a server-generated title arriving later must not replace them. */
  #chosenTitles = new Map<string, { title: string; until: number }>();
  /** A note about the server (e.g. "restarted") that stays in the status until replaced. */
  #note = "";

  constructor(opts: StoreOptions) {
    this.client = opts.client;
    this.#server = {
      state: Conn.CONNECTION_STATE_CONNECTING,
      url: opts.client.baseUrl,
      version: opts.version ?? "",
      owned: opts.owned,
    };
    this.#opts = opts;
    this.#batcher = new Batcher((events) => this.#emit({ events: { events } }));
    if (opts.directory) this.#setDirectory(opts.directory);
  }

  get server(): ServerStatus {
    return { ...this.#server };
  }

  get directory(): string {
    return this.#directory;
  }

  get catalog(): Catalog {
    return this.#catalog;
  }

  #setDirectory(dir: string): void {
    this.#directory = dir;
    // Scope every call, the session list included, to this directory (API.md §9.5).
    this.client.directory = dir;
  }

  /** Learns the project directory, then subscribes to events (the snapshot follows on open). */
  async start(): Promise<void> {
    if (!this.#directory) {
      try {
        this.#setDirectory((await this.client.path()).directory);
      } catch (err) {
        if (!(err instanceof OpencodeError)) throw err;
        this.#setServer({ state: Conn.CONNECTION_STATE_DOWN, detail: err.message });
      }
    }
    this.#events = new EventStream({
      url: this.client.url("/event"),
      headers: this.client.headers,
      watchdogMs: this.#opts.watchdogMs,
      onOpen: () => this.#snapshot(),
      onEvent: (e) => this.apply(e),
      onState: (s, detail, attempt) => this.#onStreamState(s, detail, attempt),
    });
    this.#events.start();
  }

  /** Asks the event stream to reconnect now (e.g. after the app restarted its server). */
  reconnect(): void {
    this.#events?.reconnectNow();
  }

  /** Shows a note about the server in every status bar (e.g. "restarted"). */
  noteServer(detail: string): void {
    this.#note = detail;
    const { state, attempt } = this.#server;
    this.#setServer({ state, detail, attempt });
  }

  async close(): Promise<void> {
    this.#batcher.close();
    await this.#events?.close();
    await this.#opts.settings?.flush();
  }

  subscribe(listener: (push: Push) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sends queued changes now; call before any reply so replies never overtake pushes. */
  flush(): void {
    this.#batcher.flush();
  }

  /** Feeds one OpenCode event through the reducer (public for tests and replay). */
  apply(event: OcEvent): void {
    if (event.type === "server.instance.disposed") {
      // Normal (after an auth change, API.md §9.4): the server closes /event; we resync on reopen.
      return;
    }
    const sessionId = String(event.properties?.sessionID ?? "");
    const stopped = this.#stopped.get(sessionId);
    if (stopped) {
      if (startsNewTurn(stopped, event)) this.#stopped.delete(sessionId);
      else if (isLateEvent(stopped, event)) return;
    }
    const changes = reduce(this.state, event);
    if (event.type === "session.updated") this.#keepChosenTitle(sessionId);
    if (changes.length) this.#batcher.push(changes);
    if (event.type === "session.idle") this.#dropStale(sessionId);
  }

  /**
   * A turn that ended leaves nothing to answer: requests still pending were left behind by a stop
   * (from this app or another client, API.md §7.4); reject them so no window keeps showing them.
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

  /**
   * A rename made while the server's title generator was still running (the session had its
   * default "New session - …" title) can be overwritten by the generated title moments later.
   * Put the person's title back once, within a minute; any later change (the TUI, the HTTP API,
   * another person) is a real rename and stands.
   */
  #keepChosenTitle(sessionId: string): void {
    const guard = this.#chosenTitles.get(sessionId);
    const current = this.state.sessions.get(sessionId)?.title;
    if (!guard || current === undefined || current === guard.title) return;
    this.#chosenTitles.delete(sessionId);
    if (Date.now() > guard.until) return;
    this.client.renameSession(sessionId, guard.title).catch((err) => {
      if (!(err instanceof OpencodeError)) throw err;
      console.warn(`opencode-desk: ${err.message}`);
    });
  }

  sessions(): Session[] {
    return [...this.state.sessions.values()].sort((a, b) =>
      (b.timeUpdated ?? 0) - (a.timeUpdated ?? 0)
    );
  }

  permissions(): Permission[] {
    return [...this.state.permissions.values()];
  }

  questions(): Question[] {
    return [...this.state.questions.values()];
  }

  async refreshSessions(): Promise<Session[]> {
    const [list, status] = await Promise.all([
      this.client.listSessions(),
      this.client.sessionStatus(),
    ]);
    const fresh = new Map<string, Session>();
    for (const s of list) {
      if (s.time?.archived) continue;
      fresh.set(s.id, toSession(s, toStatus(status[s.id])));
    }
    const changes: Event[] = [];
    for (const id of this.state.sessions.keys()) {
      if (!fresh.has(id)) {
        changes.push({ sessionRemoved: id });
        this.state.transcripts.delete(id);
      }
    }
    for (const s of fresh.values()) changes.push({ sessionUpsert: s });
    this.state.sessions = fresh;
    this.#batcher.push(changes);
    return this.sessions();
  }

  async createSession(title?: string): Promise<Session> {
    const s = await this.client.createSession(title);
    const session = toSession(s);
    this.state.sessions.set(s.id, session);
    loadTranscript(this.state, s.id, []);
    this.#batcher.push([{ sessionUpsert: session }]);
    return session;
  }

  async renameSession(sessionId: string, title: string): Promise<Session> {
    const clean = title.trim();
    if (!clean) throw new TypeError("Cannot rename a session: the title is empty");
    const before = this.state.sessions.get(sessionId)?.title ?? "";
    if (/^New session - /.test(before)) {
      this.#chosenTitles.set(sessionId, { title: clean, until: Date.now() + 60_000 });
    }
    const s = toSession(await this.client.renameSession(sessionId, clean));
    const session = { ...s, status: this.state.sessions.get(sessionId)?.status ?? s.status };
    this.state.sessions.set(sessionId, session);
    this.#batcher.push([{ sessionUpsert: session }]);
    return session;
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.client.deleteSession(sessionId);
    this.#chosenTitles.delete(sessionId);
    this.apply({ type: "session.deleted", properties: { sessionID: sessionId } });
    const w = this.workspace();
    if (w.tabs?.some((t) => t.sessionId === sessionId)) {
      this.setWorkspace({ ...w, tabs: w.tabs.filter((t) => t.sessionId !== sessionId) });
    }
  }

  /** The whole transcript of a session, loading it from the server the first time. */
  openSession(sessionId: string): Promise<Transcript> {
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

  /** No window shows this session any more: its transcript may go (it reloads on demand). */
  closeSession(sessionId: string): void {
    const open = this.workspace().tabs?.some((t) => t.sessionId === sessionId);
    if (!open) this.state.transcripts.delete(sessionId);
  }

  async #load(sessionId: string): Promise<Transcript> {
    const [info, messages] = await Promise.all([
      this.state.sessions.has(sessionId) ? null : this.client.getSession(sessionId),
      this.client.messages(sessionId),
    ]);
    if (info) this.state.sessions.set(info.id, toSession(info));
    loadTranscript(this.state, sessionId, messages);
    return this.transcript(sessionId);
  }

  transcript(sessionId: string): Transcript {
    const t = this.state.transcripts.get(sessionId);
    return {
      session: this.state.sessions.get(sessionId) ?? { id: sessionId },
      messages: t ? orderedMessages(t) : [],
    };
  }

  async send(sessionId: string, input: PromptInput): Promise<void> {
    if (!input.text.trim() && !input.files?.length) {
      throw new TypeError("Cannot send a message: it is empty");
    }
    if (!this.state.transcripts.has(sessionId)) await this.openSession(sessionId);
    this.#stopped.delete(sessionId);
    await this.client.promptAsync(sessionId, input);
    if (input.model) {
      const ref = { providerId: input.model.providerID, modelId: input.model.modelID };
      this.updateSettings(addRecent(this.settings(), ref));
    }
  }

  /**
   * Stops the turn: aborts on the server (twice, ~200 ms apart, as OpenCode's own client does),
   * shows running tools as aborted, drops late events of the turn, and rejects the permission
   * requests and questions the server leaves pending after an abort (API.md §7.4).
   */
  async abort(sessionId: string): Promise<void> {
    const { turn, changes } = stopTurn(this.state, sessionId);
    this.#stopped.set(sessionId, turn);
    this.#batcher.push(changes);
    await this.client.abort(sessionId);
    await new Promise((r) => setTimeout(r, 200));
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

  async replyPermission(id: string, reply: string, message?: string): Promise<void> {
    if (!REPLIES.has(reply)) throw new TypeError(`Cannot reply to a permission: "${reply}"`);
    const pending = this.state.permissions.get(id);
    if (!pending) throw new OpencodeError(`Cannot reply: permission ${id} is not pending`, 404);
    await this.client.replyPermission(id, reply as "once" | "always" | "reject", message);
    // permission.replied follows from the server for every client; resolve now for this one too.
    this.apply({
      type: "permission.replied",
      properties: { sessionID: pending.sessionId, requestID: id, reply },
    });
  }

  async replyQuestion(id: string, answers: string[][] | null): Promise<void> {
    const pending = this.state.questions.get(id);
    if (!pending) throw new OpencodeError(`Cannot answer: question ${id} is not pending`, 404);
    if (answers) await this.client.replyQuestion(id, answers);
    else await this.client.rejectQuestion(id);
    this.apply({
      type: answers ? "question.replied" : "question.rejected",
      properties: { sessionID: pending.sessionId, requestID: id },
    });
  }

  workspace(): Workspace {
    return this.#opts.settings?.workspace(this.#directory) ?? this.#memoryWorkspace;
  }

  setWorkspace(w: Workspace): Workspace {
    const clean = this.#opts.settings
      ? this.#opts.settings.setWorkspace(this.#directory, w)
      : (this.#memoryWorkspace = w);
    this.flush();
    this.#emit({ workspace: clean });
    return clean;
  }

  settings(): Settings {
    return this.#opts.settings?.settings ?? this.#memorySettings;
  }

  updateSettings(s: Settings): Settings {
    if (this.#opts.settings) this.#opts.settings.settings = s;
    else this.#memorySettings = cleanSettings(s);
    const clean = this.settings();
    this.#emit({ settings: clean });
    return clean;
  }

  async refreshCatalog(): Promise<Catalog> {
    const [agents, providers, config] = await Promise.all([
      this.client.agents(),
      this.client.providers(),
      this.client.config(),
    ]);
    this.#catalog = toCatalog(agents, providers, config);
    this.#emit({ catalog: this.#catalog });
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
      // Pending requests: what the server no longer has is resolved, the rest (re)asked, through
      // the reducer's own events.
      const changes: Event[] = [];
      const livePermissions = new Set(permissions.map((p) => p.id));
      const liveQuestions = new Set(questions.map((q) => q.id));
      const replay = (type: string, properties: Record<string, unknown>) =>
        changes.push(...reduce(this.state, { type, properties }));
      for (const [id, p] of this.state.permissions) {
        if (!livePermissions.has(id)) {
          replay("permission.replied", { sessionID: p.sessionId, requestID: id });
        }
      }
      for (const [id, q] of this.state.questions) {
        if (!liveQuestions.has(id)) {
          replay("question.rejected", { sessionID: q.sessionId, requestID: id });
        }
      }
      for (const raw of permissions) replay("permission.asked", { ...raw });
      for (const raw of questions) replay("question.asked", { ...raw });
      // Every open transcript, read concurrently.
      const open = [...this.state.transcripts.keys()].filter((id) => this.state.sessions.has(id));
      const stored = await Promise.all(open.map((id) => this.client.messages(id)));
      open.forEach((id, i) => {
        // Streamed text the server has not stored is kept only while the turn still runs: a
        // server that died mid-reply stored "" and will never finish it (nor send a snapshot).
        const type = this.state.sessions.get(id)?.status?.type;
        const running = type === ipc.SessionStatusType.SESSION_STATUS_TYPE_BUSY ||
          type === ipc.SessionStatusType.SESSION_STATUS_TYPE_RETRY;
        if (!running) this.state.transcripts.delete(id);
        loadTranscript(this.state, id, stored[i]);
        changes.push({ transcriptReset: this.transcript(id) });
      });
      this.#batcher.push(changes);
      this.flush();
      await this.refreshCatalog();
    } catch (err) {
      if (!(err instanceof OpencodeError)) throw err;
      console.warn(`opencode-desk: ${err.message}`);
    }
  }

  #onStreamState(s: StreamState, detail: string, attempt: number): void {
    const state = s === "connected"
      ? Conn.CONNECTION_STATE_CONNECTED
      : s === "connecting"
      ? Conn.CONNECTION_STATE_CONNECTING
      : attempt > 3
      ? Conn.CONNECTION_STATE_DOWN
      : Conn.CONNECTION_STATE_RECONNECTING;
    const note = this.#note;
    const shown = s === "connected"
      ? note
      : note && detail
      ? `${note} (${detail})`
      : note || detail;
    this.#setServer({ state, detail: shown, attempt });
  }

  #setServer(patch: Partial<ServerStatus>): void {
    this.#server = { ...this.#server, detail: "", attempt: 0, ...patch };
    this.flush();
    this.#emit({ serverStatus: this.server });
  }

  #emit(push: Push): void {
    for (const l of this.#listeners) {
      try {
        l(push);
      } catch (err) {
        console.error("opencode-desk: a store listener failed:", err);
      }
    }
  }
}
