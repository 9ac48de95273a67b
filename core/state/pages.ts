/**
 * Transcripts in pages: which messages the core reads from the server, hands to a window and
 * keeps. Free of I/O (the server is a `PageReader`), so it is tested with a fake one.
 *
 * A page always starts at a user message: a turn (the user's message and every step of the reply)
 * is never cut in half, so a window can group the steps of a reply from what it holds. Pages run
 * oldest first; a page's `before` is the cursor of the messages older than its first one ("" when
 * that is the session's first message).
 */
import { ipc } from "../../proto/gen/ipc.js";
import { pageCursor } from "../opencode/client.ts";
import type { OcMessageWithParts } from "../opencode/types.ts";
import type { MessageEntry, Transcript } from "./reducer.ts";

/** Messages in the page a window gets when it opens a session, and in each older page. */
export const PAGE_MESSAGES = 40;
/** Messages read at a time to reach back to the start of a turn longer than a page. */
const TURN_STEP = 10;
/** A transcript the core keeps grows to this many messages before its oldest turns go. */
export const KEEP_MESSAGES = 200;

/** One read of the server: the newest `limit` messages before `before`, and whether more exist. */
export type PageReader = (
  limit: number,
  before: string,
) => Promise<{ messages: OcMessageWithParts[]; more: boolean }>;

/** A page as read: its messages (oldest first) and the cursor of what precedes them. */
export interface Page {
  messages: OcMessageWithParts[];
  before: string;
}

/**
 * Reads the page before `before` ("" for the newest): about `limit` messages, starting at a user
 * message (what precedes it in the read belongs to the page before), read further back when the
 * read held no user message (one long turn); with `until`, as many as it takes to include that
 * message id.
 */
export async function readPage(
  read: PageReader,
  limit: number,
  before = "",
  until = "",
): Promise<Page> {
  let { messages, more } = await read(limit, before);
  /** Reads `n` more before the first message; how many older ones came. */
  const back = async (n: number) => {
    const first = messages[0].info.id;
    const older = await read(n, pageCursor(messages[0].info));
    // Only what is older than what we have: a server that ignored the cursor repeats itself.
    const fresh = older.messages.filter((m) => m.info.id < first);
    if (!fresh.length) return 0;
    messages = [...fresh, ...messages];
    more = older.more;
    return fresh.length;
  };
  while (more && until && messages.length && messages[0].info.id > until) {
    if (!await back(limit)) break;
  }
  const starts = (i: number) =>
    messages[i].info.role === "user" && (!until || messages[i].info.id <= until);
  // The first turn that starts in the page; else the nearest start read further back.
  let at = messages.findIndex((_, i) => starts(i));
  while (at < 0 && more && messages.length) {
    const added = await back(TURN_STEP);
    if (!added) break;
    for (let i = added - 1; i >= 0 && at < 0; i--) if (starts(i)) at = i;
  }
  if (at > 0) {
    messages = messages.slice(at);
    more = true;
  }
  return { messages, before: more && messages.length ? pageCursor(messages[0].info) : "" };
}

/**
 * Drops the oldest whole turns of a transcript the core keeps once it holds more than `keep`
 * messages, down to the newest turns that fit in `PAGE_MESSAGES` (at least the last turn). A
 * window keeps what it shows: it holds its own copy, and the core's re-reads replace only from
 * the first message they carry (see `mergeReplacement` in the UI's store). Returns the number of
 * messages dropped.
 */
export function trimTranscript(t: Transcript, keep = KEEP_MESSAGES): number {
  if (t.messages.size <= keep) return 0;
  const ordered = [...t.messages.values()].sort((a, b) => cmp(a.info.id, b.info.id));
  const cut = cutIndex(ordered, PAGE_MESSAGES);
  if (cut <= 0) return 0;
  for (const e of ordered.slice(0, cut)) t.messages.delete(e.info.id ?? "");
  const first = ordered[cut].info;
  t.floor = first.id ?? "";
  t.before = pageCursor({ id: first.id ?? "", time: { created: first.timeCreated ?? 0 } });
  return cut;
}

/**
 * Where the newest turns fitting in `size` messages begin: the first user message at or after
 * `length - size`, else the last user message before (one turn larger than `size`), else 0.
 */
export function cutIndex(ordered: MessageEntry[], size: number): number {
  const isUser = (e: MessageEntry) => e.info.role === ipc.Role.ROLE_USER;
  const from = Math.max(0, ordered.length - size);
  for (let i = from; i < ordered.length; i++) if (isUser(ordered[i])) return i;
  for (let i = from - 1; i >= 0; i--) if (isUser(ordered[i])) return i;
  return 0;
}

function cmp(a?: string | null, b?: string | null): number {
  return (a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0;
}
