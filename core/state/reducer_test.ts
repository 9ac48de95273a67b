import { assert, assertEquals } from "../../tests/support/assert.ts";
import { toMessage, toPart } from "./convert.ts";
import { createState, loadTranscript, orderedMessages, reduce } from "./reducer.ts";
import { ipc } from "../../proto/gen/ipc.js";
import { scenarioEvents, scenarioNames, storedTranscripts } from "./testdata/scenarios.ts";

const T = ipc.ToolStatus;

for (const name of scenarioNames()) {
  const { about, sessions } = await storedTranscripts(name);
  Deno.test(`reducer rebuilds the stored transcript of scenario ${name} (${about})`, async () => {
    const state = createState();
    for (const id of Object.keys(sessions)) loadTranscript(state, id, []);
    const events = await scenarioEvents(name);
    for (const event of events) reduce(state, event);
    for (const [id, messages] of Object.entries(sessions)) {
      const deleted = events.some((e) =>
        e.type === "session.deleted" && e.properties.sessionID === id
      );
      if (deleted) {
        assertEquals(state.transcripts.has(id), false, `${name}: deleted session ${id}`);
        continue;
      }
      const expected = messages.map((m) => ({
        info: toMessage(m.info),
        parts: m.parts.map(toPart),
      }));
      const actual = orderedMessages(state.transcripts.get(id)!);
      assertEquals(actual, expected, `${name}: session ${id}`);
    }
  });
}

Deno.test("reducer streams text deltas into the part and reports each one", async () => {
  const state = createState();
  const events = await scenarioEvents("text-reply", 3);
  const created = events.find((e) => e.type === "session.created")!;
  loadTranscript(state, created.properties.sessionID as string, []);
  const deltas: string[] = [];
  let sawEmptyPart = false;
  for (const e of events) {
    for (const change of reduce(state, e)) {
      if (change.partAppended) deltas.push(change.partAppended.delta!);
      if (change.partUpdated?.type === "text" && change.partUpdated.text === "") {
        sawEmptyPart = true;
      }
    }
  }
  assert(sawEmptyPart, "the text part starts empty");
  assertEquals(deltas.join(""), "Echo: Hello mock — please answer with a few words, café ✓");
  assert(deltas.length >= 5, `expected several deltas, got ${deltas.length}`);
});

Deno.test("reducer ignores a delta for an unknown part and events of unloaded sessions", () => {
  const state = createState();
  loadTranscript(state, "ses_a", []);
  const delta = (sessionID: string) => ({
    type: "message.part.delta",
    properties: { sessionID, messageID: "msg_1", partID: "prt_x", field: "text", delta: "hi" },
  });
  assertEquals(reduce(state, delta("ses_a")), []);
  assertEquals(
    reduce(state, {
      type: "message.updated",
      properties: { sessionID: "ses_b", info: { id: "msg_1", sessionID: "ses_b", role: "user" } },
    }),
    [],
  );
  assertEquals(state.transcripts.has("ses_b"), false);
});

Deno.test("reducer reports session.error with the provider's message", async () => {
  const state = createState();
  const errors = [];
  for (const e of await scenarioEvents("error-400")) {
    for (const c of reduce(state, e)) if (c.sessionFailed) errors.push(c.sessionFailed);
  }
  assertEquals(errors.length, 1);
  assertEquals(errors[0].error?.name, "APIError");
  assertEquals(errors[0].error?.statusCode, 400);
  assert(errors[0].error?.message?.includes("Mock failure"), errors[0].error?.message ?? "");
});

Deno.test("reducer tracks busy, retry and idle status", async () => {
  const state = createState();
  const seen = new Set<number>();
  for (const e of await scenarioEvents("error-500-retry")) {
    for (const c of reduce(state, e)) {
      if (c.sessionStatusChanged) seen.add(c.sessionStatusChanged.status!.type!);
    }
  }
  assert(seen.has(ipc.SessionStatusType.SESSION_STATUS_TYPE_BUSY));
  assert(seen.has(ipc.SessionStatusType.SESSION_STATUS_TYPE_RETRY));
  assert(seen.has(ipc.SessionStatusType.SESSION_STATUS_TYPE_IDLE));
});

