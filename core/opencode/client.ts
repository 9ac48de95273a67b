/**
 * The HTTP client of the OpenCode server: the only place (with events.ts) that knows its URLs.
 * JSON shapes are described in types.ts; see docs/opencode-api.md §4.
 */
import { passwordHeaders } from "./basic_auth.ts";
import type {
  OcAgent,
  OcConfig,
  OcMessageWithParts,
  OcPermission,
  OcProvider,
  OcProviderList,
  OcQuestion,
  OcSession,
  OcSessionStatus,
} from "./types.ts";

/** A non-2xx answer, a timeout or an unreachable server, with the server's own message. */
export class OpencodeError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly name_: string = "",
  ) {
    super(message);
    this.name = "OpencodeError";
  }
  /** True when the server could not be reached at all (as opposed to answering with an error). */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

export interface PromptInput {
  text: string;
  agent?: string;
  model?: { providerID: string; modelID: string };
  variant?: string;
  files?: { mime: string; filename: string; url: string }[];
  /** Agents mentioned ("@explore"): the server has the primary agent hand them the task. */
  agents?: string[];
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Options of one request. */
export interface RequestOptions {
  timeoutMs?: number;
  query?: Record<string, string>;
  onHeaders?: (headers: Headers) => void;
  /** The project directory this call is for; the client's own unless set. */
  directory?: string;
}

/** A project the server knows (`GET /project`). */
export interface OcProject {
  id: string;
  worktree: string;
  name?: string;
  time?: { created?: number; updated?: number };
}

/** Reads the message out of the server's several error body shapes (docs/opencode-api.md §4.6). */
export function errorMessage(body: unknown, fallback: string): { name: string; message: string } {
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const data = b.data as Record<string, unknown> | undefined;
    const name = typeof b.name === "string" ? b.name : typeof b._tag === "string" ? b._tag : "";
    const message = typeof data?.message === "string"
      ? data.message
      : typeof b.message === "string"
      ? b.message
      : fallback;
    return { name, message };
  }
  return { name: "", message: fallback };
}

/**
 * The cursor of the messages older than `message`: OpenCode 1.18's `X-Next-Cursor` is base64 of
 * `{"id","time"}` of the oldest message of the page it answered (the id and its creation time).
 * Built here so that any message can start a page, not only the first of a page the server sent
 * (the core trims the transcripts it keeps). Opaque everywhere else.
 */
export function pageCursor(message: { id: string; time?: { created?: number } }): string {
  return btoa(JSON.stringify({ id: message.id, time: message.time?.created ?? 0 }));
}

/** What `GET /session` is asked for (see {@linkcode OpencodeClient.listSessions}). */
export interface SessionQuery {
  limit?: number;
  search?: string;
  roots?: boolean;
  start?: number;
}

export class OpencodeClient {
  baseUrl: string;
  #headers: Record<string, string>;
  directory = "";

  constructor(baseUrl: string, opts: { password?: string; username?: string } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.#headers = passwordHeaders(opts.password, opts.username);
  }

  /** Points every later request at another server (the caller resyncs what it knew). */
  retarget(baseUrl: string, opts: { password?: string; username?: string } = {}): void {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.#headers = passwordHeaders(opts.password, opts.username);
    this.directory = "";
  }

