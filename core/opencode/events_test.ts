import { assert, assertEquals } from "../../tests/support/assert.ts";
import { EventStream, readEvents } from "./events.ts";

function chunks(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(p);
      c.close();
    },
  });
}

Deno.test("readEvents keeps a UTF-8 character that is split across chunks", async () => {
  const text = 'data: {"type":"message.part.delta","properties":{"delta":"é👋✓"}}\n\n';
  const bytes = new TextEncoder().encode(text);
  // Split inside the 4-byte emoji and inside the 2-byte é.
  const emoji = bytes.indexOf(0xf0);
  const e = bytes.indexOf(0xc3);
  const cuts = [e + 1, emoji + 2, emoji + 3];
  const parts = [bytes.subarray(0, cuts[0])];
  for (let i = 0; i < cuts.length; i++) parts.push(bytes.subarray(cuts[i], cuts[i + 1]));
  const out = [];
  for await (const ev of readEvents(chunks(parts))) out.push(ev);
  assertEquals(out.length, 1);
  assertEquals(out[0].properties.delta, "é👋✓");
});

Deno.test("readEvents skips an undecodable event and keeps reading", async () => {
  const text =
    'data: {not json\n\ndata: {"type":"session.idle","properties":{"sessionID":"s"}}\n\n' +
    'data: {"payload":{"type":"session.idle","properties":{"sessionID":"g"}}}\n\n';
  const out = [];
  for await (const ev of readEvents(chunks([new TextEncoder().encode(text)]))) out.push(ev);
  assertEquals(out.map((e) => e.properties.sessionID), ["s", "g"]);
});

Deno.test("EventStream waits settleMs after the first message before onOpen, then passes events on", async () => {
  const frames = [
    { payload: { type: "server.connected", properties: {} } },
    { directory: "/p", payload: { type: "session.idle", properties: { sessionID: "s" } } },
  ].map((f) => `data: ${JSON.stringify(f)}\n\n`).join("");
  let sentAt = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, () => {
    sentAt = performance.now();
    return new Response(frames, { headers: { "content-type": "text/event-stream" } });
  });
  const opened: number[] = [];
  const seen: string[] = [];
  const { promise: gotEvent, resolve } = Promise.withResolvers<void>();
  const stream = new EventStream({
    url: `http://127.0.0.1:${server.addr.port}/global/event`,
    settleMs: 150,
    onOpen: () => {
      opened.push(performance.now());
    },
    onEvent: (e) => {
      seen.push(`${e.type} ${e.directory}`);
      resolve();
    },
  });
  stream.start();
  await gotEvent;
  await stream.close();
  await server.shutdown();
  assertEquals(opened.length, 1);
  assert(opened[0] - sentAt >= 140, `onOpen came ${opened[0] - sentAt} ms after the first message`);
  assertEquals(seen, ["session.idle /p"]);
});
