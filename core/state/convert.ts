/**
 * OpenCode JSON -> the proto shapes the UI renders. Pure functions, no I/O.
 * Unknown extra fields are dropped; arbitrary JSON (tool input, metadata) is kept as a string.
 */
import { ipc } from "../../proto/gen/ipc.js";
import { PermissionReply, Role, ToolStatus } from "../../proto/words.js";
import type {
  OcError,
  OcMessage,
  OcPart,
  OcPermission,
  OcQuestion,
  OcSession,
  OcSessionStatus,
  OcTokens,
} from "../opencode/types.ts";
import { historyFields, toFileDiffs } from "./history_convert.ts";

export type Session = ipc.Session.$Properties;
export type Message = ipc.Message.$Properties;
export type Part = ipc.Part.$Properties;
export type SessionStatus = ipc.SessionStatus.$Properties;
export type ErrorInfo = ipc.ErrorInfo.$Properties;
export type Tokens = ipc.Tokens.$Properties;
export type Event = ipc.Event.$Properties;
export type Permission = ipc.Permission.$Properties;
export type Question = ipc.Question.$Properties;

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

function json(v: unknown): string {
  if (v === undefined) return "";
  try {
    return JSON.stringify(v) ?? "";
  } catch (err) {
    if (err instanceof TypeError) return ""; // cyclic: cannot come from JSON, but never crash
    throw err;
  }
}

export function toTokens(t: OcTokens | undefined): Tokens | null {
  if (!t) return null;
  return {
    input: num(t.input),
    output: num(t.output),
    reasoning: num(t.reasoning),
    cacheRead: num(t.cache?.read),
    cacheWrite: num(t.cache?.write),
    total: num(t.total),
  };
}

export function toStatus(s: OcSessionStatus | undefined): SessionStatus {
  switch (s?.type) {
    case "busy":
      return { type: ipc.SessionStatusType.SESSION_STATUS_TYPE_BUSY };
    case "retry":
      return {
        type: ipc.SessionStatusType.SESSION_STATUS_TYPE_RETRY,
        attempt: num(s.attempt),
        message: str(s.message),
        next: num(s.next),
      };
    default:
      return { type: ipc.SessionStatusType.SESSION_STATUS_TYPE_IDLE };
  }
}

/** OpenCode's UnknownError can carry a stack trace ("    at …" lines); people need the rest. */
const withoutStack = (m: string): string =>
  m.split("\n").filter((line) => !/^\s+at /.test(line)).join("\n").trim();

export function toError(e: OcError | undefined | null): ErrorInfo | null {
  if (!e || typeof e !== "object") return null;
  const data = e.data ?? {};
  return {
    name: str(e.name) || "Error",
    message: withoutStack(str(data.message)) || str(e.name) || "Unknown error",
    statusCode: num(data.statusCode),
  };
}

export function toSession(s: OcSession, status?: SessionStatus): Session {
  return {
    id: s.id,
    title: str(s.title),
    directory: str(s.directory),
    parentId: str(s.parentID),
    timeCreated: num(s.time?.created),
    timeUpdated: num(s.time?.updated),
    status: status ?? toStatus(undefined),
    cost: num(s.cost),
    tokens: toTokens(s.tokens),
    agent: str(s.agent),
    providerId: str(s.model?.providerID),
    modelId: str(s.model?.id),
    ...historyFields(s),
  };
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];

export function toPermissionReply(reply: unknown): ipc.PermissionReply {
  return PermissionReply.value(reply) ?? ipc.PermissionReply.PERMISSION_REPLY_UNSPECIFIED;
}

/** The word OpenCode takes for a reply (`POST /permission/:id/reply`). */
export function permissionReplyWord(reply: ipc.PermissionReply): "once" | "always" | "reject" {
  if (!PermissionReply.has(reply)) {
    throw new TypeError(`Cannot reply to a permission: reply ${reply} is not one`);
  }
  return PermissionReply.word(reply);
}

