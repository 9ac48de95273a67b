/**
 * How much of one project's session list the core reads, so the cost stays flat with thousands of
 * sessions. OpenCode lists sessions newest (updated) first and takes `limit`, `roots`, `search`
 * and `start` (updated at or after; a filter, not a cursor); without a limit it sends 100. The
 * windows hold a prefix of the
 * root sessions: every one updated at or after `until` (0: all of them). At start the core reads
 * the first page; "more" reads a longer page (the server has no cursor, so a page always starts
 * at the newest); after the event stream reconnects it re-reads only that range (`start=until`),
 * which brings what changed meanwhile and shows what was deleted. Search reads the server's
 * matches. One instance per project directory: it knows nothing but its reader.
 */
import type { SessionQuery } from "../opencode/client.ts";
import type { OcSession } from "../opencode/types.ts";
import type { Session } from "./convert.ts";

/** Reads `GET /session` of one directory. */
export type ListReader = (q: SessionQuery) => Promise<OcSession[]>;

/** Root sessions read at start. */
export const FIRST_PAGE = 50;
/** Each "more" reads a page this many times longer than the last one. */
export const PAGE_GROWTH = 4;
/** Sessions made while the event stream was down that a re-read takes beyond the range held. */
export const REREAD_SLACK = 200;
/** Subagent sessions read with a page, at most, per root session it holds. */
export const CHILDREN_PER_ROOT = 4;
/** Matches a search reads at most. */
export const SEARCH_LIMIT = 50;
/** A search text longer than this is refused. */
export const SEARCH_MAX = 200;

/** How far the windows' list reaches into the server's (proto `SessionListState`). */
export interface ListState {
  /** The oldest update time of the range held; 0: the whole list. */
  until: number;
  /** Older root sessions exist on the server. */
  more: boolean;
}

/**
 * The range a page covers: a page as long as asked for may have more behind it, so it reaches
 * back to its oldest session; a shorter one is the whole list.
 */
export function pageState(page: OcSession[], limit: number): ListState {
  if (page.length < limit) return { until: 0, more: false };
  const oldest = Math.min(...page.map((s) => s.time?.updated ?? 0));
  return { until: oldest, more: true };
}

/**
 * Known sessions the server no longer has, given a re-read of the range (`fresh`, every root
 * session updated at or after `until`): a known root in the range that the re-read lacks was
 * deleted, and so were the known subagent sessions under it.
 */
export function goneFrom(known: Session[], fresh: OcSession[], until: number): string[] {
  const live = new Set(fresh.map((s) => s.id));
  const gone = new Set(
    known.filter((s) => !s.parentId && (s.timeUpdated ?? 0) >= until && !live.has(s.id ?? ""))
      .map((s) => s.id ?? ""),
  );
  for (const s of known) if (s.parentId && gone.has(s.parentId)) gone.add(s.id ?? "");
  return [...gone];
}

export class SessionList {
  #read: ListReader;
  #state: ListState = { until: 0, more: false };
  /** The length of the last page asked for. */
  #limit = 0;
  #more: Promise<OcSession[]> | null = null;

  constructor(read: ListReader) {
    this.#read = read;
  }

  get state(): ListState {
    return { ...this.#state };
  }

  /** Whether a page was read since the start (or the last `reset`). */
  get started(): boolean {
    return this.#limit > 0;
  }

  /** Forgets the range (another server): the next read is a first page again. */
  reset(): void {
    this.#state = { until: 0, more: false };
    this.#limit = 0;
    this.#more = null;
  }

  /** The newest `FIRST_PAGE` root sessions, and the subagent sessions of that range. */
  async first(): Promise<OcSession[]> {
    const page = await this.#read({ roots: true, limit: FIRST_PAGE });
    this.#limit = FIRST_PAGE;
    this.#state = pageState(page, FIRST_PAGE);
    return [...page, ...await this.#children()];
  }

  /**
   * The subagent sessions updated in the range held (the history folds them under their parent;
   * one older than the range is read by id when a task block shows it).
   */
  async #children(): Promise<OcSession[]> {
    const { until } = this.#state;
    const limit = this.#limit * CHILDREN_PER_ROOT;
    const all = await this.#read(until ? { start: until, limit } : { limit });
    return all.filter((s) => s.parentID);
  }

  /**
   * A longer page, reaching further back, with its subagent sessions (shared by callers that
   * ask at once); empty when the whole list is held already.
   */
  more(): Promise<OcSession[]> {
    if (!this.#state.more) return Promise.resolve([]);
    this.#more ??= (async () => {
      const limit = Math.max(this.#limit, FIRST_PAGE) * PAGE_GROWTH;
      const page = await this.#read({ roots: true, limit });
      this.#limit = limit;
      this.#state = pageState(page, limit);
      return [...page, ...await this.#children()];
    })().finally(() => (this.#more = null));
    return this.#more;
  }

  /**
   * Every root session of the range held, read again after the event stream reconnected: what
   * changed while it was down is newer than `until`, so it is in there; a known one missing was
   * deleted (`goneFrom`). The range keeps its start and grows by what was made meanwhile,
   * unless that is more than `REREAD_SLACK`: then it ends where the page ends.
   */
  async reread(): Promise<OcSession[]> {
    const { until } = this.#state;
    const limit = Math.max(this.#limit, FIRST_PAGE) + REREAD_SLACK;
    const page = await this.#read(
      until ? { roots: true, start: until, limit } : { roots: true, limit },
    );
    if (page.length >= limit) this.#state = pageState(page, limit);
    this.#limit = Math.max(this.#limit, page.length);
    return page;
  }

  /** Sessions (subagents too) whose title contains `query`, newest first. */
  async search(query: string): Promise<{ sessions: OcSession[]; more: boolean }> {
    const q = query.trim();
    if (!q) throw new TypeError("Cannot search sessions: the search text is empty");
    if (q.length > SEARCH_MAX) {
      throw new RangeError(
        `Cannot search sessions: the search text is over ${SEARCH_MAX} characters`,
      );
    }
    const found = await this.#read({ search: q, limit: SEARCH_LIMIT + 1 });
    return { sessions: found.slice(0, SEARCH_LIMIT), more: found.length > SEARCH_LIMIT };
  }
}
