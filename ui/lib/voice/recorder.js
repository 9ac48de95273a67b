// Shared by ui/ (browser) and the Deno tests: the browser's media APIs come in as arguments.
// @ts-check
/**
 * Push-to-talk as a state machine: idle → starting (asking for the microphone) → recording
 * (elapsed time, level) → transcribing → done (or error). While recording, audio is downmixed,
 * resampled to 16 kHz mono and streamed to the core in chunks of about 200 ms; release asks the
 * core for the text. Esc cancels at any point; the maximum length stops the recording and
 * transcribes what was said, with a message saying so. Failures end in a sentence that says
 * what to do.
 */
import { signal } from "@preact/signals";
import { downmix, Resampler, toInt16 } from "./resample.js";

export const TARGET_RATE = 16_000;
const CHUNK_SAMPLES = 3_200; // 200 ms at 16 kHz

/** @typedef {"idle" | "starting" | "recording" | "transcribing" | "done" | "error"} Phase */
/**
 * @typedef {{ phase: Phase, elapsedMs: number, level: number, message: string, text: string }}
 *   RecorderState
 */
/** What the recorder needs of a MediaStream. @typedef {{ getTracks(): { stop(): void }[] }} Stream */
/**
 * @typedef {{
 *   secure: boolean,
 *   getUserMedia: ((c: { audio: object }) => Promise<Stream>) | null,
 *   openSource: (stream: Stream, onBlock: (channels: Float32Array[], rate: number) => void)
 *     => Promise<{ close(): void }>,
 *   core: {
 *     start(id: string, rate: number): Promise<void>,
 *     chunk(id: string, seq: number, pcm: Uint8Array): Promise<void>,
 *     stop(id: string): Promise<string>,
 *     cancel(id: string): Promise<void>,
 *   },
 *   maxMs: number,
 *   now?: () => number,
 *   newId?: () => string,
 *   deviceId?: () => string,
 * }} RecorderDeps
 */

const IDLE = /** @type {RecorderState} */ ({
  phase: "idle",
  elapsedMs: 0,
  level: 0,
  message: "",
  text: "",
});