Deno.test("loadTranscript keeps streamed text the server has not stored yet", () => {
  const state = createState();
  const part = {
    id: "prt_1",
    messageID: "msg_1",
    sessionID: "ses_a",
    type: "text",
    text: "",
    time: { start: 1 },
  };
  const msg = { id: "msg_1", sessionID: "ses_a", role: "assistant" as const };
  loadTranscript(state, "ses_a", [{ info: msg, parts: [part] }]);
  reduce(state, {
    type: "message.part.delta",
    properties: {
      sessionID: "ses_a",
      messageID: "msg_1",
      partID: "prt_1",
      field: "text",
      delta: "Hel",
    },
  });
  const t = loadTranscript(state, "ses_a", [{ info: msg, parts: [part] }]);
  assertEquals(t.messages.get("msg_1")!.parts.get("prt_1")!.text, "Hel");
  // Once the server stored the final text, it is the authority.
  const done = { ...part, text: "Hello", time: { start: 1, end: 2 } };
  const t2 = loadTranscript(state, "ses_a", [{ info: msg, parts: [done] }]);
  assertEquals(t2.messages.get("msg_1")!.parts.get("prt_1")!.text, "Hello");
});

Deno.test("reducer never changes a part it already reported (the batcher may hold it)", () => {
  const state = createState();
  loadTranscript(state, "ses_a", []);
  const [upsert] = reduce(state, {
    type: "message.part.updated",
    properties: {
      sessionID: "ses_a",
      part: { id: "prt_1", messageID: "msg_1", sessionID: "ses_a", type: "text", text: "" },
    },
  });
  reduce(state, {
    type: "message.part.delta",
    properties: {
      sessionID: "ses_a",
      messageID: "msg_1",
      partID: "prt_1",
      field: "text",
      delta: "a",
    },
  });
  assertEquals(upsert.partUpdated?.text, "");
  assertEquals(
    state.transcripts.get("ses_a")!.messages.get("msg_1")!.parts.get("prt_1")!.text,
    "a",
  );
});

Deno.test("reducer keeps a finished tool finished when a late running update arrives", () => {
  const state = createState();
  loadTranscript(state, "ses_a", []);
  const tool = (status: string, output: string) => ({
    type: "message.part.updated",
    properties: {
      sessionID: "ses_a",
      part: {
        id: "prt_t",
        messageID: "msg_1",
        sessionID: "ses_a",
        type: "tool",
        tool: "bash",
        callID: "call_1",
        state: { status, input: { command: "ls" }, output, metadata: { output } },
      },
    },
  });
  assertEquals(
    reduce(state, tool("running", "a"))[0].partUpdated?.state?.status,
    T.TOOL_STATUS_RUNNING,
  );
  assertEquals(
    reduce(state, tool("completed", "a\nb"))[0].partUpdated?.state?.status,
    T.TOOL_STATUS_COMPLETED,
  );
  // The server's last output write lands after the completion: nothing changes.
  assertEquals(reduce(state, tool("running", "a\nb")), []);
  const part = state.transcripts.get("ses_a")!.messages.get("msg_1")!.parts.get("prt_t")!;
  assertEquals(part.state?.status, T.TOOL_STATUS_COMPLETED);
});

for (const name of ["permission-once", "permission-abort", "question"]) {
  Deno.test(`reducer shows a request pending until the server resolves it (${name})`, async () => {
    const state = createState();
    let pendingMax = 0;
    let resolved = 0;
    for (const e of await scenarioEvents(name)) {
      for (const c of reduce(state, e)) if (c.permissionResolved || c.questionResolved) resolved++;
      pendingMax = Math.max(pendingMax, state.permissions.size + state.questions.size);
    }
    assertEquals(pendingMax, 1, `${name}: one request was pending`);
    assertEquals(resolved, 1, `${name}: one request was resolved`);
    assertEquals(state.permissions.size + state.questions.size, 0, `${name}: none is left`);
  });
}
