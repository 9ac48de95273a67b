/**
 * The Whisper models on this machine: which are downloaded (into `<data>/models/<repo>/`, the
 * layout transformers.js reads with `env.localModelPath`), downloading one (every file checked
 * against the manifest's SHA-256, resumed after a cut connection, never fetched again once
 * present), progress (bytes, %, speed, time left) for the settings, and deleting one.
 */
import { join } from "node:path";
import { DownloadError, downloadFile, sha256File } from "./download.ts";
import type { Models, VoiceModelInfo } from "./voice_service.ts";
import { type ModelSpec, WHISPER_MODELS } from "./whisper_models.ts";

export const HUGGING_FACE = "https://huggingface.co";
/** Retries of one file after a cut connection, each resuming where the last stopped. */
const ATTEMPTS = 4;
const PROGRESS_EVERY_MS = 250;
const MARKER = ".complete";

export interface ModelManagerOptions {
  /** `<data>/models` */
  dir: string;
  /** Where `<repo>/resolve/<revision>/<path>` is fetched from (tests point it elsewhere). */
  baseUrl?: string;
  models?: readonly ModelSpec[];
  fetch?: typeof fetch;
}

interface Progress {
  received: number;
  total: number;
  samples: { t: number; bytes: number }[];
  abort: AbortController;
  done: Promise<void>;
}

export class ModelManager implements Models {
  readonly dir: string;
  #base: string;
  #specs: readonly ModelSpec[];
  #fetch: typeof fetch | undefined;
  #present = new Set<string>();
  #active = new Map<string, Progress>();
  #errors = new Map<string, string>();
  #listeners = new Set<() => void>();
  #lastEmit = 0;

  constructor(opts: ModelManagerOptions) {
    this.dir = opts.dir;
    this.#base = (opts.baseUrl ?? HUGGING_FACE).replace(/\/$/, "");
    this.#specs = opts.models ?? WHISPER_MODELS;
    this.#fetch = opts.fetch;
  }

  /** Reads which models are complete on disk. */
  async init(): Promise<this> {
    for (const spec of this.#specs) {
      try {
        const rev = await Deno.readTextFile(join(this.modelPath(spec.id), MARKER));
        if (rev.trim() === spec.revision) this.#present.add(spec.id);
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
    }
    return this;
  }

  spec(id: string): ModelSpec {
    const s = this.#specs.find((m) => m.id === id);
    if (!s) throw new TypeError(`Cannot find Whisper model "${id}"`);
    return s;
  }

  /** The model's directory: `<dir>/<repo>`. */
  modelPath(id: string): string {
    return join(this.dir, ...this.spec(id).repo.split("/"));
  }

  isPresent(id: string): boolean {
    return this.#present.has(id);
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  list(): VoiceModelInfo[] {
    return this.#specs.map((s) => {
      const p = this.#active.get(s.id);
      const known = s.files.every((f) => f.size !== undefined);
      const size = known ? s.files.reduce((a, f) => a + (f.size ?? 0), 0) : s.approxBytes;
      const bps = p ? speed(p) : 0;
      const total = p?.total || size;
      return {
        id: s.id,
        name: s.name,
        repo: s.repo,
        sizeBytes: size,
        downloaded: this.#present.has(s.id),
        downloading: !!p,
        receivedBytes: p?.received ?? 0,
        bytesPerSecond: bps,
        etaSeconds: p && bps > 0 ? Math.max(0, (total - p.received) / bps) : 0,
        error: this.#errors.get(s.id) ?? "",
        multilingual: s.multilingual,
      };
    });
  }

