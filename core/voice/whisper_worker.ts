/**
 * Runs in a Worker (core/voice/whisper_engine.ts): Whisper through transformers.js, loading only
 * the files the model manager downloaded (`allowRemoteModels` off, `local_files_only`), so
 * inference never touches the network and never blocks the core's event loop.
 */
import type { AutomaticSpeechRecognitionPipeline } from "@huggingface/transformers";
import process from "node:process";

export interface WhisperRequest {
  id: number;
  /** `<data>/models`: transformers.js's localModelPath. */
  modelsDir: string;
  /** e.g. onnx-community/whisper-tiny.en, a directory under modelsDir. */
  repo: string;
  pcm: Float32Array;
  /** ISO 639-1, multilingual models only. */
  language: string;
}

export type WhisperReply = { id: number; text: string } | { id: number; error: string };

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<WhisperRequest>) => void) | null;
  postMessage(reply: WhisperReply): void;
};

let loaded: { key: string; pipe: Promise<AutomaticSpeechRecognitionPipeline> } | null = null;

async function transcribe(req: WhisperRequest): Promise<string> {
  // transformers.js picks its native ONNX runtime (onnxruntime-node) only where it sees Node's
  // `process`, which a Deno worker lacks. And its bundled web runtime resolves a URL against
  // `location.origin` when it loads, which in a worker started from a file: URL is "null" (an
  // invalid base): without a location it takes its file: URL as it is.
  const g = globalThis as { process?: unknown };
  g.process ??= process;
  if ("location" in globalThis) {
    Object.defineProperty(globalThis, "location", { value: undefined, configurable: true });
  }
  const { env, pipeline } = await import("@huggingface/transformers");
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = req.modelsDir.endsWith("/") ? req.modelsDir : `${req.modelsDir}/`;
  env.useBrowserCache = false;
  const key = `${req.modelsDir}\n${req.repo}`;
  if (loaded?.key !== key) {
    loaded = {
      key,
      pipe: pipeline("automatic-speech-recognition", req.repo, {
        dtype: "q8",
        local_files_only: true,
      }) as Promise<AutomaticSpeechRecognitionPipeline>,
    };
    loaded.pipe.catch(() => (loaded = null)); // a failed load is tried again next time
  }
  const asr = await loaded.pipe;
  const out = await asr(
    req.pcm,
    req.language ? { language: req.language, task: "transcribe" } : {},
  );
  return (Array.isArray(out) ? out.map((o) => o.text).join(" ") : out.text).trim();
}

scope.onmessage = (e) => {
  const req = e.data;
  transcribe(req).then(
    (text) => scope.postMessage({ id: req.id, text }),
    (err) =>
      scope.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) }),
  );
};