export function toPermission(p: OcPermission): Permission {
  return {
    id: p.id,
    sessionId: str(p.sessionID),
    permission: str(p.permission),
    patterns: strings(p.patterns),
    always: strings(p.always),
    metadataJson: json(p.metadata),
    messageId: str(p.tool?.messageID),
    callId: str(p.tool?.callID),
  };
}

export function toQuestion(q: OcQuestion): Question {
  return {
    id: q.id,
    sessionId: str(q.sessionID),
    questions: (Array.isArray(q.questions) ? q.questions : []).map((i) => ({
      question: str(i?.question),
      header: str(i?.header),
      options: (Array.isArray(i?.options) ? i.options : []).map((o) => ({
        label: str(o?.label),
        description: str(o?.description),
      })),
      multiple: i?.multiple === true,
      custom: i?.custom !== false,
    })),
    messageId: str(q.tool?.messageID),
    callId: str(q.tool?.callID),
  };
}

/** A tool that is still working (its status can still change). */
export function isLiveTool(part: Part | undefined): boolean {
  const s = part?.state?.status;
  return part?.type === "tool" &&
    (s === ipc.ToolStatus.TOOL_STATUS_PENDING || s === ipc.ToolStatus.TOOL_STATUS_RUNNING);
}

/** A tool that finished (completed, failed or aborted) and never runs again. */
export function isFinishedTool(part: Part | undefined): boolean {
  return part?.type === "tool" && !!part.state?.status && !isLiveTool(part);
}

export function toMessage(m: OcMessage): Message {
  return {
    id: m.id,
    sessionId: str(m.sessionID),
    role: Role.value(m.role) ?? ipc.Role.ROLE_UNSPECIFIED,
    parentId: str(m.parentID),
    agent: str(m.agent) || str(m.mode),
    providerId: str(m.providerID) || str(m.model?.providerID),
    modelId: str(m.modelID) || str(m.model?.modelID),
    timeCreated: num(m.time?.created),
    timeCompleted: num(m.time?.completed),
    finish: str(m.finish),
    error: toError(m.error),
    cost: num(m.cost),
    tokens: toTokens(m.tokens),
    diffs: toFileDiffs(m.summary?.diffs),
  };
}

/** The note OpenCode's shell tool appends to the output of a command a stop killed. */
const BASH_ABORTED = /User aborted the command\s*<\/(?:shell_)?metadata>\s*$/;

export function toPart(p: OcPart): Part {
  const part: Part = {
    id: p.id,
    messageId: str(p.messageID),
    sessionId: str(p.sessionID),
    type: str(p.type),
    text: str(p.text),
    timeStart: num(p.time?.start),
    timeEnd: num(p.time?.end),
    synthetic: p.synthetic === true,
  };
  if (p.type === "tool") {
    part.tool = str(p.tool);
    part.callId = str(p.callID);
    const s = p.state ?? {};
    const meta = s.metadata as { interrupted?: unknown; exit?: unknown } | undefined;
    // An error caused by a stop is its own state to the person: "aborted", not "failed". A bash
    // command killed by a stop "completes" with no exit code and the shell's note saying so.
    const aborted = (s.status === "error" && meta?.interrupted === true) ||
      (s.status === "completed" && meta?.exit === null && BASH_ABORTED.test(str(s.output)));
    part.state = {
      status: aborted
        ? ipc.ToolStatus.TOOL_STATUS_ABORTED
        : ToolStatus.value(s.status) ?? ipc.ToolStatus.TOOL_STATUS_UNSPECIFIED,
      inputJson: json(s.input),
      output: str(s.output),
      title: str(s.title),
      error: str(s.error),
      metadataJson: json(s.metadata),
      timeStart: num(s.time?.start),
      timeEnd: num(s.time?.end),
    };
  }
  if (p.type === "file") {
    part.mime = str(p.mime);
    part.filename = str(p.filename);
    part.url = str(p.url);
  }
  if (p.type === "step-finish") {
    part.reason = str(p.reason);
    part.cost = num(p.cost);
    part.tokens = toTokens(p.tokens);
  }
  return part;
}
