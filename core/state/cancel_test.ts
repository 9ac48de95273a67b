import { assert, assertEquals } from "../../tests/support/assert.ts";
import { ipc } from "../../proto/envelope.js";
import type { OcMessage, OcPart } from "../opencode/types.ts";
import { isLateEvent, stopTurn } from "./cancel.ts";
import { toPart } from "./convert.ts";
import { createState, loadTranscript } from "./reducer.ts";

const T = ipc.ToolStatus;

const S = "ses_1";

function user(id: string, created: number): { info: OcMessage; parts: OcPart[] } {
  return { info: { id, sessionID: S, role: "user", time: { created } }, parts: [] };
}

function assistant(
  id: string,
  parent: string,
  completed: number,
  tool?: { status: string },
): { info: OcMessage; parts: OcPart[] } {
  const parts: OcPart[] = tool
    ? [{
      id: `prt_${id}`,
      sessionID: S,
      messageID: id,
      type: "tool",
      tool: "bash",
      callID: "call_1",
      state: { status: tool.status, input: { command: "sleep 30" }, time: { start: 1 } },
    }]
    : [];
  return {
    info: {
      id,
      sessionID: S,
      role: "assistant",
      parentID: parent,
      time: { created: 1, ...(completed ? { completed } : {}) },
    },
    parts,
  };
}

Deno.test("stopTurn aborts the running tool of a turn with a prompt queued behind it", () => {
  const state = createState();
  loadTranscript(state, S, [
    user("msg_01", 1),
    assistant("msg_02", "msg_01", 5),
    user("msg_03", 10),
    assistant("msg_04", "msg_03", 0, { status: "running" }),
    user("msg_05", 20), // queued: sent while msg_04 runs
  ]);
  const { turn, changes } = stopTurn(state, S);
  assertEquals(changes.map((c) => c.partUpdated?.state?.status), [T.TOOL_STATUS_ABORTED]);
  assert(turn.messages.has("msg_04"), "the open reply belongs to the stopped turn");
  assert(!turn.messages.has("msg_02"), "a finished earlier turn does not");
  const late = {
    type: "message.part.delta",
    properties: { sessionID: S, messageID: "msg_04", partID: "prt_x", field: "text", delta: "x" },
  };
  assert(isLateEvent(turn, late), "late deltas of the running reply are dropped");
});

Deno.test("toPart shows a bash command killed by a stop as aborted", () => {
  const part = (output: string, exit: number | null) =>
    toPart({
      id: "prt_1",
      sessionID: S,
      messageID: "msg_1",
      type: "tool",
      tool: "bash",
      callID: "call_1",
      state: {
        status: "completed",
        input: { command: "sleep 30" },
        output,
        metadata: { output, exit, truncated: false },
      },
    }).state?.status;
  const killed = "(no output)\n\n<shell_metadata>\nUser aborted the command\n</shell_metadata>";
  assertEquals(part(killed, null), T.TOOL_STATUS_ABORTED);
  assertEquals(part("done", 0), T.TOOL_STATUS_COMPLETED);
  assertEquals(part(killed, 0), T.TOOL_STATUS_COMPLETED, "a command that printed the note itself");
});