  /** Headers every request needs (auth); also used by the event stream. */
  get headers(): Record<string, string> {
    return { ...this.#headers };
  }

  /**
   * This client for another project directory: every call it makes goes to `directory`'s
   * instance on the same server (docs/opencode-api.md §4.1), through this client's `request`
   * (so a retarget or a test double applies to it too). This client itself when `directory` is
   * empty or already its own.
   */
  at(directory: string): OpencodeClient {
    if (!directory || directory === this.directory) return this;
    const scoped = Object.create(this) as OpencodeClient;
    // Own properties shadow the prototype's: the methods run on `scoped`, its requests on `this`.
    Object.defineProperty(scoped, "directory", { value: directory, writable: false });
    Object.defineProperty(scoped, "request", {
      value: (method: string, path: string, body?: unknown, opts: RequestOptions = {}) =>
        this.request(method, path, body, { ...opts, directory }),
    });
    return scoped;
  }

  /** Builds a URL, adding `?directory=` (the call's, else this client's) once it is known. */
  url(path: string, query: Record<string, string> = {}, directory = this.directory): string {
    const u = new URL(this.baseUrl + path);
    if (directory) u.searchParams.set("directory", directory);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u.href;
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    opts: RequestOptions = {},
  ): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let res: Response;
    try {
      res = await fetch(this.url(path, opts.query, opts.directory), {
        method,
        headers: body === undefined
          ? this.#headers
          : { ...this.#headers, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const why = err instanceof DOMException && err.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : err instanceof Error
        ? err.message
        : String(err);
      throw new OpencodeError(`Cannot ${method} ${path}: ${why}`, 0);
    }
    opts.onHeaders?.(res.headers);
    const text = await res.text();
    if (!res.ok) {
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
      }
      const { name, message } = errorMessage(parsed, text.slice(0, 300) || res.statusText);
      throw new OpencodeError(
        `Cannot ${method} ${path}: ${res.status} ${message}`,
        res.status,
        name,
      );
    }
    if (res.status === 204 || text === "") return undefined as T;
    const type = res.headers.get("content-type") ?? "";
    if (!type.includes("json")) {
      // Unknown routes answer 200 text/html (docs/opencode-api.md §4.6): a failure, never data.
      throw new OpencodeError(`Cannot ${method} ${path}: expected JSON, got ${type}`, res.status);
    }
    return JSON.parse(text) as T;
  }

  health(timeoutMs = 3000): Promise<{ healthy: boolean; version: string }> {
    return this.request("GET", "/global/health", undefined, { timeoutMs });
  }

  path(): Promise<{ directory: string; worktree: string; home: string }> {
    return this.request("GET", "/path");
  }

  /** The projects the server knows; non-git directories share one (`global`, worktree `/`). */
  projects(): Promise<OcProject[]> {
    return this.request("GET", "/project");
  }

  /**
   * Sessions of the project, newest (updated) first: at most `limit`, titles containing `search`
   * (case-insensitive), only root sessions (`roots`), only those updated at or after `start` (ms;
   * a filter, not a cursor). Each is optional; none: every session.
   */
  listSessions(q: SessionQuery = {}): Promise<OcSession[]> {
    const query: Record<string, string> = {};
    if (q.limit) query.limit = String(q.limit);
    if (q.search) query.search = q.search;
    if (q.roots) query.roots = "true";
    if (q.start) query.start = String(q.start);
    return this.request("GET", "/session", undefined, { query });
  }

  sessionStatus(): Promise<Record<string, OcSessionStatus>> {
    return this.request("GET", "/session/status");
  }

  getSession(id: string): Promise<OcSession> {
    return this.request("GET", `/session/${encodeURIComponent(id)}`);
  }

  createSession(title?: string): Promise<OcSession> {
    return this.request("POST", "/session", title ? { title } : {});
  }

  messages(sessionId: string): Promise<OcMessageWithParts[]> {
    return this.request("GET", `/session/${encodeURIComponent(sessionId)}/message`, undefined, {
      timeoutMs: 60_000,
    });
  }

  /**
   * The newest `limit` messages before `before` (a cursor, see {@linkcode pageCursor}), oldest
   * first, and whether older ones exist. OpenCode 1.18 pages with `?limit=&before=`; it names the
   * cursor of the next older page in `X-Next-Cursor` and leaves the header out on the first page.
   */
  async messagesPage(
    sessionId: string,
    limit: number,
    before = "",
  ): Promise<{ messages: OcMessageWithParts[]; more: boolean }> {
    const query: Record<string, string> = { limit: String(limit) };
    if (before) query.before = before;
    const path = `/session/${encodeURIComponent(sessionId)}/message`;
    // No private member here: a client `at()` another directory runs this method too.
    let headers = new Headers();
    const body = await this.request<OcMessageWithParts[]>("GET", path, undefined, {
      query,
      timeoutMs: 60_000,
      onHeaders: (h) => headers = h,
    });
    // Oldest first, whatever order the server answered in; never more than asked for.
    const messages = (body ?? []).sort((a, b) => a.info.id < b.info.id ? -1 : 1);
    if (messages.length > limit) return { messages: messages.slice(-limit), more: true };
    return { messages, more: !!headers.get("x-next-cursor") && messages.length > 0 };
  }

  /**
   * Starts a prompt; the reply streams over the event stream. The server queues it while busy
   * (docs/opencode-api.md §7.4).
   */
  promptAsync(sessionId: string, input: PromptInput): Promise<void> {
    const parts: unknown[] = [];
    if (input.text) parts.push({ type: "text", text: input.text });
    for (const f of input.files ?? []) {
      parts.push({ type: "file", mime: f.mime, filename: f.filename, url: f.url });
    }
    for (const name of input.agents ?? []) parts.push({ type: "agent", name });
    const body: Record<string, unknown> = { parts };
    if (input.agent) body.agent = input.agent;
    if (input.model) body.model = input.model;
    if (input.variant) body.variant = input.variant;
    return this.request("POST", `/session/${encodeURIComponent(sessionId)}/prompt_async`, body);
  }

  abort(sessionId: string): Promise<boolean> {
    return this.request("POST", `/session/${encodeURIComponent(sessionId)}/abort`);
  }

  renameSession(id: string, title: string): Promise<OcSession> {
    return this.request("PATCH", `/session/${encodeURIComponent(id)}`, { title });
  }

  deleteSession(id: string): Promise<boolean> {
    return this.request("DELETE", `/session/${encodeURIComponent(id)}`);
  }

  agents(): Promise<OcAgent[]> {
    return this.request("GET", "/agent");
  }

  config(): Promise<OcConfig> {
    return this.request("GET", "/config");
  }

  /**
   * Every provider the server knows (with a server the app starts: 200+, several MB, which a busy
   * server takes long to write: `timeoutMs` lets a background read wait longer).
   */
  providers(timeoutMs?: number): Promise<OcProviderList> {
    return this.request("GET", "/provider", undefined, { timeoutMs });
  }

  /**
   * Only the providers that can run (connected), with their models: small and quick. A server
   * without that route gets the whole list read instead, cut down to the same.
   */
  async connectedProviders(): Promise<OcProviderList> {
    let r: { providers?: OcProvider[]; default?: Record<string, string> };
    try {
      r = await this.request("GET", "/config/providers");
    } catch (err) {
      if (!(err instanceof OpencodeError) || err.status !== 404) throw err;
      const list = await this.providers();
      const connected = new Set(list.connected ?? []);
      r = { providers: list.all.filter((p) => connected.has(p.id)), default: list.default };
    }
    const all = r.providers ?? [];
    return { all, connected: all.map((p) => p.id), default: r.default ?? {} };
  }

  permissions(): Promise<OcPermission[]> {
    return this.request("GET", "/permission");
  }

  replyPermission(
    id: string,
    reply: "once" | "always" | "reject",
    message?: string,
  ): Promise<boolean> {
    const body: Record<string, string> = { reply };
    if (message) body.message = message;
    return this.request("POST", `/permission/${encodeURIComponent(id)}/reply`, body);
  }

  questions(): Promise<OcQuestion[]> {
    return this.request("GET", "/question");
  }

  replyQuestion(id: string, answers: string[][]): Promise<boolean> {
    return this.request("POST", `/question/${encodeURIComponent(id)}/reply`, { answers });
  }

  rejectQuestion(id: string): Promise<boolean> {
    return this.request("POST", `/question/${encodeURIComponent(id)}/reject`);
  }
}
