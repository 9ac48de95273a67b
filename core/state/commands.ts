/**
 * What the composer's power tools do on the OpenCode side: list the server's commands, run one
 * (or a shell command) in a session, find project files, and turn mentioned files into checked
 * file parts. A command and a shell command hold the server's answer until the turn ends, so
 * they are replied as soon as the server took them; what follows streams as events.
 */
import type { ipc } from "../../proto/gen/ipc.js";
import { OpencodeError } from "../opencode/client.ts";
import {
  findFiles as findOnServer,
  listCommands as listOnServer,
  runCommand as runOnServer,
  runShell as shellOnServer,
} from "../opencode/commands_client.ts";
import { type MentionFile, resolveMention } from "./mentions.ts";
import type { Sessions } from "./sessions.ts";

/**
 * How long a started command may take to fail before it counts as taken: a refusal (unknown
 * command, busy session) comes at once, a turn takes longer.
 */
const ACCEPT_MS = 1_500;
const FIND_LIMIT = 20;
const FIND_MAX = 100;

type ModelRef = { providerID: string; modelID: string };

/** The model a request names, if any (provider and model go together). */
function modelOf(providerId?: string | null, modelId?: string | null): ModelRef | undefined {
  if (!providerId && !modelId) return undefined;
  if (!providerId || !modelId) {
    throw new TypeError("Cannot run a command: provider_id and model_id go together");
  }
  return { providerID: providerId, modelID: modelId };
}

/** The server's commands, without their templates (the UI shows names and hints only). */
export async function listCommands(
  sessions: Sessions,
  directory = "",
): Promise<ipc.CommandInfo.$Properties[]> {
  const list = await listOnServer(sessions.client.at(directory));
  return list.map((c) => ({
    name: c.name,
    description: c.description ?? "",
    hints: c.hints ?? [],
    source: c.source ?? "command",
  }));
}

/**
 * Resolves once the server took `turn` (it has not failed within ACCEPT_MS); a later failure is
 * logged, and the session's own events show the person what happened.
 */
async function accepted(turn: Promise<unknown>, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = turn.then(() => {}, (err) => {
    if (!(err instanceof OpencodeError)) throw err;
    return err;
  });
  const first = await Promise.race([
    late,
    new Promise<"running">((r) => timer = setTimeout(r, ACCEPT_MS, "running")),
  ]);
  clearTimeout(timer);
  if (first instanceof OpencodeError) {
    throw first.status === 409
      ? new OpencodeError(`Cannot run ${what}: the session is busy; wait or stop it`, 409)
      : first;
  }
  if (first === "running") {
    late.then((err) => err && console.warn(`opencode-desk: ${err.message}`));
  }
}

/**
 * The checked file parts of the mentioned files of the session's project (MentionError on the
 * first bad one).
 */
export function mentionFiles(
  sessions: Sessions,
  mentions: ipc.Mention.$Properties[] | null | undefined,
  sessionId: string,
): Promise<MentionFile[]> {
  const dir = sessions.dirOf(sessionId);
  return Promise.all((mentions ?? []).map((m) => resolveMention(dir, m.path ?? "")));
}

/** Runs a server command (`/review`, a project command) in a session with its arguments. */
export async function runCommand(sessions: Sessions, r: ipc.RunCommand.$Properties): Promise<void> {
  const sessionId = r.sessionId ?? "";
  const command = (r.command ?? "").trim().replace(/^\//, "");
  if (!sessionId || !command) {
    throw new TypeError("Cannot run a command: session_id and command are required");
  }
  const files = await mentionFiles(sessions, r.files, sessionId);
  const model = modelOf(r.providerId, r.modelId);
  await sessions.openSession(sessionId);
  const turn = runOnServer(sessions.clientFor(sessionId), sessionId, {
    command,
    arguments: r.arguments ?? "",
    agent: r.agent || undefined,
    model,
    variant: r.variant || undefined,
    files,
  });
  await accepted(turn, `/${command}`);
}

/** Runs a shell command in a session; the server records it and its output in the transcript. */
export async function runShell(sessions: Sessions, r: ipc.RunShell.$Properties): Promise<void> {
  const sessionId = r.sessionId ?? "";
  const command = (r.command ?? "").trim();
  if (!sessionId || !command) {
    throw new TypeError("Cannot run a shell command: session_id and command are required");
  }
  const model = modelOf(r.providerId, r.modelId);
  // The route needs an agent: the tab's, else the server's default.
  const agent = r.agent || sessions.catalog.defaultAgent || "build";
  await sessions.openSession(sessionId);
  const client = sessions.clientFor(sessionId);
  await accepted(shellOnServer(client, sessionId, { command, agent, model }), command);
}

/** Files of a project (the startup one unless given) matching `query`, relative to it. */
export async function findFiles(
  sessions: Sessions,
  f: ipc.FindFiles.$Properties,
  directory = "",
): Promise<string[]> {
  const query = (f.query ?? "").trim();
  const limit = Math.min(f.limit || FIND_LIMIT, FIND_MAX);
  if (!query) return [];
  return await findOnServer(sessions.client.at(directory), query, limit);
}
