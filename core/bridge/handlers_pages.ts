/**
 * Requests of transcripts in pages: older messages of a session (`LoadOlder`) and find in session
 * (`FindInSession`). Called from one case group in handlers.ts.
 */
import type { ipc } from "../../proto/envelope.js";
import type { Store } from "../state/store.ts";
import type { Reply } from "./handlers.ts";

/** The longest query find in session takes. */
const MAX_QUERY = 200;

function required(value: string | null | undefined, field: string): string {
  if (!value) throw new TypeError(`Cannot handle request: ${field} is required`);
  return value;
}

/** Answers `loadOlder` and `findInSession`. */
export async function handlePages(
  store: Store,
  msg: ipc.ClientMessage,
  payload: "loadOlder" | "findInSession",
): Promise<Reply> {
  switch (payload) {
    case "loadOlder": {
      const l = msg.loadOlder!;
      const sessionId = required(l.sessionId, "session_id");
      const before = required(l.before, "before");
      return { transcript: await store.sessions.loadOlder(sessionId, before, l.until ?? "") };
    }
    case "findInSession": {
      const f = msg.findInSession!;
      const query = f.query ?? "";
      if (query.length > MAX_QUERY) {
        throw new RangeError(`Cannot find in session: the query is longer than ${MAX_QUERY}`);
      }
      const sessionId = required(f.sessionId, "session_id");
      await store.sessions.ensureSession(sessionId);
      return { findResult: await store.sessions.finder.find(sessionId, query) };
    }
    default: {
      const unknown: never = payload;
      throw new TypeError(`Cannot handle request: unknown payload ${unknown}`);
    }
  }
}
