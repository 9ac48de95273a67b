import { assertEquals } from "../../tests/support/assert.ts";
import { readEvents } from "./events.ts";

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
