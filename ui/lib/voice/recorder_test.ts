/**
 * The capture state machine with the browser's media APIs replaced by small stand-ins (the real
 * ones run in tests/voice_test.ts): what the person sees at each step, what reaches the core,
 * and the sentences for a denied permission, a missing microphone and an insecure page.
 */
import { assert, assertEquals, assertMatch, waitFor } from "../../../tests/support/assert.ts";
import { INSECURE_ORIGIN, Recorder, type RecorderDeps, type Stream } from "./recorder.js";

type Calls = { start: string[]; chunks: number[]; stop: string[]; cancel: string[] };

function harness(over: Partial<RecorderDeps> = {}, text = "hello there") {
  const calls: Calls = { start: [], chunks: [], stop: [], cancel: [] };
  let clock = 0;
  let emit: ((channels: Float32Array[], rate: number) => void) | null = null;
  let trackStopped = 0;
  let finishStop: ((t: string) => void) | null = null;
  const deps: RecorderDeps = {
    secure: true,
    getUserMedia: () =>
      Promise.resolve(
        { getTracks: () => [{ stop: () => trackStopped++ }] } as Stream,
      ),
    openSource: (_stream, onBlock) => {
      emit = onBlock;
      return Promise.resolve({ close: () => (emit = null) });
    },
    core: {
      start: (id) => (calls.start.push(id), Promise.resolve()),
      chunk: (_id, _seq, pcm) => (calls.chunks.push(pcm.byteLength / 2), Promise.resolve()),
      stop: (id) => {
        calls.stop.push(id);
        return new Promise<string>((r) => (finishStop = r)).then((t) => t);
      },
      cancel: (id) => (calls.cancel.push(id), Promise.resolve()),
    },
    maxMs: 60_000,
    now: () => clock,
    newId: () => "utterance0001",
    ...over,
  };
  const rec = new Recorder(deps);
  let played = 0;
  /** Plays `seconds` of a 48 kHz stereo tone in 2048-frame blocks (whole blocks). */
  const play = (seconds: number) => {
    for (let done = 0; done < seconds * 48_000; done += 2048) {
      played += 2048;
      const block = Float32Array.from({ length: 2048 }, (_, i) => 0.3 * Math.sin((done + i) / 7));
      emit?.([block, block], 48_000);
    }
    clock += seconds * 1000;
  };
  return {
    rec,
    calls,
    play,
    tracksStopped: () => trackStopped,
    played: () => played,
    advance: (ms: number) => (clock += ms),
    finish: (t = text) => finishStop?.(t),
  };
}

Deno.test("recorder goes idle → recording → transcribing → done and streams 16 kHz audio", async () => {
  const h = harness();
  assertEquals(h.rec.phase, "idle");
  await h.rec.press();
  assertEquals(h.rec.phase, "recording");
  assertEquals(h.calls.start, ["utterance0001"]);
  h.play(1);
  await waitFor(() => h.rec.state.value.elapsedMs >= 1000, "the clock shows a second");
  assert(h.rec.state.value.level > 0.5, "the level meter shows the tone");
  const text = h.rec.release();
  assertEquals(h.rec.phase, "transcribing");
  await waitFor(() => h.calls.stop.length === 1, "stop sent after the last chunk");
  // What was played at 48 kHz reaches the core at 16 kHz: a third as many samples.
  const samples = h.calls.chunks.reduce((a, b) => a + b, 0);
  const want = h.played() / 3;
  assert(Math.abs(samples - want) <= 1, `${want} samples reached the core, got ${samples}`);
  assert(h.calls.chunks.length >= 4, "streamed in chunks while recording, not all at the end");
  h.finish();
  assertEquals(await text, "hello there");
  assertEquals(h.rec.state.value.phase, "done");
  assertEquals(h.tracksStopped(), 1, "the microphone is released");
});

