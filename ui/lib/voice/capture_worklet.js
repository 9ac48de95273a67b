// Runs in the AudioWorkletGlobalScope (no DOM, no imports needed).
/**
 * Copies the microphone's channels out of the audio thread in blocks of about 40 ms; the page
 * downmixes and resamples them (ui/lib/voice/resample.js).
 */
const BLOCK = 2048;

// @ts-ignore: AudioWorkletProcessor and registerProcessor exist only in the worklet scope.
class DeskCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    /** @type {Float32Array[]} */
    this.blocks = [];
    this.filled = 0;
  }

  /** @param {Float32Array[][]} inputs */
  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) return true;
    const frames = input[0].length;
    if (this.blocks.length !== input.length) {
      this.blocks = input.map(() => new Float32Array(BLOCK));
      this.filled = 0;
    }
    let done = 0;
    while (done < frames) {
      const n = Math.min(frames - done, BLOCK - this.filled);
      for (let c = 0; c < input.length; c++) {
        this.blocks[c].set(input[c].subarray(done, done + n), this.filled);
      }
      this.filled += n;
      done += n;
      if (this.filled === BLOCK) {
        // @ts-ignore: port exists on AudioWorkletProcessor.
        this.port.postMessage(this.blocks, this.blocks.map((b) => b.buffer));
        this.blocks = input.map(() => new Float32Array(BLOCK));
        this.filled = 0;
      }
    }
    return true;
  }
}

// @ts-ignore: see above.
registerProcessor("desk-capture", DeskCapture);
