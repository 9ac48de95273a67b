// @ts-check
/**
 * The UI's store without a DOM: pushed batches go through the real protobuf codec and
 * `applyEvents`, as ui/main.js does with each frame. Captured OpenCode streams
 * (core/state/testdata/) drive the core's reducer; the UI's copy must end up equal to the core's.
 */
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { decodeServer, encodeServer, ipc } from "../../proto/envelope.js";
import { createState, loadTranscript, orderedMessages, reduce } from "../../core/state/reducer.ts";
import {
  scenarioEvents,
  scenarioNames,
  storedTranscripts,
} from "../../core/state/testdata/scenarios.ts";
import {
  activeSessionId,
  applyEvents,
  applySnapshot,
  permissions,
  sessions,
  setTranscript,
  transcriptOf,
  unseen,
} from "./store.js";
import { statusOf } from "./sessions.js";

const BUSY = ipc.SessionStatusType.SESSION_STATUS_TYPE_BUSY;
const IDLE = ipc.SessionStatusType.SESSION_STATUS_TYPE_IDLE;

/**
 * Sends changes to the store the way the core does: one EventBatch frame, encoded and decoded.
 * @param {ipc.Event.$Properties[]} events
 */
function push(events) {
  const frame = encodeServer({ requestId: 0, events: { events } });
  const msg = decodeServer(frame);
  applyEvents(/** @type {ipc.Event[]} */ (msg.events?.events ?? []));
}

/**
 * A message or part as it arrives over the wire, as a plain object (defaults left out).
 * @param {typeof ipc.Message | typeof ipc.Part} type
 * @param {object} value
 * @returns {Record<string, unknown>}
 */
function wire(type, value) {
  // @ts-ignore: both types have the same static codec functions
  return type.toObject(type.decode(type.encode(value).finish()));
}

/**
 * What a transcript model holds: each message and each part, with the part's streamed text.
 * @param {string} sessionId
 */
function shown(sessionId) {
  return transcriptOf(sessionId).messages.value.map((m) => ({
    info: wire(ipc.Message, m.info.value),
    parts: m.parts.value.map((p) => ({ ...wire(ipc.Part, p.info.value), text: p.text.value })),
  }));
}

/** Each message's parts as [id, text]. @param {string} sessionId */
function parts(sessionId) {
  return transcriptOf(sessionId).messages.value.map((m) =>
    m.parts.value.map((p) => [p.id, p.text.value])
  );
}

for (const name of scenarioNames()) {
  Deno.test(`ui store shows what the core holds after scenario ${name}`, async () => {
    const { sessions: stored } = await storedTranscripts(name);
    const core = createState();
    for (const id of Object.keys(stored)) {
      loadTranscript(core, id, []);
      setTranscript({ session: { id }, messages: [] });
    }
    // One frame per event: the batcher may merge them, but must not need to.
    for (const event of await scenarioEvents(name)) push(reduce(core, event));
    for (const id of Object.keys(stored)) {
      const t = core.transcripts.get(id);
      if (!t) {
        assertEquals(sessions.value.some((s) => s.id === id), false, `${name}: ${id} removed`);
        continue;
      }
      const expected = orderedMessages(t).map((m) => ({
        info: wire(ipc.Message, m.info),
        parts: m.parts.map((p) => ({ ...wire(ipc.Part, p), text: p.text ?? "" })),
      }));
      assert(expected.length > 0, `${name}: the core holds messages`);
      assertEquals(shown(id), expected, `${name}: session ${id}`);
    }
  });
}

Deno.test("ui store appends deltas to their part and ignores one for an unknown part", () => {
  const sessionId = "ses_delta";
  setTranscript({ session: { id: sessionId }, messages: [] });
  push([
    { messageUpdated: { id: "msg_1", sessionId, role: ipc.Role.ROLE_ASSISTANT } },
    { partUpdated: { id: "prt_1", messageId: "msg_1", sessionId, type: "text", text: "" } },
    {
      partAppended: { sessionId, messageId: "msg_1", partId: "prt_1", field: "text", delta: "Hel" },
    },
    {
      partAppended: { sessionId, messageId: "msg_1", partId: "prt_x", field: "text", delta: "??" },
    },
    {
      partAppended: { sessionId, messageId: "msg_1", partId: "prt_1", field: "text", delta: "lo" },
    },
  ]);
  assertEquals(parts(sessionId), [
    [["prt_1", "Hello"]],
  ]);
  // A later snapshot of the part is the authority.
  push([{ partUpdated: { id: "prt_1", messageId: "msg_1", sessionId, type: "text", text: "Hi" } }]);
  assertEquals(parts(sessionId), [[["prt_1", "Hi"]]]);
});

Deno.test("ui store marks a background session done when its turn ends, not the one on screen", () => {
  applySnapshot({
    sessions: [{ id: "ses_front", title: "front" }, { id: "ses_back", title: "back" }],
  });
  activeSessionId.value = "ses_front";
  unseen.value = new Set();
  const status = (/** @type {string} */ sessionId, /** @type {number} */ type) => ({
    sessionStatusChanged: { sessionId, status: { type } },
  });
  push([status("ses_front", BUSY), status("ses_back", BUSY)]);
  assertEquals([statusOf("ses_front"), statusOf("ses_back")], ["busy", "busy"]);
  push([status("ses_front", IDLE), status("ses_back", IDLE)]);
  assertEquals([statusOf("ses_front"), statusOf("ses_back")], ["idle", "idle"]);
  assertEquals([...unseen.value], ["ses_back"]);
});

Deno.test("ui store lists a permission request until it is resolved, and forgets a removed session", () => {
  applySnapshot({ sessions: [{ id: "ses_perm", title: "asks" }] });
  setTranscript({ session: { id: "ses_perm" }, messages: [] });
  push([{ permissionAsked: { id: "per_1", sessionId: "ses_perm", permission: "bash" } }]);
  assertEquals(permissions.value.map((p) => p.id), ["per_1"]);
  push([{
    permissionResolved: {
      sessionId: "ses_perm",
      permissionId: "per_1",
      reply: ipc.PermissionReply.PERMISSION_REPLY_ONCE,
    },
  }]);
  assertEquals(permissions.value, []);
  push([{ sessionRemoved: "ses_perm" }]);
  assertEquals(sessions.value.map((s) => s.id), []);
  assertEquals(transcriptOf("ses_perm").loaded.value, false, "a fresh, unloaded transcript");
});
