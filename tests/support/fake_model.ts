/**
 * A scripted fake OpenAI-compatible model for tests and benchmarks (docs/opencode-api.md §3).
 *
 * It streams Chat Completions SSE chunks chosen by keywords in the last user message, or by
 * responses queued with {@linkcode FakeModel.enqueue}, and records every request it receives and
 * the moment each streamed token left the server.
 * @module
 */

/** What a chat request was for. */
export type RequestKind = "chat" | "title" | "tool-result";

/** One tool call the model should make. */
export interface FakeToolCall {
  name: string;
  args: Record<string, unknown>;
}

/** A scripted response, used before the keyword rules (except for titles and tool results). */
export interface FakeResponse {
  /** Text streamed word by word. */
  text?: string;
  /** Exact content tokens to stream (takes precedence over `text`). */
  tokens?: string[];
  /** Reasoning streamed word by word before the text. */
  reasoning?: string;
  toolCalls?: FakeToolCall[];
  /** Answer with an HTTP error instead of a stream. */
  error?: { status: number; body?: unknown; headers?: Record<string, string> };
  /** Send the headers and the role chunk, then nothing until the client goes away. */
  hang?: boolean;
  /** Milliseconds between streamed chunks (the name the captured mock used). */
  delayMs?: number;
  /** Same as `delayMs`; wins when both are set. */
  tokenDelayMs?: number;
}

/** A chat request as received. */
export interface RecordedRequest {
  index: number;
  kind: RequestKind;
  path: string;
  authorization: string | null;
  receivedAt: number;
  /** Text of the last user message, `<system-reminder>` blocks removed. */
  text: string;
  /** Names of the tools offered. */
  tools: string[];
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** When a streamed token was written, in epoch ms with a fraction. */
export interface TokenStamp {
  request: number;
  field: "content" | "reasoning";
  token: string;
  sentAt: number;
}

/** Options of {@linkcode startFakeModel}. */
export interface FakeModelOptions {
  /** Default milliseconds between streamed chunks; 25 unless set. */
  tokenDelayMs?: number;
  /** Port to listen on; 0 (any free port) unless set. */
  port?: number;
}

type ChatMessage = { role: string; content?: unknown; tool_calls?: unknown[] };
interface StreamPlan {
  type: "stream";
  reasoning: string[];
  tokens: string[];
  toolCalls: FakeToolCall[];
  hang: boolean;
  delayMs: number;
}
type Plan =
  | { type: "error"; status: number; body: unknown; headers: Record<string, string> }
  | StreamPlan;

const SLOW_TEXT = `Streaming slowly: ${
  Array.from({ length: 40 }, (_, i) => `slow${i + 1}`).join(" ")
}. Finished.`;
const REASONING =
  "Let me think about this step by step. The user asked for reasoning, so I reason first.";
const IMAGE_SUFFIX = " (I received an image attachment)";

/** A running fake model; create it with {@linkcode startFakeModel}. */
export class FakeModel {
  /** Base URL without the `/v1` suffix, e.g. `http://127.0.0.1:4010`. */
  readonly url: string;
  #server: Deno.HttpServer<Deno.NetAddr>;
  #tokenDelayMs: number;
  #requests: RecordedRequest[] = [];
  #tokens: TokenStamp[] = [];
  #queue: FakeResponse[] = [];
  #closing = new AbortController();
  #streams = new Set<Promise<void>>();