  /**
   * Downloads the model (or resolves at once when it is already here); the same promise while
   * it runs. Rejects with "Cannot download <id>: …", also kept in the model's `error`.
   */
  download(id: string): Promise<void> {
    const spec = this.spec(id);
    if (this.#present.has(id)) return Promise.resolve();
    const running = this.#active.get(id);
    if (running) return running.done;
    const missing = spec.files.filter((f) => !f.sha256).map((f) => f.path);
    if (missing.length) {
      const msg =
        `Cannot download ${id}: this version of the app has no checksum for ${missing.length} of its files, so it cannot check them`;
      this.#errors.set(id, msg);
      this.#emit(true);
      return Promise.reject(new Error(msg));
    }
    this.#errors.delete(id);
    const p: Progress = {
      received: 0,
      total: spec.files.reduce((a, f) => a + (f.size ?? 0), 0),
      samples: [],
      abort: new AbortController(),
      done: Promise.resolve(),
    };
    p.done = this.#run(spec, p).then(
      () => {
        this.#active.delete(id);
        this.#present.add(id);
        this.#emit(true);
      },
      (err) => {
        this.#active.delete(id);
        const msg = p.abort.signal.aborted
          ? `Download of ${id} stopped; press Download to resume`
          : `Cannot download ${id}: ${
            (err as Error).message
          }. Typed input keeps working; press Download to try again`;
        this.#errors.set(id, msg);
        this.#emit(true);
        throw new Error(msg);
      },
    );
    this.#active.set(id, p);
    this.#emit(true);
    return p.done;
  }

  async #run(spec: ModelSpec, p: Progress): Promise<void> {
    const dir = this.modelPath(spec.id);
    for (const f of spec.files) {
      const path = join(dir, ...f.path.split("/"));
      if (await verified(path, f.sha256!)) {
        const size = (await Deno.stat(path)).size;
        if (f.size === undefined) p.total += size;
        this.#add(p, size);
        continue;
      }
      const url = `${this.#base}/${spec.repo}/resolve/${spec.revision}/${f.path}`;
      let sized = f.size !== undefined;
      for (let attempt = 1;; attempt++) {
        const before = p.received;
        try {
          await downloadFile({
            url,
            path,
            sha256: f.sha256!,
            signal: p.abort.signal,
            fetch: this.#fetch,
            onSize: (n) => {
              if (!sized) p.total += n;
              sized = true;
            },
            onBytes: (n) => this.#add(p, n),
          });
          break;
        } catch (err) {
          p.received = before; // a resumed file reports its partial length again
          if (!(err instanceof DownloadError) || !err.retryable || attempt >= ATTEMPTS) throw err;
        }
      }
    }
    await Deno.writeTextFile(join(dir, MARKER), spec.revision + "\n");
  }

  #add(p: Progress, n: number): void {
    p.received += n;
    const t = performance.now();
    p.samples.push({ t, bytes: p.received });
    while (p.samples.length > 2 && t - p.samples[0].t > 3_000) p.samples.shift();
    this.#emit(false);
  }

  /** Stops a download; what arrived stays and the next Download resumes it. */
  cancel(id: string): void {
    this.#active.get(id)?.abort.abort();
  }

  /** Deletes the model's files (stopping its download first). */
  async remove(id: string): Promise<void> {
    const p = this.#active.get(id);
    if (p) {
      p.abort.abort();
      await p.done.catch(() => {/* the stop is reported by its own error */});
    }
    this.#present.delete(id);
    this.#errors.delete(id);
    await Deno.remove(this.modelPath(id), { recursive: true }).catch((err) => {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    });
    this.#emit(true);
  }

  #emit(now: boolean): void {
    const t = performance.now();
    if (!now && t - this.#lastEmit < PROGRESS_EVERY_MS) return;
    this.#lastEmit = t;
    for (const l of this.#listeners) l();
  }
}

/** Bytes per second over the last few seconds. */
function speed(p: Progress): number {
  const a = p.samples[0];
  const b = p.samples[p.samples.length - 1];
  if (!a || !b || b.t - a.t < 200) return 0;
  return ((b.bytes - a.bytes) / (b.t - a.t)) * 1000;
}

async function verified(path: string, sha256: string): Promise<boolean> {
  try {
    return await sha256File(path) === sha256;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}
