/**
 * Records a real OpenCode server's `GET /event` stream byte for byte (docs/opencode-api.md §5),
 * keeping each SSE message's raw text next to its parsed event, so a capture can write the exact
 * bytes the server sent and wait on what it sent.
 * @module
 */
import type { OcEvent } from "../../core/opencode/types.ts";

/** One SSE message as the server sent it (`data: {...}` and its blank line) and its event. */
export interface RecordedEvent {
  raw: string;
  event: OcEvent;
  at: number;
}

interface Waiter {
  match: (e: OcEvent) => boolean;
  resolve: (e: OcEvent) => void;
}

/** The session an event belongs to, or "" for server-wide events. */
export function sessionOf(event: OcEvent): string {
  const p = event.properties ?? {};
  const info = p.info as { id?: string; sessionID?: string } | undefined;
  const part = p.part as { sessionID?: string } | undefined;
  if (typeof p.sessionID === "string") return p.sessionID;
  if (info?.sessionID) return info.sessionID;
  if (event.type.startsWith("session.") && info?.id) return info.id;
  return part?.sessionID ?? "";
}

/** A live recording of one `/event` connection; open it with {@linkcode EventRecorder.open}. */
export class EventRecorder implements AsyncDisposable {
  #recorded: RecordedEvent[] = [];
  #waiters = new Set<Waiter>();
  #abort = new AbortController();
  #reading: Promise<void>;

  private constructor(body: ReadableStream<Uint8Array>) {
    this.#reading = this.#read(body).catch((err) => {
      if (!this.#abort.signal.aborted) throw err;
    });
  }

  /** Connects to `<url>/event` and resolves once `server.connected` arrived. */
  static async open(url: string): Promise<EventRecorder> {
    const res = await fetch(`${url}/event`, { headers: { accept: "text/event-stream" } });
    if (!res.ok || !res.body) throw new Error(`Cannot record events: GET /event ${res.status}`);
    const recorder = new EventRecorder(res.body);
    await recorder.next((e) => e.type === "server.connected", "server.connected", {
      timeoutMs: 10_000,
    });
    return recorder;
  }

  /** Everything recorded so far. */
  get recorded(): readonly RecordedEvent[] {
    return this.#recorded;
  }

  /** Events recorded so far that match. */
  events(match: (e: OcEvent) => boolean = () => true): OcEvent[] {
    return this.#recorded.map((r) => r.event).filter(match);
  }

  /** The first event that matches, recorded already (from index `from` on) or still to come. */
  next(
    match: (e: OcEvent) => boolean,
    what: string,
    { from = 0, timeoutMs = 30_000 } = {},
  ): Promise<OcEvent> {
    const seen = this.#recorded.slice(from).find((r) => match(r.event));
    if (seen) return Promise.resolve(seen.event);
    return this.#wait(match, what, timeoutMs);
  }

  /** The next event from now on that matches. */
  #wait(match: (e: OcEvent) => boolean, what: string, timeoutMs: number): Promise<OcEvent> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`Cannot record events: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Resolves once no event matching `match` has arrived for `ms` (the server has settled). */
  async settled(match: (e: OcEvent) => boolean, ms: number): Promise<void> {
    for (;;) {
      const last = this.#recorded.findLast((r) => match(r.event))?.at ?? 0;
      const left = last + ms - performance.now();
      if (left <= 0) return;
      // Either the quiet period ends, or a newer matching event restarts it.
      await this.#wait(match, "a quiet moment", left).catch(() => {});
    }
  }

  /** Stops reading. */
  async close(): Promise<void> {
    this.#abort.abort();
    await this.#reading;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const text = body.pipeThrough(new TextDecoderStream(), { signal: this.#abort.signal });
    let rest = "";
    for await (const chunk of text) {
      const blocks = (rest + chunk).split("\n\n");
      rest = blocks.pop() ?? "";
      for (const block of blocks) this.#add(block);
    }
  }

  #add(block: string): void {
    const data = block.split("\n").filter((l) => l.startsWith("data:"))
      .map((l) => l.slice(5).trimStart()).join("\n");
    if (!data) return;
    const event = JSON.parse(data) as OcEvent;
    event.properties ??= {};
    this.#recorded.push({ raw: `${block}\n\n`, event, at: performance.now() });
    for (const w of this.#waiters) {
      if (w.match(event)) {
        this.#waiters.delete(w);
        w.resolve(event);
      }
    }
  }
}
