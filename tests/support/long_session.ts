/**
 * Builds long sessions through the real server: real prompts, one after the other, answered by
 * the fake model. Nothing is hand-written JSON and nothing is cached across runs.
 *
 * A tool turn queues a reply that makes `toolCallsPerTurn` parallel bash calls; opencode runs
 * them and asks the model again, which answers in text: the user message and two assistant
 * messages (the tool step and the answer step, same `parentID`). A text turn is the user message
 * and one assistant message. Texts vary in length so that rows have different heights.
 *
 * What it costs: opencode's work per model call grows with the history it replays, so a session
 * gets slower to extend as it grows (about 1,000 messages in 3 minutes on a busy 2-core box).
 * Every `compactEvery` messages the builder asks the server to compact the session
 * (`POST /session/:id/summarize`, what a person does in a long session): every message stays
 * stored and shown, but later model calls replay only what follows the summary, which keeps the
 * cost per turn flat (about 1,000 messages in 80-100 s on the same box).
 * @module
 */
import type { OpencodeServer } from "./opencode_server.ts";

/** Env for {@linkcode startOpencode} that keeps a long history as built and builds it faster. */
export const LONG_SESSION_ENV: Record<string, string> = {
  OPENCODE_DISABLE_AUTOCOMPACT: "1",
  OPENCODE_DISABLE_PRUNE: "1",
  // No file snapshot (a git run) before every step: the fixture project never changes.
  OPENCODE_CONFIG_CONTENT: JSON.stringify({ snapshot: false }),
};

/** Options of {@linkcode buildLongSession}. */
export interface LongSessionOptions {
  /** Stop once the session holds at least this many messages. */
  messages: number;
  /** Every n-th turn is a text turn, the others call tools; 2 (alternating) unless set. */
  textEvery?: number;
  /** Parallel bash calls in a tool turn; 1 unless set. */
  toolCallsPerTurn?: number;
  /** Compact the session every this many messages; 150 unless set; 0: never. */
  compactEvery?: number;
  /** Session title; "Long session" unless set. */
  title?: string;
  /** Called after every turn with the messages stored so far. */
  onProgress?: (messages: number, elapsedMs: number) => void;
}

/** What {@linkcode buildLongSession} made. */
export interface LongSession {
  sessionId: string;
  /** Messages stored by the server. */
  messages: number;
  /** User turns sent (compactions not counted). */
  turns: number;
  /** Tool parts stored by the server. */
  toolCalls: number;
  /** Id of the first message. */
  firstMessageId: string;
  /** Id of the last text part of the last assistant message. */
  lastTextPartId: string;
  /** That part's text. */
  lastText: string;
  /** Milliseconds the build took. */
  ms: number;
}

/** A message as `GET /session/:id/message` returns it (the fields used here). */
export interface StoredMessage {
  info: { id: string; role: string; parentID?: string };
  parts: { id: string; type: string; text?: string; synthetic?: boolean }[];
}

const FILLER = [
  "Short answer.",
  "A longer paragraph that wraps over a few lines in a narrow window, so that rows of the " +
  "transcript have different heights and an estimate alone cannot place them exactly.",
  "Line one\nLine two\nLine three",
  "A list of points:\n\n- first point\n- second point\n- third point\n- fourth point",
  "Some `inline code` and a block:\n\n```ts\nconst answer = 42;\nconsole.log(answer);\n```",
];

async function call(oc: OpencodeServer, method: string, path: string, body?: unknown) {
  const res = await fetch(`${oc.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Cannot ${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** The messages the server stores for a session, in order. */
export async function storedMessages(
  oc: OpencodeServer,
  sessionId: string,
): Promise<StoredMessage[]> {
  return await call(oc, "GET", `/session/${sessionId}/message`) as StoredMessage[];
}

/**
 * Creates a session and prompts it turn after turn (the sync endpoint: each turn completes before
 * the next starts) until it holds `opts.messages` messages. It uses `oc.model`'s queue and
 * resets the model after every turn (its request log would otherwise hold every history sent);
 * nothing else may prompt that server meanwhile.
 */
export async function buildLongSession(
  oc: OpencodeServer,
  opts: LongSessionOptions,
): Promise<LongSession> {
  const started = performance.now();
  const textEvery = opts.textEvery ?? 2;
  const calls = opts.toolCallsPerTurn ?? 1;
  const compactEvery = opts.compactEvery ?? 150;
  const session = await call(oc, "POST", "/session", { title: opts.title ?? "Long session" });
  const sessionId: string = session.id;
  let count = 0;
  let compactedAt = 0;
  let turns = 0;
  while (count < opts.messages) {
    if (compactEvery > 0 && count - compactedAt >= compactEvery) {
      oc.model.enqueue({
        text: `Summary of the first ${count} messages: all went well.`,
        delayMs: 0,
      });
      await call(oc, "POST", `/session/${sessionId}/summarize`, {
        providerID: "mock",
        modelID: "mock-model",
        auto: false,
      });
      oc.model.reset();
      count = (await storedMessages(oc, sessionId)).length;
      compactedAt = count;
      if (count >= opts.messages) break;
    }
    const n = turns++;
    const filler = FILLER[n % FILLER.length];
    const tool = n % textEvery !== textEvery - 1;
    if (tool) {
      const toolCalls = Array.from({ length: calls }, (_, i) => ({
        name: "bash",
        args: { command: `echo turn-${n}-call-${i}`, description: `Echo turn ${n}, call ${i}` },
      }));
      oc.model.enqueue({ toolCalls, delayMs: 0 });
    } else {
      oc.model.enqueue({ text: `Reply ${n}. ${filler}`, delayMs: 0 });
    }
    const text = `Turn ${n}: ${tool ? "run the tools" : "say something"}. ${filler}`;
    const reply = await call(oc, "POST", `/session/${sessionId}/message`, {
      parts: [{ type: "text", text }],
    });
    oc.model.reset();
    if (reply?.info?.error) {
      throw new Error(`Cannot build turn ${n}: ${JSON.stringify(reply.info.error)}`);
    }
    count += tool ? 3 : 2;
    opts.onProgress?.(count, performance.now() - started);
  }
  return await describeSession(oc, sessionId, turns, started);
}

/**
 * A long session as the server stores it now: its size and the ids a test looks for. `turns`
 * and `started` (a `performance.now()`) are the maker's.
 */
export async function describeSession(
  oc: OpencodeServer,
  sessionId: string,
  turns: number,
  started: number,
): Promise<LongSession> {
  const stored = await storedMessages(oc, sessionId);
  const lastAssistant = stored.findLast((m) => m.info.role === "assistant");
  const lastText = lastAssistant?.parts.findLast((p) => p.type === "text");
  return {
    sessionId,
    messages: stored.length,
    turns,
    toolCalls: stored.reduce((a, m) => a + m.parts.filter((p) => p.type === "tool").length, 0),
    firstMessageId: stored[0]?.info.id ?? "",
    lastTextPartId: lastText?.id ?? "",
    lastText: lastText?.text ?? "",
    ms: performance.now() - started,
  };
}
