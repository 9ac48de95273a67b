// Shared by ui/ (browser) and the Deno tests: no Deno or DOM globals here.
// @ts-check
/**
 * Microphone audio to what the engines take: several channels at the device's rate (48 kHz,
 * 44.1 kHz, …) downmixed to mono and resampled to 16 kHz with a windowed-sinc low-pass filter
 * (Kaiser window, 24 zero crossings, pass band to 95% of the output's Nyquist frequency), then
 * 16-bit integers. The resampler streams: feed it blocks as they come, `flush()` at the end.
 * Tested against sox (ui/lib/voice/resample_test.ts states the error bound).
 */

const ZERO_CROSSINGS = 24;
const BANDWIDTH = 0.95;
const KAISER_BETA = 8.6;
/** Kernel table resolution: entries per input sample (linear interpolation between them). */
const TABLE_RES = 128;

/** Averages the channels into one. @param {Float32Array[]} channels */
export function downmix(channels) {
  if (channels.length === 1) return channels[0];
  const n = channels[0]?.length ?? 0;
  const out = new Float32Array(n);
  for (const ch of channels) for (let i = 0; i < n; i++) out[i] += ch[i];
  const k = 1 / channels.length;
  for (let i = 0; i < n; i++) out[i] *= k;
  return out;
}

/** Float samples in [-1, 1] to signed 16-bit, clipped. @param {Float32Array} f */
export function toInt16(f) {
  const out = new Int16Array(f.length);
  for (let i = 0; i < f.length; i++) {
    const v = Math.max(-1, Math.min(1, f[i]));
    out[i] = Math.round(v < 0 ? v * 32768 : v * 32767);
  }
  return out;
}

/** Zeroth-order modified Bessel function of the first kind (for the Kaiser window). */
function bessel0(/** @type {number} */ x) {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

export class Resampler {
  /**
   * @param {number} inRate the device's rate, e.g. 48000
   * @param {number} outRate 16000
   */
  constructor(inRate, outRate) {
    if (!(inRate > 0 && outRate > 0)) {
      throw new RangeError(`Cannot resample: rates ${inRate} → ${outRate}`);
    }
    this.step = inRate / outRate; // input samples per output sample
    // Cut-off in cycles per input sample: below both Nyquist frequencies.
    const fc = 0.5 * Math.min(1, 1 / this.step) * BANDWIDTH;
    this.half = Math.ceil(ZERO_CROSSINGS / (2 * fc)); // taps on each side, in input samples
    const n = this.half * TABLE_RES + 2;
    this.table = new Float32Array(n);
    const norm = bessel0(KAISER_BETA);
    for (let i = 0; i < n; i++) {
      const x = i / TABLE_RES;
      const r = x / this.half;
      const w = r >= 1 ? 0 : bessel0(KAISER_BETA * Math.sqrt(1 - r * r)) / norm;
      const arg = 2 * fc * x;
      const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
      this.table[i] = 2 * fc * sinc * w;
    }
    /** Input not yet consumed, with `half` samples of history before `pos`. */
    this.buf = new Float32Array(0);
    /** Position of the next output sample, in input samples relative to buf[0]. */
    this.pos = this.half;
    this.buf = new Float32Array(this.half); // history starts as silence
  }

  /** @param {number} x distance in input samples */
  #kernel(x) {
    const t = Math.abs(x) * TABLE_RES;
    const i = Math.floor(t);
    const frac = t - i;
    return this.table[i] * (1 - frac) + this.table[i + 1] * frac;
  }

  /**
   * Resamples the next block; returns the output samples it completes.
   * @param {Float32Array} input
   * @returns {Float32Array}
   */
  push(input) {
    const buf = new Float32Array(this.buf.length + input.length);
    buf.set(this.buf);
    buf.set(input, this.buf.length);
    const out = [];
    // An output needs `half` input samples after its centre.
    while (this.pos + this.half < buf.length) {
      const c = this.pos;
      const lo = Math.max(0, Math.ceil(c - this.half));
      const hi = Math.min(buf.length - 1, Math.floor(c + this.half));
      let acc = 0;
      for (let i = lo; i <= hi; i++) acc += buf[i] * this.#kernel(c - i);
      out.push(acc);
      this.pos += this.step;
    }
    // Keep `half` samples of history before the next centre.
    const keepFrom = Math.max(0, Math.floor(this.pos) - this.half);
    this.buf = buf.slice(keepFrom);
    this.pos -= keepFrom;
    return Float32Array.from(out);
  }

  /** The last outputs, as if silence followed. @returns {Float32Array} */
  flush() {
    const tail = this.buf.length - this.pos; // input samples after the next centre
    const remaining = Math.max(0, Math.ceil(tail / this.step));
    const padded = this.push(new Float32Array(this.half + 1));
    return padded.slice(0, remaining);
  }
}

/**
 * Resamples a whole recording at once (tests, files).
 * @param {Float32Array[]} channels @param {number} inRate @param {number} outRate
 */
export function resampleAll(channels, inRate, outRate) {
  const r = new Resampler(inRate, outRate);
  const a = r.push(downmix(channels));
  const b = r.flush();
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
