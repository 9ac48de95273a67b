/**
 * The session list's requests: read further back (the person scrolled to the end of the list)
 * and search the server's list by title. See core/state/session_list.ts.
 */
import type { ipc } from "../../proto/envelope.js";
import type { Store } from "../state/store.ts";
import { NotFoundError } from "../state/errors.ts";
import type { Reply } from "./handlers.ts";

/** Answers `LoadMoreSessions` (Ack; the sessions and the new range follow as events) and `SearchSessions`. */
export async function handleSessionList(
  store: Store,
  msg: ipc.ClientMessage,
  payload: "loadMoreSessions" | "searchSessions",
): Promise<Reply> {
  const dir = (payload === "loadMoreSessions" ? msg.loadMoreSessions : msg.searchSessions)
    ?.directory ?? "";
  if (dir && !store.sessions.directories().includes(dir)) {
    throw new NotFoundError(`Cannot read the session list of ${dir}: it is not an open project`);
  }
  switch (payload) {
    case "loadMoreSessions":
      await store.sessions.loadMoreSessions(dir);
      return { ack: {} };
    case "searchSessions": {
      const query = msg.searchSessions!.query ?? "";
      const found = await store.sessions.searchSessions(query, dir);
      return { sessionMatches: { query, ...found } };
    }
    default: {
      const unknown: never = payload;
      throw new TypeError(`Cannot handle request: unknown payload ${unknown}`);
    }
  }
}
