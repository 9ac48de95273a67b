import { assertEquals } from "../../tests/support/assert.ts";
import { Batcher } from "./batcher.ts";
import type { Event } from "./convert.ts";

const delta = (partId: string, d: string): Event => ({
  partAppended: { sessionId: "s", messageId: "m", partId, field: "text", delta: d },
});
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("batcher concatenates deltas of one part and keeps their order", async () => {
  const out: Event[][] = [];
  const b = new Batcher((e) => out.push(e), 16);
  b.push([delta("p1", "a"), delta("p2", "x"), delta("p1", "b")]);
  await tick(5);
  assertEquals(out.length, 1);
  assertEquals(out[0].map((e) => e.partAppended?.delta), ["ab", "x"]);
  b.close();
});

Deno.test("batcher drops deltas queued before a part snapshot", async () => {
  const out: Event[][] = [];
  const b = new Batcher((e) => out.push(e), 16);
  b.push([
    delta("p1", "a"),
    { partUpdated: { id: "p1", text: "abc" } },
    delta("p1", "d"),
  ]);
  await tick(5);
  assertEquals(out[0], [{ partUpdated: { id: "p1", text: "abc" } }, delta("p1", "d")]);
  b.close();
});

Deno.test("batcher sends the first change after a quiet spell at once, then at most every window", async () => {
  // A wide window keeps this independent of machine load: "at once" means well inside it.
  const out: number[] = [];
  const b = new Batcher((e) => out.push(e.length), 1000);
  b.push([delta("p1", "a")]);
  await tick(100);
  assertEquals(out.length, 1, "first change flushed without waiting for the window");
  b.push([delta("p1", "b")]);
  b.push([delta("p2", "c")]);
  await tick(100);
  assertEquals(out.length, 1, "inside the window, changes wait");
  await tick(1000);
  assertEquals(out, [1, 2]);
  b.close();
});

Deno.test("batcher sends a steady stream a little slower than half the window without delay", async () => {
  // Tokens 0.7 windows apart: each goes out at once instead of drifting to the window's end.
  const sent: number[] = [];
  const b = new Batcher(() => sent.push(performance.now()), 1000);
  const pushedAt: number[] = [];
  for (let i = 0; i < 3; i++) {
    pushedAt.push(performance.now());
    b.push([delta("p1", `t${i}`)]);
    await tick(700);
  }
  assertEquals(sent.length, 3);
  for (let i = 0; i < 3; i++) {
    const waited = sent[i] - pushedAt[i];
    if (waited > 300) throw new Error(`token ${i} waited ${waited.toFixed(0)} ms`);
  }
  b.close();
});
