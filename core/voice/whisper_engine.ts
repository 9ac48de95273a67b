/**
 * Whisper (transformers.js) as a voice engine: the chosen model, downloaded by the model
 * manager, runs in a Worker (core/voice/whisper_worker.ts) so the core keeps answering while it
 * works. A worker that crashes, or a Cancel, ends that transcription with an error; the next one
 * starts a fresh worker.
 */
import { type Availability, type TranscribeOptions, type VoiceEngine } from "./engine.ts";
import type { ModelManager } from "./model_manager.ts";
import type { WhisperReply, WhisperRequest } from "./whisper_worker.ts";

const WORKER = new URL("./whisper_worker.ts", import.meta.url).href;

export interface WhisperEngineOptions {
  models: ModelManager;
  /** The model id the settings chose. */
  model: () => string;
}

export class WhisperEngine implements VoiceEngine {
  readonly id = "whisper" as const;
  readonly name = "Whisper (transformers.js)";
  #opts: WhisperEngineOptions;
  #worker: Worker | null = null;
  #nextId = 1;
  #pending = new Map<number, { resolve: (t: string) => void; reject: (e: Error) => void }>();

  constructor(opts: WhisperEngineOptions) {
    this.#opts = opts;
  }

  availability(): Promise<Availability> {
    const id = this.#opts.model();
    const present = this.#opts.models.isPresent(id);
    return Promise.resolve({
      available: present,
      detail: present
        ? `Runs on this machine with the ${id} model.`
        : `The ${id} model is not downloaded yet; download it below.`,
    });
  }

  /** Transcribes in the worker; rejects with "Cannot transcribe with Whisper: …". */
  transcribe(pcm: Int16Array, opts: TranscribeOptions = {}): Promise<string> {
    const modelId = this.#opts.model();
    const models = this.#opts.models;
    if (!models.isPresent(modelId)) {
      return Promise.reject(
        new Error(`Cannot transcribe with Whisper: the ${modelId} model is not downloaded`),
      );
    }
    const spec = models.spec(modelId);
    const f = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) f[i] = pcm[i] / 32768;
    const req: WhisperRequest = {
      id: this.#nextId++,
      modelsDir: models.dir,
      repo: spec.repo,
      pcm: f,
      language: spec.multilingual ? opts.language ?? "" : "",
    };
    return new Promise<string>((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(new Error("Cannot transcribe with Whisper: cancelled"));
        return;
      }
      const onAbort = () => {
        this.#fail(new Error("Cannot transcribe with Whisper: cancelled"));
      };
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => opts.signal?.removeEventListener("abort", onAbort);
      this.#pending.set(req.id, {
        resolve: (t) => (done(), resolve(t)),
        reject: (e) => (done(), reject(e)),
      });
      this.#ensureWorker().postMessage(req, [f.buffer]);
    });
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const w = new Worker(WORKER, { type: "module" });
    w.onmessage = (e: MessageEvent<WhisperReply>) => {
      const p = this.#pending.get(e.data.id);
      if (!p) return;
      this.#pending.delete(e.data.id);
      if ("error" in e.data) p.reject(new Error(`Cannot transcribe with Whisper: ${e.data.error}`));
      else p.resolve(e.data.text);
    };
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault(); // the core lives on
      this.#fail(new Error(`Cannot transcribe with Whisper: the engine crashed (${e.message})`));
    };
    this.#worker = w;
    return w;
  }

  /** Ends the worker and every transcription in it. */
  #fail(err: Error): void {
    this.#worker?.terminate();
    this.#worker = null;
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }

  close(): void {
    this.#fail(new Error("Cannot transcribe with Whisper: the app is closing"));
  }
}
