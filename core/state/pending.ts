/**
 * Pending permissions and questions after a read of some project directories: what the server no
 * longer has there is resolved, the rest (re)asked. Pure: it returns the events for the reducer.
 */
import type { OcEvent, OcPermission, OcQuestion } from "../opencode/types.ts";
import type { State } from "./reducer.ts";

/**
 * The events that bring the state's pending requests in line with what the server answered.
 * `wasRead` says whether a request belongs to a directory that was read (others are left alone:
 * the server was not asked about them).
 */
export function pendingEvents(
  state: State,
  live: { permissions: OcPermission[]; questions: OcQuestion[] },
  wasRead: (requestId: string, sessionId: string) => boolean,
): OcEvent[] {
  const events: OcEvent[] = [];
  const permissions = new Set(live.permissions.map((p) => p.id));
  const questions = new Set(live.questions.map((q) => q.id));
  for (const [id, p] of state.permissions) {
    if (permissions.has(id) || !wasRead(id, p.sessionId ?? "")) continue;
    events.push({
      type: "permission.replied",
      properties: { sessionID: p.sessionId, requestID: id },
    });
  }
  for (const [id, q] of state.questions) {
    if (questions.has(id) || !wasRead(id, q.sessionId ?? "")) continue;
    events.push({
      type: "question.rejected",
      properties: { sessionID: q.sessionId, requestID: id },
    });
  }
  for (const raw of live.permissions) {
    events.push({ type: "permission.asked", properties: { ...raw } });
  }
  for (const raw of live.questions) events.push({ type: "question.asked", properties: { ...raw } });
  return events;
}
