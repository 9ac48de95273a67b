/**
 * Puts voice input together for the app: the system engine, the Whisper engine and its model
 * manager (models live in the app's data directory, core/voice/data_dir.ts), and the service the
 * bridge talks to. `OPENCODE_DESK_MODEL_URL` replaces https://huggingface.co (a mirror).
 */
import { join } from "node:path";
import { dataDir } from "./data_dir.ts";
import { ModelManager } from "./model_manager.ts";
import { SystemEngine } from "./system_engine.ts";
import { VoiceService } from "./voice_service.ts";
import { DEFAULT_MODEL, type VoiceSettings } from "./voice_settings.ts";
import { WhisperEngine } from "./whisper_engine.ts";

export interface StartVoiceOptions {
  env: Record<string, string | undefined>;
  settings: () => VoiceSettings;
}

/** Builds the voice service for the app (no engine starts until a window records). */
export async function startVoice(opts: StartVoiceOptions): Promise<VoiceService> {
  const models = await new ModelManager({
    dir: join(dataDir(opts.env), "models"),
    baseUrl: opts.env.OPENCODE_DESK_MODEL_URL || undefined,
  }).init();
  const whisper = new WhisperEngine({
    models,
    model: () => opts.settings().whisperModel || DEFAULT_MODEL,
  });
  return new VoiceService({
    system: new SystemEngine({ env: opts.env }),
    whisper,
    models,
    settings: opts.settings,
  });
}
