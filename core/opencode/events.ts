/**
 * The one subscription to the OpenCode server's event stream: `GET /global/event`, the events
 * of every project directory the server serves (or a directory's own `GET /event`).
 *
 * Transport only: it parses events (eventsource-parser, which keeps multi-byte UTF-8 split across
 * chunks intact because bytes go through TextDecoderStream first), watches the heartbeat, and
 * reconnects with backoff. Whoever owns the store takes a fresh snapshot on every `onOpen`.
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { OcEvent } from "./types.ts";

export type StreamState = "connecting" | "connected" | "reconnecting";

const QUIET_EVERY_MS = 5_000;

export interface EventStreamOptions {
  url: string;
  headers?: Record<string, string>;
  /** Called once the stream is open and `server.connected` arrived; await it before events flow. */
  onOpen: () => Promise<void> | void;
  onEvent: (event: DirectedEvent) => void;
  onState?: (state: StreamState, detail: string, attempt: number) => void;
  /** No message for this long (heartbeats come every ~10 s) means the stream is dead. */
  watchdogMs?: number;
  /**
   * How long to wait for the stream's first message. Shorter than the watchdog: a server that
   * is still starting can accept a connection and never answer it (docs/opencode-api.md §2.3).
   */
  connectTimeoutMs?: number;
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
 * `/global/event` envelopes (`{directory, project, payload}`) are unwrapped, the event keeping
 * its `directory`; their `sync` payloads (the server's own replication) are skipped. `onMessage` runs for every
 * SSE message, heartbeats included (the watchdog re-arms on it).
 */
export async function* readEvents(
  body: ReadableStream<Uint8Array>,
  onMessage: () => void = () => {},
): AsyncGenerator<DirectedEvent> {
  const messages = body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  for await (const msg of messages) {
    onMessage();
    let event: DirectedEvent & { payload?: OcEvent };
    try {
      event = JSON.parse(msg.data);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      console.warn(`opencode-desk: ignoring an undecodable event: ${msg.data.slice(0, 120)}`);
      continue;
    }
    if (event?.payload && typeof event.payload.type === "string") {
      const directory = event.directory;
      event = event.payload;
      if (typeof directory === "string" && directory) event.directory = directory;
    }
    if (!event || typeof event.type !== "string" || event.type === "sync") continue;
    event.properties ??= {};
    yield event;
  }
}

/** An event and, from `/global/event`, the project directory it happened in. */
export type DirectedEvent = OcEvent & { directory?: string };

export class EventStream {
  #opts: EventStreamOptions;
  #abort: AbortController | null = null;
  #closed = false;
  #attempt = 0;
  #sleepTimer: ReturnType<typeof setTimeout> | undefined;
  #wake: (() => void) | null = null;
  #running: Promise<void> | null = null;
  /** The server said `server.instance.disposed`: the end of this stream is expected. */
  #disposed = false;
  #openedAt = 0;
  #quietAt = -Infinity;
  #hurry = false;

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
    this.#hurry = true;
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
    let quiet = false;
    while (!this.#closed) {
      // After an instance dispose the state stays "connected" unless reconnecting fails.
      if (!quiet) {
        this.#opts.onState?.(
          this.#attempt === 0 ? "connecting" : "reconnecting",
          "",
          this.#attempt,
        );
      }
      this.#disposed = false;
      this.#openedAt = 0;
      let detail: string;
      try {
        await this.#readOnce();
        detail = "event stream ended";
      } catch (err) {
        detail = err instanceof Error ? err.message : String(err);
      }
      if (this.#closed) break;
      const now = performance.now();
      const lived = this.#openedAt ? now - this.#openedAt : 0;
      // A dispose is a normal event (docs/opencode-api.md §5.4): reconnect at once and say nothing
      // (at most every few seconds, so a server that keeps disposing cannot spin this loop).
      quiet = this.#disposed && this.#attempt === 0 && now - this.#quietAt > QUIET_EVERY_MS;
      if (quiet) {
        this.#quietAt = now;
        continue;
      }
      this.#attempt++;
      this.#opts.onState?.("reconnecting", detail, this.#attempt);
      // A stream that was healthy for a while is retried at once; one that ends as soon as it
      // opens waits like a failed connect.
      const delay = this.#hurry || (this.#attempt === 1 && lived >= 1000)
        ? 0
        : backoffDelay(Math.max(1, this.#attempt - 1), initial, max);
      this.#hurry = false;
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
    const connectMs = Math.min(watchdogMs, this.#opts.connectTimeoutMs ?? 10_000);
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const arm = (ms = watchdogMs, what = "nothing") => {
      clearTimeout(watchdog);
      watchdog = setTimeout(
        () => abort.abort(new Error(`Cannot read events: ${what} for ${ms} ms`)),
        ms,
      );
    };
    arm(connectMs, "no answer");
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
      for await (const event of readEvents(res.body, () => arm())) {
        if (!opened) {
          opened = true;
          this.#attempt = 0;
          this.#openedAt = performance.now();
          this.#opts.onState?.("connected", "", 0);
          // Nothing is read while the snapshot loads; the watchdog waits for it.
          clearTimeout(watchdog);
          await this.#opts.onOpen();
          arm();
        }
        if (event.type === "server.heartbeat" || event.type === "server.connected") continue;
        if (event.type === "server.instance.disposed") this.#disposed = true;
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
