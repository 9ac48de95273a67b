/**
 * What every speech-to-text engine of the core offers: it says whether it can run here (and if
 * not, why, in a sentence the settings show) and turns 16 kHz mono PCM into text. Engines run
 * their work off the request path (a child process or a worker), so the core keeps answering
 * other windows meanwhile, and an engine that crashes rejects with an error instead of taking
 * the core down.
 */

/** The sample rate every engine takes: the UI resamples to it before sending. */
export const SAMPLE_RATE = 16_000;

export type EngineId = "whisper" | "system";

export interface TranscribeOptions {
  /** ISO 639-1 code, or "" for the model's default (English-only models ignore it). */
  language?: string;
  /** Aborts the transcription (the person pressed Esc, or the socket closed). */
  signal?: AbortSignal;
}

export interface Availability {
  available: boolean;
  /** Why it is not available, or what it is, in a sentence. */
  detail: string;
}

export interface VoiceEngine {
  readonly id: EngineId;
  readonly name: string;
  /** Whether the engine can run on this machine now. */
  availability(): Promise<Availability>;
  /** Transcribes signed 16-bit mono samples at 16 kHz. */
  transcribe(pcm: Int16Array, opts?: TranscribeOptions): Promise<string>;
  /** Stops what the engine keeps running (a worker), if anything. */
  close?(): void;
}

/** Joins the engine's pieces of text into one line with single spaces. */
export function tidyText(pieces: string[]): string {
  return pieces.map((p) => p.trim()).filter(Boolean).join(" ").replace(/\s+/g, " ");
}

/** Milliseconds of audio in `samples` samples at 16 kHz. */
export function audioMs(samples: number): number {
  return (samples / SAMPLE_RATE) * 1000;
}
