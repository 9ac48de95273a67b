/**
 * The Audio settings the core keeps (in Settings.voice): which engine, which Whisper model, the
 * push-to-talk key and the language. The microphone is chosen per browser (device ids mean
 * nothing to another machine), so the UI keeps that one itself.
 */
import type { ipc } from "../../proto/envelope.js";

export type VoiceSettings = ipc.VoiceSettings.$Properties;

export const ENGINE_CHOICES = ["auto", "whisper", "system"] as const;
export const DEFAULT_MODEL = "tiny.en";
export const DEFAULT_KEY = "AltRight";

/** Keeps only well-formed fields (the file is edited by people), with the defaults for the rest. */
export function cleanVoiceSettings(raw: unknown, modelIds: readonly string[]): VoiceSettings {
  const r = (raw ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const engine = str(r.engine);
  const model = str(r.whisperModel);
  const key = str(r.pushToTalkKey);
  const language = str(r.language).toLowerCase();
  return {
    engine: (ENGINE_CHOICES as readonly string[]).includes(engine) ? engine : "auto",
    whisperModel: modelIds.includes(model) ? model : DEFAULT_MODEL,
    // A KeyboardEvent.code: letters and digits, e.g. "AltRight", "F8", "KeyV".
    pushToTalkKey: /^[A-Za-z0-9]{1,24}$/.test(key) ? key : DEFAULT_KEY,
    language: /^[a-z]{2,3}$/.test(language) ? language : "",
  };
}
