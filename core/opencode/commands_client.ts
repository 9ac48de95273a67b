/**
 * The OpenCode routes behind the composer's power tools: the command list, running a command or
 * a shell command in a session, and the project's file finder (docs/opencode-api.md §4). Kept
 * beside client.ts, which it uses for transport, auth and errors.
 */
import type { OpencodeClient } from "./client.ts";
import type { OcMessageWithParts } from "./types.ts";

/** One entry of `GET /command` (its template stays on the server). */
export interface OcCommand {
  name: string;
  description?: string;
  hints?: string[];
  source?: string;
  template?: string;
}

/** A command or a shell command runs the whole turn before the server answers. */
const TURN_TIMEOUT_MS = 30 * 60_000;

/** The server's commands: built-in (init, review) and the project's own `.opencode/command/`. */
export function listCommands(client: OpencodeClient): Promise<OcCommand[]> {
  return client.request("GET", "/command");
}

export interface CommandInput {
  command: string;
  arguments: string;
  agent?: string;
  model?: { providerID: string; modelID: string };
  variant?: string;
  files?: { mime: string; filename: string; url: string }[];
}

/** Runs a command in a session; resolves when the turn it started ends. */
export function runCommand(
  client: OpencodeClient,
  sessionId: string,
  input: CommandInput,
): Promise<OcMessageWithParts> {
  const body: Record<string, unknown> = { command: input.command, arguments: input.arguments };
  if (input.agent) body.agent = input.agent;
  // This route names a model "provider/model", unlike prompt_async.
  if (input.model) body.model = `${input.model.providerID}/${input.model.modelID}`;
  if (input.variant) body.variant = input.variant;
  if (input.files?.length) body.parts = input.files.map((f) => ({ type: "file", ...f }));
  return client.request("POST", `/session/${encodeURIComponent(sessionId)}/command`, body, {
    timeoutMs: TURN_TIMEOUT_MS,
  });
}

/** Runs a shell command in a session (409 while the session is busy); resolves when it ends. */
export function runShell(
  client: OpencodeClient,
  sessionId: string,
  input: { command: string; agent: string; model?: { providerID: string; modelID: string } },
): Promise<OcMessageWithParts> {
  const body: Record<string, unknown> = { command: input.command, agent: input.agent };
  if (input.model) body.model = input.model;
  return client.request("POST", `/session/${encodeURIComponent(sessionId)}/shell`, body, {
    timeoutMs: TURN_TIMEOUT_MS,
  });
}

/** Project files whose path matches `query` (the server's fuzzy match), relative paths. */
export function findFiles(client: OpencodeClient, query: string, limit: number): Promise<string[]> {
  return client.request("GET", "/find/file", undefined, {
    query: { query, dirs: "false", limit: String(limit) },
  });
}
