/**
 * The one subscription to the OpenCode server's `GET /event` SSE stream.
 *
 * Transport only: it parses events (eventsource-parser, which keeps multi-byte UTF-8 split across
 * chunks intact because bytes go through TextDecoderStream first), watches the heartbeat, and
 * reconnects with backoff. Whoever owns the store takes a fresh snapshot on every `onOpen`.
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { OcEvent } from "./types.ts";

export type StreamState = "connecting" | "connected" | "reconnecting";

export interface EventStreamOptions {
  url: string;
  headers?: Record<string, string>;
  /** Called once the stream is open and `server.connected` arrived; await it before events flow. */
  onOpen: () => Promise<void> | void;
  onEvent: (event: OcEvent) => void;
  onState?: (state: StreamState, detail: string, attempt: number) => void;
  /** No bytes for this long (heartbeats come every ~10 s) means the stream is dead. */
  watchdogMs?: number;
  backoffMs?: { initial: number; max: number };
}

/** Delay before reconnect attempt `n` (1-based): exponential with ±20 % jitter. */
export function backoffDelay(n: number, initial: number, max: number): number {
  const base = Math.min(max, initial * 2 ** Math.max(0, n - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * Decodes an SSE body into OpenCode events. Bytes are decoded by a streaming TextDecoder, so a
 * UTF-8 character split across chunks survives. Undecodable events are reported and skipped;
 * `/global/event` envelopes (`{directory, payload}`) are unwrapped. `onMessage` runs for every
 * SSE message, heartbeats included (the watchdog re-arms on it).
 */
export async function* readEvents(
  body: ReadableStream<Uint8Array>,
  onMessage: () => void = () => {},
): AsyncGenerator<OcEvent> {
  const messages = body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  for await (const msg of messages) {
    onMessage();
    let event: OcEvent & { payload?: OcEvent };
    try {
      event = JSON.parse(msg.data);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      console.warn(`opencode-desk: ignoring an undecodable event: ${msg.data.slice(0, 120)}`);
      continue;
    }
    if (event?.payload && typeof event.payload.type === "string") event = event.payload;
    if (!event || typeof event.type !== "string") continue;
    event.properties ??= {};
    yield event;
  }
}

export class EventStream {
  #opts: EventStreamOptions;
  #abort: AbortController | null = null;
  #closed = false;
  #attempt = 0;
  #sleepTimer: ReturnType<typeof setTimeout> | undefined;
  #wake: (() => void) | null = null;
  #running: Promise<void> | null = null;

  constructor(opts: EventStreamOptions) {
    this.#opts = opts;
  }

  /** Starts the connect / read / reconnect loop; resolves when `close()` is called. */
  start(): Promise<void> {
    this.#running ??= this.#loop();
    return this.#running;
  }

  /** Drops the current connection and reconnects at once (e.g. after the server came back). */
  reconnectNow(): void {
    this.#attempt = 0;
    this.#abort?.abort(new Error("reconnect requested"));
    this.#wakeUp();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#abort?.abort(new Error("closed"));
    this.#wakeUp();
    await this.#running;
  }

  #wakeUp(): void {
    clearTimeout(this.#sleepTimer);
    this.#wake?.();
    this.#wake = null;
  }

  async #loop(): Promise<void> {
    const { initial, max } = this.#opts.backoffMs ?? { initial: 250, max: 5000 };
    while (!this.#closed) {
      this.#opts.onState?.(
        this.#attempt === 0 ? "connecting" : "reconnecting",
        "",
        this.#attempt,
      );
      let detail: string;
      try {
        await this.#readOnce();
        detail = "event stream ended";
      } catch (err) {
        detail = err instanceof Error ? err.message : String(err);
      }
      if (this.#closed) break;
      this.#attempt++;
      this.#opts.onState?.("reconnecting", detail, this.#attempt);
      // A clean end after a successful session (e.g. instance dispose) reconnects at once.
      const delay = this.#attempt === 1 ? 0 : backoffDelay(this.#attempt - 1, initial, max);
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#sleepTimer = setTimeout(resolve, delay);
      });
    }
  }

  async #readOnce(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    const watchdogMs = this.#opts.watchdogMs ?? 25_000;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(
        () => abort.abort(new Error(`Cannot read events: nothing for ${watchdogMs} ms`)),
        watchdogMs,
      );
    };
    arm();
    try {
      const res = await fetch(this.#opts.url, {
        headers: { accept: "text/event-stream", ...this.#opts.headers },
        signal: abort.signal,
      });
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        throw new Error(`Cannot open event stream: HTTP ${res.status}`);
      }
      const type = res.headers.get("content-type") ?? "";
      if (!type.includes("text/event-stream")) {
        await res.body.cancel();
        throw new Error(`Cannot open event stream: got ${type || "no content type"}`);
      }
      let opened = false;
      for await (const event of readEvents(res.body, arm)) {
        if (!opened) {
          opened = true;
          this.#attempt = 0;
          this.#opts.onState?.("connected", "", 0);
          await this.#opts.onOpen();
        }
        if (event.type === "server.heartbeat" || event.type === "server.connected") continue;
        this.#opts.onEvent(event);
      }
    } catch (err) {
      if (abort.signal.aborted) {
        const reason = abort.signal.reason;
        throw reason instanceof Error ? reason : new Error(String(reason));
      }
      throw err;
    } finally {
      clearTimeout(watchdog);
      if (!abort.signal.aborted) abort.abort(new Error("done"));
    }
  }
}
