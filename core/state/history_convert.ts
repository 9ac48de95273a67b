/**
 * OpenCode JSON -> the proto shapes of undo, changes and todos. Pure functions, no I/O.
 */
import type { ipc } from "../../proto/gen/ipc.js";
import type { OcFileDiff, OcSession, OcTodo } from "../opencode/types.ts";

export type FileDiff = ipc.FileDiff.$Properties;
export type Todo = ipc.Todo.$Properties;

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const list = <T>(
  v: unknown,
): T[] => (Array.isArray(v) ? v.filter((x) => x && typeof x === "object") : []);

export function toFileDiffs(diffs: unknown): FileDiff[] {
  return list<OcFileDiff>(diffs).map((d) => ({
    file: str(d.file),
    patch: str(d.patch),
    additions: num(d.additions),
    deletions: num(d.deletions),
    status: str(d.status),
  }));
}

export function toTodos(todos: unknown): Todo[] {
  return list<OcTodo>(todos).map((t) => ({
    content: str(t.content),
    status: str(t.status),
    priority: str(t.priority),
  }));
}

/** The session's undo point and share link, the fields of `ipc.Session` this file owns. */
export function historyFields(s: OcSession): Pick<ipc.Session.$Properties, "revert" | "shareUrl"> {
  const messageId = str(s.revert?.messageID);
  return {
    revert: messageId ? { messageId, partId: str(s.revert?.partID) } : null,
    shareUrl: str(s.share?.url),
  };
}
