// @ts-check
/**
 * The protocol's enums as the words the UI works with (CSS data attributes, radio values, class
 * names), and back. One table per enum, so no component compares enum numbers or spells a word
 * the core does not know. Also the facts the core sends (a permission's kind, an error) as the
 * sentences a person reads.
 */
import { ipc } from "../../proto/envelope.js";
import { Role, ToolStatus } from "../../proto/words.js";

export {
  AnthropicAuth,
  CredentialSource,
  Density,
  LiveCredential,
  PermissionReply,
  SendKey,
  TextSize,
  Theme,
} from "../../proto/words.js";

/** "user", "assistant", or "" for a message whose info has not arrived. */
export function roleOf(/** @type {ipc.Message.$Properties | null | undefined} */ info) {
  return Role.word(info?.role);
}

/** "pending" | "running" | "completed" | "error" | "aborted" */
export function toolStatusOf(/** @type {ipc.ToolState.$Properties | null | undefined} */ state) {
  return ToolStatus.word(state?.status);
}

/** Whether an agent is only for delegation (shown under "Subagents"). */
export function isSubagent(/** @type {ipc.Agent.$Properties} */ agent) {
  return agent.mode === ipc.AgentMode.AGENT_MODE_SUBAGENT;
}

/** What each permission lets the agent do, in words. */
const ACTIONS = /** @type {Record<string, string>} */ ({
  bash: "run a command",
  edit: "change files",
  write: "write a file",
  read: "read a file",
  glob: "list files",
  grep: "search files",
  list: "list a directory",
  webfetch: "fetch a web page",
  websearch: "search the web",
  task: "start a subagent",
  external_directory: "work outside the project directory",
  doom_loop: "repeat the same tool call again",
  skill: "load a skill",
});

/** What a permission lets the agent do, in words ("run a command"). @param {string} kind */
export const permissionAction = (kind) => ACTIONS[kind] ?? `use ${kind}`;

/** A message's or a session's error as one line. @param {ipc.ErrorInfo.$Properties} e */
export function errorText(e) {
  if (e.name === "MessageAbortedError") return "Stopped.";
  const code = e.statusCode ? ` (${e.statusCode})` : "";
  return `${e.name}${code}: ${e.message}`;
}
