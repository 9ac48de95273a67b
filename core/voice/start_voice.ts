/**
 * Puts voice input together for the app: the system engine, the Whisper engine and its model
 * manager (models live in the app's data directory), and the service the bridge talks to.
 */
import { SystemEngine } from "./system_engine.ts";
import { VoiceService } from "./voice_service.ts";
import type { VoiceSettings } from "./voice_settings.ts";

export interface StartVoiceOptions {
  env: Record<string, string | undefined>;
  settings: () => VoiceSettings;
}

/** Builds the voice service for the app (nothing starts until a window records). */
export function startVoice(opts: StartVoiceOptions): VoiceService {
  return new VoiceService({
    system: new SystemEngine({ env: opts.env }),
    settings: opts.settings,
  });
}
