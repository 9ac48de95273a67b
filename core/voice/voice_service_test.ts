import { assert, assertEquals, assertRejects, assertThrows } from "../../tests/support/assert.ts";
import { littleEndianBytes, samplesOf, SystemEngine } from "./system_engine.ts";
import { VoiceService, type VoiceServiceOptions } from "./voice_service.ts";
import type { VoiceSettings } from "./voice_settings.ts";

const speech = await Deno.readFile(new URL("./testdata/goforward.raw", import.meta.url));
const ID = "utterance-0001";

function service(over: Partial<VoiceServiceOptions> = {}, s: VoiceSettings = { engine: "auto" }) {
  return new VoiceService({
    system: new SystemEngine({ env: Deno.env.toObject() }),
    settings: () => s,
    ...over,
  });
}

/** Sends `bytes` in chunks of 200 ms, as the UI does. */
function stream(v: VoiceService, id: string, bytes: Uint8Array) {
  let seq = 0;
  for (let at = 0; at < bytes.length; at += 6400) v.chunk(id, seq++, bytes.subarray(at, at + 6400));
}

Deno.test("voice service transcribes streamed chunks with the system engine", async () => {
  using v = disposable(service());
  v.start(ID, 16_000);
  stream(v, ID, speech);
  const t = await v.stop(ID);
  assertEquals(t.text, "go forward ten meters");
  assertEquals(t.engine, "system");
  assertEquals(Math.round(t.audioMs!), Math.round((speech.length / 2 / 16_000) * 1000));
  await assertRejects(() => v.stop(ID), TypeError, "no recording"); // it is gone
});

Deno.test("voice service keeps the core responsive while the engine works", async () => {
  using v = disposable(service());
  const long = new Uint8Array(speech.length * 6);
  for (let i = 0; i < 6; i++) long.set(speech, i * speech.length);
  v.start(ID, 16_000);
  stream(v, ID, long);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 20);
  const t0 = performance.now();
  const t = await v.stop(ID);
  const took = performance.now() - t0;
  clearInterval(timer);
  assert(t.text?.includes("go forward ten meters"), t.text ?? "");
  // A blocked event loop would tick once or not at all.
  assert(ticks >= took / 20 / 4, `${ticks} ticks of 20 ms in ${Math.round(took)} ms`);
});

Deno.test("voice service refuses what the UI must not send", () => {
  using v = disposable(service());
  assertThrows(() => v.start(ID, 48_000), RangeError, "16000 Hz");
  assertThrows(() => v.start("x", 16_000), TypeError, "utterance id");
  v.start(ID, 16_000);
  assertThrows(() => v.chunk(ID, 1, new Uint8Array(2)), TypeError, "chunk 1 arrived, 0 was");
  assertThrows(() => v.chunk(ID, 0, new Uint8Array(3)), TypeError, "odd number");
  assertThrows(() => v.chunk("nope-nope-nope", 0, new Uint8Array(2)), TypeError, "no recording");
});

Deno.test("voice service drops a recording longer than the limit", () => {
  using v = disposable(service({ maxSeconds: 1 }));
  v.start(ID, 16_000);
  v.chunk(ID, 0, new Uint8Array(20_000));
  assertThrows(() => v.chunk(ID, 1, new Uint8Array(20_000)), RangeError, "longer than 1 s");
  assertThrows(() => v.chunk(ID, 2, new Uint8Array(2)), TypeError, "no recording");
});

Deno.test("voice service: cancel stops a transcription under way", async () => {
  using v = disposable(service());
  v.start(ID, 16_000);
  stream(v, ID, littleEndianBytes(new Int16Array(16_000 * 20)));
  const pending = v.stop(ID);
  v.cancel(ID);
  await assertRejects(() => pending);
});

Deno.test("voice service: Whisper chosen but not downloaded says what to do; auto falls back", async () => {
  using v = disposable(service({}, { engine: "whisper", whisperModel: "tiny.en" }));
  v.start(ID, 16_000);
  await assertRejects(() => v.stop(ID), Error, "Whisper model tiny.en is not downloaded");
  const status = await v.status();
  assertEquals(status.engine, "");
  using auto = disposable(service());
  assertEquals((await auto.status()).engine, "system");
});

Deno.test("voice service with no engine installed says what to install", async () => {
  using v = disposable(service({ system: new SystemEngine({ env: { PATH: "/nonexistent" } }) }));
  v.start(ID, 16_000);
  v.chunk(ID, 0, littleEndianBytes(samplesOf(speech)));
  await assertRejects(() => v.stop(ID), Error, "apt-get install pocketsphinx pocketsphinx-en-us");
  const sys = (await v.status()).engines!.find((e) => e.id === "system")!;
  assertEquals(sys.available, false);
});

function disposable(v: VoiceService): VoiceService & Disposable {
  return Object.assign(v, { [Symbol.dispose]: () => v.close() });
}
