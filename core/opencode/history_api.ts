/**
 * The OpenCode routes behind undo, redo, fork, compaction, sharing, a session's changes and the
 * agent's todo list (docs/opencode-api.md §4). Kept beside client.ts, whose `request` they use,
 * so the URLs stay in core/opencode/.
 */
import type { OpencodeClient } from "./client.ts";
import type { OcFileDiff, OcSession, OcTodo } from "./types.ts";

const at = (id: string) => `/session/${encodeURIComponent(id)}`;

/** Undoes the session to before `messageID`: its messages fold and their file changes go. */
export function revert(client: OpencodeClient, id: string, messageID: string): Promise<OcSession> {
  return client.request("POST", `${at(id)}/revert`, { messageID }, { timeoutMs: 60_000 });
}

/** Takes the undo back: messages and files as they were. */
export function unrevert(client: OpencodeClient, id: string): Promise<OcSession> {
  return client.request("POST", `${at(id)}/unrevert`, undefined, { timeoutMs: 60_000 });
}

/** A new session holding the messages before `messageID` (all of them without it). */
export function fork(client: OpencodeClient, id: string, messageID?: string): Promise<OcSession> {
  return client.request("POST", `${at(id)}/fork`, messageID ? { messageID } : {});
}

/** Summarises the session with a model; resolves when the compaction is done. */
export function summarize(
  client: OpencodeClient,
  id: string,
  model: { providerID: string; modelID: string },
): Promise<boolean> {
  return client.request("POST", `${at(id)}/summarize`, model, { timeoutMs: 120_000 });
}

export function share(client: OpencodeClient, id: string): Promise<OcSession> {
  return client.request("POST", `${at(id)}/share`);
}

export function unshare(client: OpencodeClient, id: string): Promise<OcSession> {
  return client.request("DELETE", `${at(id)}/share`);
}

/** The files the session changed, with their patches. */
export function sessionDiff(client: OpencodeClient, id: string): Promise<OcFileDiff[]> {
  return client.request("GET", `${at(id)}/diff`, undefined, { timeoutMs: 60_000 });
}

/** The agent's todo list of a session. */
export function todos(client: OpencodeClient, id: string): Promise<OcTodo[]> {
  return client.request("GET", `${at(id)}/todo`);
}
