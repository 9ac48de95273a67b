// @ts-check
/**
 * The browser's end of the microphone: a MediaStream into an AudioContext, through the capture
 * worklet (ui/lib/voice/capture_worklet.js), out as blocks of channel data at the context's rate;
 * and which microphone this browser uses.
 */

const WORKLET = new URL("./capture_worklet.js", import.meta.url).href;

/**
 * Starts delivering the stream's audio to `onBlock`; `close()` stops it.
 * @param {import("./recorder.js").Stream} stream
 * @param {(channels: Float32Array[], rate: number) => void} onBlock
 */
export async function openMicSource(stream, onBlock) {
  const ctx = new AudioContext();
  try {
    await ctx.audioWorklet.addModule(WORKLET);
    const source = ctx.createMediaStreamSource(/** @type {MediaStream} */ (stream));
    const node = new AudioWorkletNode(ctx, "desk-capture");
    node.port.onmessage = (e) => onBlock(/** @type {Float32Array[]} */ (e.data), ctx.sampleRate);
    source.connect(node);
    // Pulled by the destination so the worklet runs; it writes nothing, so nothing is heard.
    node.connect(ctx.destination);
    if (ctx.state === "suspended") await ctx.resume();
    return {
      close() {
        node.port.onmessage = null;
        source.disconnect();
        node.disconnect();
        ctx.close().catch(() => {/* already closed */});
      },
    };
  } catch (err) {
    await ctx.close();
    throw err;
  }
}

/** The microphones this browser offers (labels appear once access was granted). */
export async function listMicrophones() {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const all = await navigator.mediaDevices.enumerateDevices();
  return all.filter((d) => d.kind === "audioinput");
}

const MIC_KEY = "opencode-desk.microphone";

/** The microphone this browser uses ("" for its default); set in Settings → Audio. */
export function chosenMicrophone() {
  return localStorage.getItem(MIC_KEY) ?? "";
}

/** Remembers the microphone to use ("" for the browser's default). @param {string} deviceId */
export function chooseMicrophone(deviceId) {
  if (deviceId) localStorage.setItem(MIC_KEY, deviceId);
  else localStorage.removeItem(MIC_KEY);
}
