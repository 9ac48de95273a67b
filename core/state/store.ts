/**
 * The store owner: one per app. It keeps the state of the OpenCode server (sessions, statuses, the
 * transcripts of the sessions some UI opened), takes a fresh snapshot whenever the event stream
 * (re)connects, feeds events through the reducer and hands coalesced changes to its listeners.
 * Every decision about what the UI sees is made here; the bridge only carries it.
 */
import { ipc } from "../../proto/gen/ipc.js";
import { type OpencodeClient, OpencodeError, type PromptInput } from "../opencode/client.ts";
import { EventStream, type StreamState } from "../opencode/events.ts";
import type { OcEvent } from "../opencode/types.ts";
import { Batcher } from "./batcher.ts";
import { type Event, type Session, toSession, toStatus } from "./convert.ts";
import { createState, loadTranscript, orderedMessages, reduce, type State } from "./reducer.ts";

export type ServerStatus = ipc.ServerStatus.$Properties;
export type Transcript = ipc.Transcript.$Properties;

export type Push = { events: { events: Event[] } } | { serverStatus: ServerStatus };

export interface StoreOptions {
  client: OpencodeClient;
  /** Whether this app started the server (and will stop it). */
  owned: boolean;
  version?: string;
  /** The project directory; defaults to the server's own (`GET /path`). */
  directory?: string;
  watchdogMs?: number;
}

const State_ = ipc.ConnectionState;

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

  constructor(opts: StoreOptions) {
    this.client = opts.client;
    this.#server = {
      state: State_.CONNECTION_STATE_CONNECTING,
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
        this.#setServer({ state: State_.CONNECTION_STATE_DOWN, detail: err.message });
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

  async close(): Promise<void> {
    this.#batcher.close();
    await this.#events?.close();
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
    const changes = reduce(this.state, event);
    if (changes.length) this.#batcher.push(changes);
  }

  sessions(): Session[] {
    return [...this.state.sessions.values()].sort((a, b) =>
      (b.timeUpdated ?? 0) - (a.timeUpdated ?? 0)
    );
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
    await this.client.promptAsync(sessionId, input);
  }

  async abort(sessionId: string): Promise<void> {
    await this.client.abort(sessionId);
  }

  /** Re-reads sessions and every loaded transcript; runs on every (re)connect of /event. */
  async #snapshot(): Promise<void> {
    try {
      if (!this.#directory) this.#setDirectory((await this.client.path()).directory);
      await this.refreshSessions();
      const changes: Event[] = [];
      for (const id of [...this.state.transcripts.keys()]) {
        if (!this.state.sessions.has(id)) continue;
        loadTranscript(this.state, id, await this.client.messages(id));
        changes.push({ transcriptReset: this.transcript(id) });
      }
      this.#batcher.push(changes);
      this.flush();
    } catch (err) {
      if (!(err instanceof OpencodeError)) throw err;
      console.warn(`opencode-desk: ${err.message}`);
    }
  }

  #onStreamState(s: StreamState, detail: string, attempt: number): void {
    const state = s === "connected"
      ? State_.CONNECTION_STATE_CONNECTED
      : s === "connecting"
      ? State_.CONNECTION_STATE_CONNECTING
      : attempt > 3
      ? State_.CONNECTION_STATE_DOWN
      : State_.CONNECTION_STATE_RECONNECTING;
    this.#setServer({ state, detail, attempt });
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
