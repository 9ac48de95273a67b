/**
 * The JSON shapes of the OpenCode server (opencode-ai 1.18), as far as this app reads them.
 * Everything is optional-tolerant: the server is a separate program and may add or drop fields.
 */

export interface OcTokens {
  total?: number;
  input?: number;
  output?: number;
  reasoning?: number;
  cache?: { read?: number; write?: number };
}

export interface OcSession {
  id: string;
  agent?: string;
  model?: { id?: string; providerID?: string; variant?: string };
  title?: string;
  directory?: string;
  parentID?: string;
  cost?: number;
  tokens?: OcTokens;
  time?: { created?: number; updated?: number; archived?: number };
  revert?: { messageID?: string; partID?: string };
  share?: { url?: string };
}

/** A file a session or a turn changed (`SnapshotFileDiff`). */
export interface OcFileDiff {
  file?: string;
  patch?: string;
  additions?: number;
  deletions?: number;
  status?: string;
}

/** One item of the agent's todo list. */
export interface OcTodo {
  content?: string;
  status?: string;
  priority?: string;
}

export interface OcSessionStatus {
  type: "idle" | "busy" | "retry";
  attempt?: number;
  message?: string;
  next?: number;
}

export interface OcError {
  name?: string;
  data?: { message?: string; statusCode?: number; [k: string]: unknown };
}

export interface OcMessage {
  id: string;
  sessionID: string;
  role: "user" | "assistant";
  parentID?: string;
  agent?: string;
  mode?: string;
  providerID?: string;
  modelID?: string;
  model?: { providerID?: string; modelID?: string };
  time?: { created?: number; completed?: number };
  finish?: string;
  error?: OcError;
  cost?: number;
  tokens?: OcTokens;
  summary?: { diffs?: OcFileDiff[] };
}

export interface OcToolState {
  status?: string;
  input?: unknown;
  output?: string;
  title?: string;
  error?: string;
  metadata?: unknown;
  time?: { start?: number; end?: number };
}

export interface OcPart {
  id: string;
  messageID: string;
  sessionID: string;
  type: string;
  text?: string;
  synthetic?: boolean;
  time?: { start?: number; end?: number };
  tool?: string;
  callID?: string;
  state?: OcToolState;
  mime?: string;
  filename?: string;
  url?: string;
  reason?: string;
  cost?: number;
  tokens?: OcTokens;
}

export interface OcMessageWithParts {
  info: OcMessage;
  parts: OcPart[];
}

export interface OcAgent {
  name: string;
  description?: string;
  mode?: string;
  hidden?: boolean;
  native?: boolean;
}

export interface OcConfig {
  model?: string; // "provider/model"
  default_agent?: string;
  [k: string]: unknown;
}

export interface OcModel {
  id: string;
  providerID?: string;
  name?: string;
  capabilities?: { reasoning?: boolean; attachment?: boolean; toolcall?: boolean };
  cost?: { input?: number; output?: number };
  limit?: { context?: number; output?: number };
  variants?: Record<string, unknown>;
  status?: string;
}

export interface OcProvider {
  id: string;
  name?: string;
  models?: Record<string, OcModel>;
}

export interface OcProviderList {
  all: OcProvider[];
  default?: Record<string, string>;
  connected?: string[];
}

export interface OcPermission {
  id: string;
  sessionID: string;
  permission?: string;
  patterns?: string[];
  always?: string[];
  metadata?: unknown;
  tool?: { messageID?: string; callID?: string };
}

export interface OcQuestion {
  id: string;
  sessionID: string;
  questions?: {
    question?: string;
    header?: string;
    options?: { label?: string; description?: string }[];
    multiple?: boolean;
    custom?: boolean;
  }[];
  tool?: { messageID?: string; callID?: string };
}

/** One event of `GET /event`: `{id, type, properties}`. */
export interface OcEvent {
  id?: string;
  type: string;
  properties: Record<string, unknown>;
}
