/**
 * The resampler against sox (Debian's `sox`, its default high-quality `rate`): real speech made
 * by espeak-ng plus tones, 48 kHz and 44.1 kHz stereo in, 16 kHz mono out. Error bound: over
 * the whole signal (edges included), the RMS of the difference from sox's output is below 1% of
 * the signal's RMS (−40 dB), and no sample differs by more than 0.02 of full scale.
 */
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { downmix, resampleAll, Resampler, toInt16 } from "./resample.js";

async function sox(args: string[]): Promise<void> {
  const out = await new Deno.Command("sox", { args, stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`sox ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

async function readF32(path: string): Promise<Float32Array> {
  const bytes = await Deno.readFile(path);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** Speech on the left channel, two tones on the right, at `rate`: the input, and sox's 16 kHz. */
async function fixture(rate: number) {
  const dir = await Deno.makeTempDir({ prefix: "resample-" });
  const say = await new Deno.Command("espeak-ng", {
    args: ["-w", `${dir}/say.wav`, "push to talk turns speech into text on this machine"],
  }).output();
  assert(say.success, "espeak-ng made speech");
  await sox([`${dir}/say.wav`, "-r", String(rate), `${dir}/left.wav`]);
  await sox([
    "-n",
    "-r",
    String(rate),
    "-c",
    "1",
    `${dir}/right.wav`,
    "synth",
    "3",
    "sine",
    "440",
    "sine",
    "3000",
    "vol",
    "0.3",
  ]);
  await sox(["-M", `${dir}/left.wav`, `${dir}/right.wav`, "-t", "f32", `${dir}/in.f32`]);
  await sox([
    "-t",
    "f32",
    "-r",
    String(rate),
    "-c",
    "2",
    `${dir}/in.f32`,
    "-t",
    "f32",
    "-r",
    "16000",
    "-c",
    "1",
    `${dir}/ref.f32`,
  ]);
  const interleaved = await readF32(`${dir}/in.f32`);
  const ref = await readF32(`${dir}/ref.f32`);
  await Deno.remove(dir, { recursive: true });
  const n = interleaved.length / 2;
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    left[i] = interleaved[2 * i];
    right[i] = interleaved[2 * i + 1];
  }
  return { channels: [left, right], ref };
}

function compare(ours: Float32Array, ref: Float32Array) {
  let diff = 0;
  let signal = 0;
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = (ours[i] ?? 0) - ref[i];
    diff += d * d;
    signal += ref[i] * ref[i];
    worst = Math.max(worst, Math.abs(d));
  }
  return { relRms: Math.sqrt(diff / signal), worst };
}

for (const rate of [48_000, 44_100]) {
  Deno.test(`resampler matches sox: ${rate / 1000} kHz stereo speech to 16 kHz mono`, async () => {
    const { channels, ref } = await fixture(rate);
    const ours = resampleAll(channels, rate, 16_000);
    assert(Math.abs(ours.length - ref.length) <= 1, `length ${ours.length} vs sox ${ref.length}`);
    const { relRms, worst } = compare(ours, ref);
    console.log(
      `  ${rate} Hz: rms difference ${(100 * relRms).toFixed(3)}% of signal, worst ${
        worst.toFixed(4)
      }`,
    );
    assert(relRms < 0.01, `RMS difference ${relRms} is under 1% of the signal`);
    assert(worst < 0.02, `largest difference ${worst} is under 0.02`);
  });
}

Deno.test("resampler gives the same output fed in blocks as all at once", async () => {
  const { channels } = await fixture(44_100);
  const mono = downmix(channels);
  const whole = resampleAll(channels, 44_100, 16_000);
  const r = new Resampler(44_100, 16_000);
  const parts: number[] = [];
  for (let i = 0; i < mono.length; i += 128) parts.push(...r.push(mono.subarray(i, i + 128)));
  parts.push(...r.flush());
  assertEquals(parts.length, whole.length);
  assert(parts.every((v, i) => Math.abs(v - whole[i]) < 1e-6), "blocks change nothing");
});

Deno.test("resampler turns a tone above 8 kHz into (almost) silence", () => {
  const n = 48_000;
  const tone = new Float32Array(n).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 10_000 * i) / n));
  const out = resampleAll([tone], 48_000, 16_000).subarray(200, 15_800);
  const peak = out.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  assert(peak < 0.005, `a 10 kHz tone would alias into the speech band; peak ${peak}`);
});

Deno.test("toInt16 clips and scales to 16-bit", () => {
  assertEquals([...toInt16(Float32Array.from([0, 1, -1, 2, -2, 0.5]))], [
    0,
    32767,
    -32768,
    32767,
    -32768,
    16384,
  ]);
});
