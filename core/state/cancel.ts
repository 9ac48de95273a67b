/**
 * What a stop means, beyond `POST /session/:id/abort`: tools still running are shown as aborted
 * at once, and late events of the stopped turn cannot bring it back (a delta, a tool going back to
 * "running", a stray "busy"). The guard lifts when a new user message starts a new turn.
 * Pure functions over the state; the store does the I/O (abort twice, reject permissions).
 */
import type { OcEvent, OcMessage, OcPart } from "../opencode/types.ts";
import { ipc } from "../../proto/gen/ipc.js";
import { type Event, isLiveTool } from "./convert.ts";
import type { State } from "./reducer.ts";

export interface StoppedTurn {
  /** Assistant messages of the stopped turn. */
  messages: Set<string>;
  /** Messages that existed at the stop; a newer user message starts a new turn. */
  known: Set<string>;
}

const LIVE = new Set(["pending", "running"]);
const Role = ipc.Role;

/**
 * Marks the turn in progress as stopped: returns the guard and the changes that show its running
 * tools as aborted.
 */
export function stopTurn(state: State, sessionId: string): { turn: StoppedTurn; changes: Event[] } {
  const t = state.transcripts.get(sessionId);
  const turn: StoppedTurn = { messages: new Set(), known: new Set() };
  const changes: Event[] = [];
  if (!t) return { turn, changes };
  const ids = [...t.messages.keys()].sort();
  let lastUser = "";
  for (const id of ids) if (t.messages.get(id)!.info.role === Role.ROLE_USER) lastUser = id;
  for (const id of ids) {
    turn.known.add(id);
    const e = t.messages.get(id)!;
    // The turn in progress: the replies to the last prompt, and any reply still open (a prompt
    // queued behind the running turn is newer than the reply it waits for).
    if (e.info.role !== Role.ROLE_ASSISTANT || (id < lastUser && e.info.timeCompleted)) continue;
    turn.messages.add(id);
    for (const [pid, part] of e.parts) {
      if (!isLiveTool(part)) continue;
      const aborted = {
        ...part,
        state: {
          ...part.state,
          status: ipc.ToolStatus.TOOL_STATUS_ABORTED,
          timeEnd: part.state?.timeEnd || Date.now(),
        },
      };
      e.parts.set(pid, aborted);
      changes.push({ partUpdated: aborted });
    }
  }
  return { turn, changes };
}

/** Whether an event belongs to a stopped turn and must be dropped. */
export function isLateEvent(turn: StoppedTurn, event: OcEvent): boolean {
  const p = event.properties ?? {};
  switch (event.type) {
    case "message.part.delta":
      return turn.messages.has(String(p.messageID ?? ""));
    case "message.part.updated": {
      const part = p.part as OcPart | undefined;
      if (!part || !turn.messages.has(part.messageID)) return false;
      return part.type === "tool" && LIVE.has(part.state?.status ?? "");
    }
    case "session.status":
      return (p.status as { type?: string } | undefined)?.type === "busy";
    default:
      return false;
  }
}

/** A user message the stop did not know about starts a new turn: the guard lifts. */
export function startsNewTurn(turn: StoppedTurn, event: OcEvent): boolean {
  if (event.type !== "message.updated") return false;
  const info = (event.properties ?? {}).info as OcMessage | undefined;
  return info?.role === "user" && !turn.known.has(info.id);
}
