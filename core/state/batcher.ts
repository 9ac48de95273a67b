/**
 * Coalesces reducer changes between flushes (at most one flush per 16 ms) so a burst of tokens
 * costs one WebSocket frame per connected UI, not one per token; a change after a quiet spell
 * goes out at once.
 *
 * Rules: deltas for the same part and field are concatenated; a part upsert drops the deltas queued
 * before it for that part (the upsert already contains their effect: it is the snapshot); a later
 * upsert of the same message, part or session replaces the earlier one in place.
 */
import type { Event } from "./convert.ts";

function keyOf(e: Event): string | null {
  if (e.partUpdated) return `p:${e.partUpdated.id}`;
  if (e.messageUpdated) return `m:${e.messageUpdated.id}`;
  if (e.sessionUpdated) return `s:${e.sessionUpdated.id}`;
  if (e.sessionStatusChanged) return `st:${e.sessionStatusChanged.sessionId}`;
  return null;
}

export class Batcher {
  #queue: (Event | null)[] = [];
  #index = new Map<string, number>(); // upsert key -> position in queue
  #deltaIndex = new Map<string, number>(); // part id + field -> position of its open delta
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flush: (events: Event[]) => void;
  #intervalMs: number;
  #lastFlush = -Infinity;

  constructor(flush: (events: Event[]) => void, intervalMs = 16) {
    this.#flush = flush;
    this.#intervalMs = intervalMs;
  }

  get pending(): number {
    return this.#queue.length;
  }

  push(events: Event[]): void {
    for (const e of events) this.#push(e);
    if (this.#queue.length && this.#timer === undefined) {
      // Leading edge: a change that comes at least half a window after the last flush goes out
      // on the next task (events of the same network chunk still share it); one that follows
      // closer waits for the window. A steady stream of tokens a little faster than the window
      // would otherwise drift and wait up to a whole window each; a burst still coalesces.
      const since = performance.now() - this.#lastFlush;
      const wait = since >= this.#intervalMs / 2 ? 0 : this.#intervalMs - since;
      this.#timer = setTimeout(() => this.flush(), wait);
    }
  }

  #push(e: Event): void {
    if (e.partAppended) {
      const d = e.partAppended;
      const k = `${d.partId}:${d.field}`;
      const at = this.#deltaIndex.get(k);
      const queued = at === undefined ? null : this.#queue[at]?.partAppended;
      if (queued) {
        this.#queue[at!] = {
          partAppended: { ...queued, delta: (queued.delta ?? "") + (d.delta ?? "") },
        };
      } else {
        this.#deltaIndex.set(k, this.#queue.length);
        this.#queue.push(e);
      }
      return;
    }
    if (e.partUpdated) {
      // The snapshot supersedes every delta queued before it.
      for (const [k, at] of this.#deltaIndex) {
        if (k.startsWith(`${e.partUpdated.id}:`)) {
          this.#queue[at] = null;
          this.#deltaIndex.delete(k);
        }
      }
    }
    if (e.sessionRemoved || e.messageRemoved || e.partRemoved || e.transcriptReplaced) {
      // Structural changes keep their place; later upserts must not jump ahead of them.
      this.#index.clear();
      this.#deltaIndex.clear();
      this.#queue.push(e);
      return;
    }
    const key = keyOf(e);
    const at = key === null ? undefined : this.#index.get(key);
    if (at !== undefined && this.#queue[at]) {
      this.#queue[at] = e;
      return;
    }
    if (key !== null) this.#index.set(key, this.#queue.length);
    this.#queue.push(e);
  }

  /** Sends everything queued now (also called before any reply, so replies never overtake). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#lastFlush = performance.now();
    const events = this.#queue.filter((e): e is Event => e !== null);
    this.#queue = [];
    this.#index.clear();
    this.#deltaIndex.clear();
    if (events.length) this.#flush(events);
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
