/**
 * Several projects, answered for handlers.ts: showing a project in a window (core/state/
 * projects.ts) and the "Open folder…" dialog's directory listing (core/state/folders.ts).
 */
import type { ipc } from "../../proto/envelope.js";
import { listDirectory } from "../state/folders.ts";
import type { Store } from "../state/store.ts";

type Reply = Omit<ipc.ServerMessage.$Properties, "requestId">;

/** The requests of this file, as ClientMessage payload names. */
export type ProjectsPayload = "showProject" | "listDirectory";

/** Answers one of this file's requests for window `win`. */
export async function handleProjects(
  store: Store,
  win: number,
  msg: ipc.ClientMessage,
  payload: ProjectsPayload,
): Promise<Reply> {
  switch (payload) {
    case "showProject": {
      const projects = await store.projects.show(win, msg.showProject!.directory ?? "");
      store.projects.refreshServer();
      return { projects };
    }
    case "listDirectory": {
      const path = msg.listDirectory!.path || store.projects.shown(win);
      return { directoryListing: await listDirectory(path, Deno.env.get("HOME") ?? "") };
    }
    default: {
      const unknown: never = payload;
      throw new TypeError(`Cannot handle request: unknown payload ${unknown}`);
    }
  }
}
