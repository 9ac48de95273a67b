/**
 * Find in session: every occurrence of a word in a session's stored text, loaded in a window or
 * not. The core reads the session from the server (the windows hold only pages of it) and keeps
 * the searchable text of the last few sessions searched until one of them changes.
 */
import type { ipc } from "../../proto/gen/ipc.js";
import type { OcMessageWithParts } from "../opencode/types.ts";

/** Hits sent at most; the result says when there were more. */
export const MAX_HITS = 1000;
/** Sessions whose text stays indexed between searches. */
const CACHED_SESSIONS = 4;

/** A searchable piece: the text of one part, lower-cased. */
interface Piece {
  messageId: string;
  partId: string;
  text: string;
}

/** The text a person reads in a session: text parts, not the synthetic ones the server adds. */
export function piecesOf(messages: OcMessageWithParts[]): Piece[] {
  const pieces: Piece[] = [];
  for (const m of messages) {
    for (const p of m.parts) {
      if (p.type !== "text" || p.synthetic || !p.text) continue;
      pieces.push({ messageId: m.info.id, partId: p.id, text: p.text.toLowerCase() });
    }
  }
  return pieces;
}

/** Every occurrence of `query` (case-insensitive) in transcript order, at most `max`. */
export function findIn(
  pieces: Piece[],
  query: string,
  max = MAX_HITS,
): { hits: ipc.FindHit.$Properties[]; truncated: boolean } {
  const q = query.toLowerCase();
  const hits: ipc.FindHit.$Properties[] = [];
  if (!q.trim()) return { hits, truncated: false };
  for (const piece of pieces) {
    let at = piece.text.indexOf(q);
    let n = 0;
    while (at >= 0) {
      if (hits.length >= max) return { hits, truncated: true };
      hits.push({ messageId: piece.messageId, partId: piece.partId, occurrence: n++ });
      at = piece.text.indexOf(q, at + q.length);
    }
  }
  return { hits, truncated: false };
}

/** Searches sessions read through `read`, caching their text until `changed` is called. */
export class Finder {
  #cache = new Map<string, Promise<Piece[]>>();
  #read: (sessionId: string) => Promise<OcMessageWithParts[]>;

  constructor(read: (sessionId: string) => Promise<OcMessageWithParts[]>) {
    this.#read = read;
  }

  /** The hits of `query` in the session's whole stored text. */
  async find(sessionId: string, query: string): Promise<ipc.FindResult.$Properties> {
    let pieces = this.#cache.get(sessionId);
    if (!pieces) {
      pieces = this.#read(sessionId).then(piecesOf);
      pieces.catch(() => this.#cache.delete(sessionId));
      this.#cache.set(sessionId, pieces);
      while (this.#cache.size > CACHED_SESSIONS) {
        this.#cache.delete(this.#cache.keys().next().value!);
      }
    } else {
      this.#cache.delete(sessionId); // most recently used last
      this.#cache.set(sessionId, pieces);
    }
    const { hits, truncated } = findIn(await pieces, query);
    return { sessionId, query, hits, truncated };
  }

  /** The session changed on the server: its text is read again at the next search. */
  changed(sessionId: string): void {
    this.#cache.delete(sessionId);
  }
}
