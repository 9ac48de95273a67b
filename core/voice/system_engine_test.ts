import { assertEquals, assertMatch, assertRejects } from "../../tests/support/assert.ts";
import { findPocketsphinx, samplesOf, SystemEngine } from "./system_engine.ts";

const speech = samplesOf(
  await Deno.readFile(new URL("./testdata/goforward.raw", import.meta.url)),
);

Deno.test("system engine transcribes real speech with Debian's PocketSphinx", async () => {
  const engine = new SystemEngine({ env: Deno.env.toObject() });
  assertEquals((await engine.availability()).available, true, "pocketsphinx is installed");
  assertEquals(await engine.transcribe(speech), "go forward ten meters");
});

Deno.test("system engine hears nothing in silence", async () => {
  const engine = new SystemEngine({ env: Deno.env.toObject() });
  assertEquals(await engine.transcribe(new Int16Array(16_000)), "");
});

Deno.test("system engine says what to install when PocketSphinx is missing", async () => {
  const engine = new SystemEngine({ env: { PATH: "/nonexistent" } });
  const a = await engine.availability();
  assertEquals(a.available, false);
  assertMatch(a.detail, /apt-get install pocketsphinx pocketsphinx-en-us/);
  await assertRejects(() => engine.transcribe(speech), Error, "Cannot transcribe");
});

Deno.test("system engine says the model is missing", async () => {
  const engine = new SystemEngine({ env: Deno.env.toObject(), modelDir: "/nonexistent" });
  assertMatch((await engine.availability()).detail, /no English model/);
});

Deno.test("system engine turns a crash of the engine into an error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const crasher = `${dir}/pocketsphinx_continuous`;
    await Deno.writeTextFile(crasher, "#!/bin/sh\nkill -SEGV $$\n", { mode: 0o755 });
    assertEquals(findPocketsphinx({ OPENCODE_DESK_POCKETSPHINX: crasher }), crasher);
    const engine = new SystemEngine({ env: { OPENCODE_DESK_POCKETSPHINX: crasher } });
    await assertRejects(
      () => engine.transcribe(speech),
      Error,
      "Cannot transcribe: PocketSphinx was killed by SIGSEGV",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("system engine stops at once when the person cancels", async () => {
  const engine = new SystemEngine({ env: Deno.env.toObject() });
  const ac = new AbortController();
  // 30 s of speech: decoding it all takes several times longer than the bound below.
  const long = new Int16Array(speech.length * 11);
  for (let i = 0; i < 11; i++) long.set(speech, i * speech.length);
  const t0 = performance.now();
  const pending = engine.transcribe(long, { signal: ac.signal });
  setTimeout(() => ac.abort(), 200);
  await assertRejects(() => pending, DOMException);
  const took = performance.now() - t0;
  assertEquals(took < 6_000, true, `it stopped instead of decoding 30 s (${Math.round(took)} ms)`);
});