/** A sentence for a getUserMedia failure that says what to do. @param {unknown} err */
export function microphoneProblem(err) {
  const name = err instanceof Error || err instanceof DOMException ? err.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Cannot record: the microphone is blocked for this page. Allow it in the browser's site settings (the icon at the left of the address bar), then try again.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "Cannot record: no microphone was found. Plug one in, or pick another in Settings → Audio, then try again.";
    case "NotReadableError":
    case "AbortError":
      return "Cannot record: the microphone is busy or failed to start. Close other programs that use it, then try again.";
    default:
      return `Cannot record: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export const INSECURE_ORIGIN =
  "Cannot record: browsers allow the microphone only on https:// pages or on this computer (localhost). Open the app through https, or on the machine it runs on.";

/** The level meter's value (0-1) for a block: its RMS on a 60 dB scale. @param {Float32Array} x */
function levelOf(x) {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] * x[i];
  const rms = Math.sqrt(sum / Math.max(1, x.length));
  const db = 20 * Math.log10(rms + 1e-9);
  return Math.max(0, Math.min(1, (db + 60) / 60));
}

/** Little-endian bytes of 16-bit samples (the wire format). @param {Int16Array} s */
function bytesOf(s) {
  const out = new Uint8Array(s.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < s.length; i++) view.setInt16(i * 2, s[i], true);
  return out;
}

export class Recorder {
  state = signal(IDLE);
  /** @type {RecorderDeps} */
  #d;
  #id = "";
  /** @type {Stream | null} */
  #stream = null;
  /** @type {{ close(): void } | null} */
  #source = null;
  /** @type {Resampler | null} */
  #resampler = null;
  #pending = /** @type {Int16Array[]} */ ([]);
  #pendingLength = 0;
  #seq = 0;
  #sending = Promise.resolve();
  /** @type {unknown} */
  #sendError = null;
  #startedAt = 0;
  #releaseWanted = false;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  #ticker;
  #limitMessage = "";

  /** @param {RecorderDeps} deps */
  constructor(deps) {
    this.#d = deps;
  }

  get phase() {
    return this.state.value.phase;
  }

  /** Whether a recording is being made or transcribed (the key is "busy"). */
  get active() {
    const p = this.phase;
    return p === "starting" || p === "recording" || p === "transcribing";
  }

  /** @param {Partial<RecorderState>} patch */
  #set(patch) {
    this.state.value = { ...this.state.value, ...patch };
  }

  #now() {
    return (this.#d.now ?? (() => performance.now()))();
  }

  /** Key down or button pressed: asks for the microphone and starts recording. */
  async press() {
    if (this.active) return;
    this.#releaseWanted = false;
    this.#limitMessage = "";
    if (!this.#d.secure || !this.#d.getUserMedia) {
      this.#set({ ...IDLE, phase: "error", message: INSECURE_ORIGIN });
      return;
    }
    const id = (this.#d.newId ?? (() => crypto.randomUUID().replaceAll("-", "")))();
    this.#id = id;
    this.#set({ ...IDLE, phase: "starting" });
    try {
      const deviceId = this.#d.deviceId?.() ?? "";
      const stream = await this.#d.getUserMedia({
        audio: {
          ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
          echoCancellation: false,
          noiseSuppression: false,
          autoGainControl: false,
        },
      });
      if (this.#id !== id) { // cancelled while asking
        for (const t of stream.getTracks()) t.stop();
        return;
      }
      this.#stream = stream;
    } catch (err) {
      if (this.#id === id) this.#fail(microphoneProblem(err));
      return;
    }
    try {
      await this.#d.core.start(id, TARGET_RATE);
      if (this.#id !== id) return;
      this.#seq = 0;
      this.#pending = [];
      this.#pendingLength = 0;
      this.#sending = Promise.resolve();
      this.#sendError = null;
      this.#resampler = null;
      this.#source = await this.#d.openSource(
        /** @type {Stream} */ (this.#stream),
        (channels, rate) => this.#onBlock(id, channels, rate),
      );
      if (this.#id !== id) return;
    } catch (err) {
      if (this.#id === id) this.#fail(err instanceof Error ? err.message : String(err));
      return;
    }
    this.#startedAt = this.#now();
    this.#set({ phase: "recording", elapsedMs: 0 });
    this.#ticker = setInterval(() => this.#tick(), 100);
    if (this.#releaseWanted) void this.release();
  }

  #tick() {
    if (this.phase !== "recording") return;
    const elapsedMs = this.#now() - this.#startedAt;
    this.#set({ elapsedMs });
    if (elapsedMs >= this.#d.maxMs) {
      this.#limitMessage = `Stopped at the ${
        Math.round(this.#d.maxMs / 1000)
      }-second limit; the text so far is below. Press again to go on.`;
      void this.release();
    }
  }

  /** @param {string} id @param {Float32Array[]} channels @param {number} rate */
  #onBlock(id, channels, rate) {
    if (this.#id !== id || this.phase !== "recording") return;
    const mono = downmix(channels);
    this.#resampler ??= new Resampler(rate, TARGET_RATE);
    this.#queue(toInt16(this.#resampler.push(mono)));
    this.#set({ level: levelOf(mono) });
    if (this.#pendingLength >= CHUNK_SAMPLES) this.#sendPending();
  }

  /** @param {Int16Array} s */
  #queue(s) {
    if (!s.length) return;
    this.#pending.push(s);
    this.#pendingLength += s.length;
  }

  #sendPending() {
    const all = new Int16Array(this.#pendingLength);
    let at = 0;
    for (const p of this.#pending) {
      all.set(p, at);
      at += p.length;
    }
    this.#pending = [];
    this.#pendingLength = 0;
    if (!all.length) return;
    const id = this.#id;
    const seq = this.#seq++;
    this.#sending = this.#sending.then(() => this.#d.core.chunk(id, seq, bytesOf(all))).catch(
      (err) => {
        this.#sendError ??= err;
      },
    );
  }

  #closeAudio() {
    clearInterval(this.#ticker);
    this.#source?.close();
    this.#source = null;
    for (const t of this.#stream?.getTracks() ?? []) t.stop();
    this.#stream = null;
  }

  /**
   * Key up or button released: stops recording and transcribes. Resolves with the text ("" when
   * nothing was heard or it failed; the state says which).
   * @returns {Promise<string>}
   */
  async release() {
    if (this.phase === "starting") {
      this.#releaseWanted = true;
      return "";
    }
    if (this.phase !== "recording") return "";
    const id = this.#id;
    this.#closeAudio();
    if (this.#resampler) this.#queue(toInt16(this.#resampler.flush()));
    this.#sendPending();
    this.#set({ phase: "transcribing", level: 0 });
    try {
      await this.#sending;
      if (this.#sendError) throw this.#sendError;
      const text = await this.#d.core.stop(id);
      if (this.#id !== id) return ""; // cancelled meanwhile
      this.#set({
        phase: "done",
        text,
        message: this.#limitMessage ||
          (text ? "" : "Nothing was recognised. Try again, closer to the microphone."),
      });
      return text;
    } catch (err) {
      if (this.#id === id) this.#fail(err instanceof Error ? err.message : String(err));
      return "";
    }
  }

  /** Esc: drops the recording (and a transcription under way); nothing is inserted. */
  cancel() {
    if (!this.active) return false;
    const id = this.#id;
    this.#id = "";
    this.#closeAudio();
    this.#set({ ...IDLE, message: "Voice input cancelled." });
    this.#d.core.cancel(id).catch(() => {
      // The core drops an utterance nobody finishes within a minute anyway.
    });
    return true;
  }

  /** Back to idle once a result or an error has been shown. */
  dismiss() {
    if (!this.active) this.#set(IDLE);
  }

  /** @param {string} message */
  #fail(message) {
    const id = this.#id;
    this.#id = "";
    this.#closeAudio();
    this.#set({ ...IDLE, phase: "error", message });
    if (id) this.#d.core.cancel(id).catch(() => {});
  }
}
