/**
 * The composer's power tools, answered for handlers.ts: the server's commands, running one or a
 * shell command in a session, finding project files, and a message with mentioned files and
 * agents (each file checked to lie inside the project, core/state/mentions.ts).
 */
import type { ipc } from "../../proto/envelope.js";
import { findFiles, listCommands, mentionFiles, runCommand, runShell } from "../state/commands.ts";
import type { Store } from "../state/store.ts";
import type { PromptInput } from "../opencode/client.ts";

type Reply = Omit<ipc.ServerMessage.$Properties, "requestId">;

/** The requests of this file, as ClientMessage payload names. */
export type CommandsPayload =
  | "listCommands"
  | "runCommand"
  | "runShell"
  | "findFiles"
  | "sendMentions";

/** An agent name as the catalog spells them: a word, never a path or a sentence. */
const AGENT_NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;

/**
 * Answers one of this file's requests. `prompt` turns the SendMessage inside `sendMentions` into
 * what the server gets (the same checks as a plain send); `directory` is where the window's
 * message box works (the shown session's project: its commands and files are the ones listed).
 */
export async function handleCommands(
  store: Store,
  msg: ipc.ClientMessage,
  payload: CommandsPayload,
  prompt: (m: ipc.SendMessage.$Properties) => PromptInput & { sessionId: string },
  directory = "",
): Promise<Reply> {
  const sessions = store.sessions;
  switch (payload) {
    case "listCommands":
      return { commands: { commands: await listCommands(sessions, directory) } };
    case "runCommand":
      await runCommand(sessions, msg.runCommand!);
      return { ack: {} };
    case "runShell":
      await runShell(sessions, msg.runShell!);
      return { ack: {} };
    case "findFiles":
      return { fileMatches: { paths: await findFiles(sessions, msg.findFiles!, directory) } };
    case "sendMentions": {
      const s = msg.sendMentions!;
      if (!s.message) throw new TypeError("Cannot send a message: message is required");
      const { sessionId, ...input } = prompt(s.message);
      const agents = [...new Set(s.agents ?? [])];
      const bad = agents.find((a) => !AGENT_NAME.test(a));
      if (bad !== undefined) throw new TypeError(`Cannot mention agent ${bad}: not an agent name`);
      const files = await mentionFiles(sessions, s.files, sessionId);
      await store.send(sessionId, {
        ...input,
        files: [...(input.files ?? []), ...files],
        agents,
      });
      return { ack: {} };
    }
    default: {
      const unknown: never = payload;
      throw new TypeError(`Cannot handle request: unknown payload ${unknown}`);
    }
  }
}