Deno.test("recorder: Esc while recording cancels, tells the core, and yields no text", async () => {
  const h = harness();
  await h.rec.press();
  h.play(0.5);
  assertEquals(h.rec.cancel(), true);
  assertEquals(h.rec.phase, "idle");
  assertEquals(h.rec.state.value.message, "Voice input cancelled.");
  await waitFor(() => h.calls.cancel.length === 1, "the core drops the audio");
  assertEquals(await h.rec.release(), "", "a late key release does nothing");
  assertEquals(h.calls.stop, []);
  assertEquals(h.tracksStopped(), 1);
  assertEquals(h.rec.cancel(), false, "Esc with nothing recording is left to others");
});

Deno.test("recorder: Esc while transcribing drops the result", async () => {
  const h = harness();
  await h.rec.press();
  h.play(0.5);
  const text = h.rec.release();
  await waitFor(() => h.calls.stop.length === 1, "transcribing");
  h.rec.cancel();
  h.finish("too late");
  assertEquals(await text, "");
  assertEquals(h.rec.phase, "idle");
});

Deno.test("recorder stops at the maximum length, says so, and transcribes what it has", async () => {
  const h = harness({ maxMs: 2_000 });
  await h.rec.press();
  h.play(2.5);
  await waitFor(() => h.rec.phase === "transcribing", "stopped by the limit");
  h.finish("what was said");
  await waitFor(() => h.rec.phase === "done", "done");
  assertEquals(h.rec.state.value.text, "what was said");
  assertMatch(h.rec.state.value.message, /Stopped at the 2-second limit/);
});

Deno.test("recorder: a denied permission says how to allow the microphone", async () => {
  const h = harness({
    getUserMedia: () => Promise.reject(new DOMException("Permission denied", "NotAllowedError")),
  });
  await h.rec.press();
  assertEquals(h.rec.phase, "error");
  assertMatch(
    h.rec.state.value.message,
    /microphone is blocked.*Allow it in the browser's site settings/,
  );
  assertEquals(h.calls.start, [], "nothing reached the core");
});

Deno.test("recorder: no microphone says to plug one in", async () => {
  const h = harness({
    getUserMedia: () => Promise.reject(new DOMException("none", "NotFoundError")),
  });
  await h.rec.press();
  assertMatch(h.rec.state.value.message, /no microphone was found\. Plug one in/);
});

Deno.test("recorder: an insecure page says to use https or this computer", async () => {
  const h = harness({ secure: false, getUserMedia: null });
  await h.rec.press();
  assertEquals(h.rec.state.value.message, INSECURE_ORIGIN);
});

Deno.test("recorder: releasing before the microphone opened still transcribes", async () => {
  let grant: (s: Stream) => void = () => {};
  const h = harness({ getUserMedia: () => new Promise((r) => (grant = r)) });
  const pressed = h.rec.press();
  assertEquals(h.rec.phase, "starting");
  await h.rec.release();
  grant({ getTracks: () => [] } as Stream);
  await pressed;
  await waitFor(() => h.calls.stop.length === 1, "stop sent once the microphone opened");
  h.finish();
  await waitFor(() => h.rec.phase === "done", "done");
});

Deno.test("recorder: an engine error from the core is shown as it was said", async () => {
  const h = harness({
    core: {
      start: () => Promise.resolve(),
      chunk: () => Promise.resolve(),
      cancel: () => Promise.resolve(),
      stop: () =>
        Promise.reject(new Error("Cannot transcribe: PocketSphinx was killed by SIGSEGV")),
    },
  });
  await h.rec.press();
  h.play(0.3);
  assertEquals(await h.rec.release(), "");
  assertEquals(h.rec.phase, "error");
  assertEquals(h.rec.state.value.message, "Cannot transcribe: PocketSphinx was killed by SIGSEGV");
  await h.rec.press();
  assertEquals(h.rec.phase, "recording", "the next press records again");
  h.rec.cancel();
});
