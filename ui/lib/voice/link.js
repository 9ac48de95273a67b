// @ts-check
/**
 * Voice input's requests to the core over the app's one socket (ui/lib/connection.js), and the
 * voice status it pushes (engines, Whisper models, download progress).
 */
import { signal } from "@preact/signals";

/** @typedef {import("../../../proto/envelope.js").ipc.VoiceStatus.$Properties} VoiceStatus */
/** @typedef {import("../connection.js").Connection} Connection */

/** The latest voice status from the core, or null before the first one. */
export const voiceStatus = signal(/** @type {VoiceStatus | null} */ (null));

/** @type {Connection | null} */
let conn = null;

/** Called once by ui/main.js with the app's connection. @param {Connection} c */
export function useVoiceConnection(c) {
  conn = c;
}

function connection() {
  if (!conn) throw new Error("Cannot record: not connected to the app yet");
  return conn;
}

/** Transcription of a long recording can take a while on a slow machine. */
const TRANSCRIBE_TIMEOUT_MS = 180_000;

/** The core's end of an utterance, as the recorder uses it. */
export const coreVoice = {
  /** @param {string} id @param {number} sampleRate */
  async start(id, sampleRate) {
    await connection().request({ voiceStart: { utteranceId: id, sampleRate } });
  },
  /** @param {string} id @param {number} seq @param {Uint8Array} pcm */
  async chunk(id, seq, pcm) {
    await connection().request({ voiceChunk: { utteranceId: id, seq, pcm } });
  },
  /** @param {string} id @returns {Promise<string>} */
  async stop(id) {
    const reply = await connection().request(
      { voiceStop: { utteranceId: id } },
      TRANSCRIBE_TIMEOUT_MS,
    );
    return reply.voiceTranscript?.text ?? "";
  },
  /** @param {string} id */
  async cancel(id) {
    await connection().request({ voiceCancel: { utteranceId: id } });
  },
};

/** Asks the core for the voice status (engines, models). */
export async function refreshVoiceStatus() {
  const reply = await connection().request({ getVoiceStatus: {} });
  if (reply.voiceStatus) voiceStatus.value = reply.voiceStatus;
}

/** Download, delete or stop downloading a Whisper model. @param {string} modelId @param {"download" | "delete" | "cancel"} action */
export async function modelAction(modelId, action) {
  const reply = await connection().request({ voiceModelAction: { modelId, action } });
  if (reply.voiceStatus) voiceStatus.value = reply.voiceStatus;
}
