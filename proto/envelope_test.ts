import { assert, assertEquals, assertThrows } from "../tests/support/assert.ts";
import { decodeClient, decodeServer, encodeClient, encodeServer, ipc } from "./envelope.js";

Deno.test("envelope round-trips a request with its id and payload", () => {
  const bytes = encodeClient({
    requestId: 42,
    sendMessage: { sessionId: "ses_1", text: "héllo ✓ 👋", agent: "plan" },
  });
  const msg = decodeClient(bytes);
  assertEquals(msg.requestId, 42);
  assertEquals(msg.payload, "sendMessage");
  assertEquals(msg.sendMessage?.text, "héllo ✓ 👋");
  assertEquals(msg.sendMessage?.agent, "plan");
});

Deno.test("envelope round-trips a push of events with id 0", () => {
  const bytes = encodeServer({
    requestId: 0,
    events: {
      events: [
        {
          partAppended: {
            sessionId: "s",
            messageId: "m",
            partId: "p",
            field: "text",
            delta: "tok ",
          },
        },
        {
          sessionStatusChanged: {
            sessionId: "s",
            status: { type: ipc.SessionStatusType.SESSION_STATUS_TYPE_BUSY },
          },
        },
      ],
    },
  });
  const msg = decodeServer(bytes);
  assertEquals(msg.requestId, 0);
  assertEquals(msg.payload, "events");
  assertEquals(msg.events?.events?.map((e) => e.payload), ["partAppended", "sessionStatusChanged"]);
  assertEquals(msg.events?.events?.[0].partAppended?.delta, "tok ");
});

Deno.test("envelope turns undecodable bytes into a SyntaxError that says so", () => {
  const err = assertThrows(
    () => decodeClient(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])),
    SyntaxError,
  );
  assert(err.message.startsWith("Cannot decode frame"), err.message);
  // A truncated valid frame fails too, instead of yielding half a message.
  const whole = encodeClient({ requestId: 1, hello: { client: "a long enough client name" } });
  assertThrows(() => decodeClient(whole.subarray(0, whole.length - 3)), SyntaxError);
});