  constructor(opts: FakeModelOptions = {}) {
    this.#tokenDelayMs = opts.tokenDelayMs ?? 25;
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: opts.port ?? 0, onListen: () => {} },
      (req) => this.#handle(req),
    );
    this.url = `http://127.0.0.1:${this.#server.addr.port}`;
  }

  /** Every chat request received since the start or the last reset. */
  requests(): RecordedRequest[] {
    return [...this.#requests];
  }

  /** Every streamed token with the time it was written. */
  tokens(): TokenStamp[] {
    return [...this.#tokens];
  }

  /** Queues responses; each chat request takes the next one before the keyword rules apply. */
  enqueue(...responses: FakeResponse[]): void {
    this.#queue.push(...responses);
  }

  /** Forgets requests, token stamps and queued responses. */
  reset(): void {
    this.#requests = [];
    this.#tokens = [];
    this.#queue = [];
  }

  /** Releases hanging and streaming responses and stops the server. */
  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.all(this.#streams);
    await this.#server.shutdown();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    const route = `${req.method} ${path}`;
    if (route === "POST /v1/chat/completions" || route === "POST /chat/completions") {
      return this.#chat(req, path);
    }
    if (route === "GET /v1/models" || route === "GET /models") {
      const data = ["mock-model", "mock-small"].map((id) => ({ id, object: "model" }));
      return Response.json({ object: "list", data });
    }
    if (route === "GET /__mock/health") return Response.json({ ok: true });
    if (route === "GET /__mock/requests") return Response.json(this.#requests);
    if (route === "GET /__mock/tokens") return Response.json(this.#tokens);
    if (route === "POST /__mock/reset") {
      this.reset();
      return Response.json({ ok: true });
    }
    if (route === "POST /__mock/enqueue") {
      const body = await req.json();
      const list = Array.isArray(body) ? body : body.responses ?? [body];
      this.enqueue(...list);
      return Response.json({ ok: true, queued: this.#queue.length });
    }
    return Response.json({ error: { message: `Cannot route ${route}: unknown` } }, { status: 404 });
  }

  async #chat(req: Request, path: string): Promise<Response> {
    const body = await req.json();
    const messages: ChatMessage[] = Array.isArray(body.messages) ? body.messages : [];
    const tools: string[] = (body.tools ?? []).map((t: { function?: { name?: string } }) =>
      t.function?.name ?? ""
    );
    const lastUser = [...messages].reverse().find((m) => m.role === "user");
    const text = lastUser ? textOf(lastUser.content) : "";
    const system = messages.filter((m) => m.role === "system").map((m) => textOf(m.content)).join();
    const kind: RequestKind = /title/i.test(system) && tools.length === 0
      ? "title"
      : messages.at(-1)?.role === "tool"
      ? "tool-result"
      : "chat";
    const index = this.#requests.length;
    this.#requests.push({
      index,
      kind,
      path,
      authorization: req.headers.get("authorization"),
      receivedAt: performance.timeOrigin + performance.now(),
      text,
      tools,
      body,
    });
    const queued = kind === "chat" ? this.#queue.shift() : undefined;
    const plan = queued
      ? planQueued(queued, this.#tokenDelayMs)
      : planByKeyword(kind, messages, text, hasImage(lastUser?.content), this.#tokenDelayMs);
    if (plan.type === "error") {
      const headers = { "content-type": "application/json", ...plan.headers };
      return new Response(JSON.stringify(plan.body), { status: plan.status, headers });
    }
    const model = String(body.model ?? "mock-model");
    const id = `chatcmpl-mock-${index}`;
    if (body.stream === false) return Response.json(completion(id, model, index, plan));
    return this.#stream(id, model, index, plan);
  }

  #stream(id: string, model: string, index: number, plan: StreamPlan): Response {
    const abort = new AbortController();
    const onClose = () => abort.abort();
    this.#closing.signal.addEventListener("abort", onClose, { once: true });
    if (this.#closing.signal.aborted) abort.abort();
    const stamp = (field: TokenStamp["field"], token: string) => {
      const sentAt = performance.timeOrigin + performance.now();
      this.#tokens.push({ request: index, field, token, sentAt });
    };
    const encoder = new TextEncoder();
    let cancelled = false;
    let body!: ReadableStream<Uint8Array>;
    const finished = new Promise<void>((done) => {
      body = new ReadableStream<Uint8Array>({
        start: async (controller) => {
          try {
            for await (const data of events(id, model, index, plan, abort.signal, stamp)) {
              if (abort.signal.aborted) break;
              controller.enqueue(encoder.encode(`data: ${data}\n\n`));
            }
          } finally {
            this.#closing.signal.removeEventListener("abort", onClose);
            if (!cancelled) controller.close();
            done();
          }
        },
        cancel: () => {
          cancelled = true;
          abort.abort();
        },
      });
    });
    this.#streams.add(finished);
    finished.then(() => this.#streams.delete(finished));
    return new Response(body, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
    });
  }
}

/** Yields the SSE `data:` payloads of a plan, waiting `plan.delayMs` before each token. */
async function* events(
  id: string,
  model: string,
  index: number,
  plan: StreamPlan,
  signal: AbortSignal,
  stamp: (field: TokenStamp["field"], token: string) => void,
): AsyncGenerator<string> {
  const created = Math.floor(Date.now() / 1000);
  const envelope = (choices: unknown[], extra = {}) =>
    JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices, ...extra });
  const chunk = (delta: unknown, finish: string | null = null) =>
    envelope([{ index: 0, delta, finish_reason: finish }]);
  yield chunk({ role: "assistant", content: "" });
  if (plan.hang) await sleep(Infinity, signal);
  for (const token of plan.reasoning) {
    if (!await sleep(plan.delayMs, signal)) return;
    stamp("reasoning", token);
    yield chunk({ reasoning_content: token });
  }
  for (const token of plan.tokens) {
    if (!await sleep(plan.delayMs, signal)) return;
    stamp("content", token);
    yield chunk({ content: token });
  }
  for (const [i, call] of plan.toolCalls.entries()) {
    const args = JSON.stringify(call.args);
    const third = Math.max(1, Math.ceil(args.length / 3));
    for (let at = 0; at < args.length; at += third) {
      if (!await sleep(plan.delayMs, signal)) return;
      const head = at === 0 ? { id: `call_mock_${index}_${i}`, type: "function" } : {};
      const fn = {
        ...(at === 0 ? { name: call.name } : {}),
        arguments: args.slice(at, at + third),
      };
      yield chunk({ tool_calls: [{ index: i, ...head, function: fn }] });
    }
  }
  yield chunk({}, plan.toolCalls.length > 0 ? "tool_calls" : "stop");
  yield envelope([], { usage: usage(plan) });
  yield "[DONE]";
}

/** Starts a fake model on 127.0.0.1 (any free port unless `opts.port`). */
export function startFakeModel(opts: FakeModelOptions = {}): Promise<FakeModel> {
  return Promise.resolve(new FakeModel(opts));
}

/** Waits `ms`; resolves false instead if `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = Number.isFinite(ms) ? setTimeout(finish, ms, true) : undefined;
    const onAbort = () => finish(false);
    signal.addEventListener("abort", onAbort, { once: true });
    function finish(ok: boolean) {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(ok);
    }
  });
}

function textOf(content: unknown): string {
  const raw = typeof content === "string"
    ? content
    : Array.isArray(content)
    ? content.filter((p) => p?.type === "text").map((p) => String(p.text)).join("\n")
    : "";
  return raw.replace(/<system-reminder>[\s\S]*?<\/system-reminder>/g, "").trim();
}

function hasImage(content: unknown): boolean {
  return Array.isArray(content) && content.some((p) => p?.type === "image_url");
}

/** Splits text into word tokens that keep their trailing space: "a b" -> ["a ", "b"]. */
function words(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

function streamPlan(delayMs: number, parts: Partial<StreamPlan>): Plan {
  return {
    type: "stream",
    reasoning: [],
    tokens: [],
    toolCalls: [],
    hang: false,
    delayMs,
    ...parts,
  };
}

function planQueued(r: FakeResponse, defaultDelay: number): Plan {
  if (r.error) {
    const body = r.error.body ?? { error: { message: "Mock error", type: "mock_error" } };
    return { type: "error", status: r.error.status, body, headers: r.error.headers ?? {} };
  }
  return streamPlan(r.tokenDelayMs ?? r.delayMs ?? defaultDelay, {
    reasoning: words(r.reasoning ?? ""),
    tokens: r.tokens ?? words(r.text ?? ""),
    toolCalls: r.toolCalls ?? [],
    hang: r.hang ?? false,
  });
}

function httpError(status: number, fast = false): Plan {
  const [message, type, code] = status === 400
    ? ["Mock failure requested by keyword 'fail'", "invalid_request_error", "mock_fail"]
    : status === 429
    ? ["Mock rate limit exceeded", "rate_limit_error", "mock_429"]
    : ["Mock internal error", "server_error", "mock_500"];
  const headers: Record<string, string> = fast ? { "retry-after-ms": "100" } : {};
  return { type: "error", status, body: { error: { message, type, code } }, headers };
}

function planByKeyword(
  kind: RequestKind,
  messages: ChatMessage[],
  text: string,
  image: boolean,
  delay: number,
): Plan {
  if (kind === "title") return streamPlan(delay, { tokens: words(`Mock: ${firstWords(text, 5)}`) });
  if (kind === "tool-result") {
    let n = 0;
    while (messages.at(-1 - n)?.role === "tool") n++;
    const raw = messages.slice(-n).map((m) => textOf(m.content)).join("\n");
    const preview = raw.slice(0, 120).replace(/\s+/g, " ");
    return streamPlan(delay, {
      tokens: words(`Tool result received (${n}). Preview: ${preview}\nDone.`),
    });
  }
  const has = (k: string) => text.toLowerCase().includes(k);
  if (has("fail429fast")) return httpError(429, true);
  if (has("fail500fast")) return httpError(500, true);
  if (has("fail429")) return httpError(429);
  if (has("fail500")) return httpError(500);
  if (has("fail")) return httpError(400);
  if (has("hang")) return streamPlan(delay, { hang: true });
  if (has("slow")) return streamPlan(400, { tokens: words(SLOW_TEXT) });
  if (has("think") || has("reason")) {
    return streamPlan(delay, {
      reasoning: words(REASONING),
      tokens: words(`After thinking: ${text}`),
    });
  }
  if (has("two tools")) {
    const toolCalls = [
      { name: "bash", args: { command: "ls", description: "List files" } },
      { name: "bash", args: { command: "pwd", description: "Print the working directory" } },
    ];
    return streamPlan(delay, { toolCalls });
  }
  if (has("use tool") || has("run ls") || has("bash")) {
    const command = text.match(/`([^`]+)`/)?.[1] ?? "ls -la";
    const args = { command, description: "List files in the project" };
    return streamPlan(delay, { toolCalls: [{ name: "bash", args }] });
  }
  if (has("read")) {
    const system = messages.filter((m) => m.role === "system").map((m) => textOf(m.content)).join();
    const dir = system.match(/Working directory: (\S+)/)?.[1] ?? ".";
    const filePath = text.match(/(?:^|\s)(\/[^\s`'"]+)/)?.[1] ?? `${dir}/README.md`;
    return streamPlan(delay, { toolCalls: [{ name: "read", args: { filePath } }] });
  }
  return streamPlan(delay, { tokens: words(`Echo: ${text}${image ? IMAGE_SUFFIX : ""}`) });
}

function firstWords(text: string, n: number): string {
  return text.split(/\s+/).filter(Boolean).slice(0, n).join(" ");
}

function usage(plan: StreamPlan) {
  const completion = plan.tokens.length + plan.reasoning.length + plan.toolCalls.length * 8;
  return { prompt_tokens: 1000, completion_tokens: completion, total_tokens: 1000 + completion };
}

function completion(id: string, model: string, index: number, plan: StreamPlan) {
  const toolCalls = plan.toolCalls.map((c, i) => ({
    id: `call_mock_${index}_${i}`,
    type: "function",
    function: { name: c.name, arguments: JSON.stringify(c.args) },
  }));
  const message = {
    role: "assistant",
    content: plan.tokens.join(""),
    ...(plan.reasoning.length > 0 ? { reasoning_content: plan.reasoning.join("") } : {}),
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
  const choices = [{ index: 0, message, finish_reason: toolCalls.length ? "tool_calls" : "stop" }];
  const created = Math.floor(Date.now() / 1000);
  return { id, object: "chat.completion", created, model, choices, usage: usage(plan) };
}

/** Shapes of a large reply: one paragraph, one fenced code block, or many short paragraphs. */
export type BigReplyShape = "paragraph" | "code" | "paragraphs";

/** The last word of every {@linkcode bigReply}: once it shows, the whole reply arrived. */
export const BIG_REPLY_END = "END-OF-REPLY";
/** A word in the middle of every {@linkcode bigReply}, found nowhere else in it. */
export const BIG_REPLY_MIDDLE = "MIDDLE-OF-REPLY";

const BIG_WORDS = [
  "alpha",
  "**bold**",
  "`code`",
  "beta",
  "[link](https://example.com/docs)",
  "_em_",
  "gamma",
  "<img src=x onerror=window.top.__pwned('huge')>",
  "delta",
];

/**
 * A reply of about `chars` characters of markdown in one shape, with {@linkcode BIG_REPLY_MIDDLE}
 * halfway and {@linkcode BIG_REPLY_END} last, cut into `tokenChars`-character tokens (words split
 * across tokens as a real model's do). Prose holds inline markdown and a raw HTML tag that must
 * stay text.
 */
export function bigReply(
  shape: BigReplyShape,
  chars: number,
  tokenChars = 48,
): { text: string; tokens: string[] } {
  const parts: string[] = [];
  let size = 0;
  let middle = false;
  for (let i = 0; size < chars; i++) {
    if (!middle && size >= chars / 2) {
      middle = true;
      parts.push(shape === "code" ? `// ${BIG_REPLY_MIDDLE}\n` : `${BIG_REPLY_MIDDLE} `);
    }
    const piece = shape === "code"
      ? `const v${i} = "value ${i}"; // line ${i}\n`
      : `${BIG_WORDS[i % BIG_WORDS.length]}${
        shape === "paragraphs" && i % 60 === 59 ? "\n\n" : " "
      }`;
    parts.push(piece);
    size += piece.length;
  }
  const text = shape === "code"
    ? `\`\`\`ts\n${parts.join("")}// ${BIG_REPLY_END}\n\`\`\``
    : `${parts.join("")}${BIG_REPLY_END}`;
  return { text, tokens: cutTokens(text, tokenChars) };
}

/** `text` cut into `tokenChars`-character tokens. */
export function cutTokens(text: string, tokenChars: number): string[] {
  const tokens: string[] = [];
  for (let at = 0; at < text.length; at += tokenChars) tokens.push(text.slice(at, at + tokenChars));
  return tokens;
}
