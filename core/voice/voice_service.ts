/**
 * Push-to-talk on the core's side: the utterances being recorded (audio chunks streamed in by
 * any window, keyed by the id the window picked), which engine transcribes them (from the Audio
 * settings and what this machine has), the status the settings show, and its pushes.
 */
import type { ipc } from "../../proto/envelope.js";
import { audioMs, type EngineId, SAMPLE_RATE, type VoiceEngine } from "./engine.ts";
import { samplesOf } from "./system_engine.ts";
import type { VoiceSettings } from "./voice_settings.ts";

export type VoiceStatus = ipc.VoiceStatus.$Properties;
export type VoiceTranscript = ipc.VoiceTranscript.$Properties;
export type VoiceModelInfo = ipc.VoiceModelInfo.$Properties;
export type VoicePush = { voiceStatus: VoiceStatus };

/** What the service needs of the Whisper model manager (core/voice/model_manager.ts). */
export interface Models {
  list(): VoiceModelInfo[];
  isPresent(id: string): boolean;
  download(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  cancel(id: string): void;
  onChange(listener: () => void): () => void;
}

export interface VoiceServiceOptions {
  system: VoiceEngine;
  whisper?: VoiceEngine;
  models?: Models;
  /** The current Audio settings (they live in the settings store). */
  settings: () => VoiceSettings;
  /** Longest utterance accepted; the UI stops itself at the same length. */
  maxSeconds?: number;
  /** An utterance that receives nothing for this long is dropped (its window went away). */
  idleMs?: number;
}

interface Utterance {
  chunks: Uint8Array[];
  bytes: number;
  nextSeq: number;
  touched: number;
  abort: AbortController;
}

/** How many utterances may be open at once (every window and browser together). */
const MAX_OPEN = 16;
export const MAX_SECONDS = 120;

export class VoiceService {
  #opts: VoiceServiceOptions;
  #open = new Map<string, Utterance>();
  #listeners = new Set<(p: VoicePush) => void>();
  #sweeper: ReturnType<typeof setInterval>;
  #maxBytes: number;
  #unwatch: (() => void) | undefined;

  constructor(opts: VoiceServiceOptions) {
    this.#opts = opts;
    this.#maxBytes = (opts.maxSeconds ?? MAX_SECONDS) * SAMPLE_RATE * 2;
    const idleMs = opts.idleMs ?? 60_000;
    this.#sweeper = setInterval(() => this.#sweep(idleMs), Math.min(idleMs, 10_000));
    this.#unwatch = opts.models?.onChange(() => void this.#pushStatus());
  }

  /** Pushes (model download progress, availability) for every window. */
  subscribe(listener: (p: VoicePush) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(id: string, sampleRate: number): void {
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      throw new TypeError(
        "Cannot start recording: the utterance id must be 8-64 letters or digits",
      );
    }
    if (sampleRate !== SAMPLE_RATE) {
      throw new RangeError(`Cannot start recording: audio must be ${SAMPLE_RATE} Hz mono`);
    }
    if (this.#open.has(id)) throw new TypeError(`Cannot start recording: ${id} is already open`);
    if (this.#open.size >= MAX_OPEN) {
      throw new RangeError(`Cannot start recording: ${MAX_OPEN} recordings are already open`);
    }
    this.#open.set(id, {
      chunks: [],
      bytes: 0,
      nextSeq: 0,
      touched: Date.now(),
      abort: new AbortController(),
    });
  }

  chunk(id: string, seq: number, pcm: Uint8Array): void {
    const u = this.#get(id, "add audio");
    if (seq !== u.nextSeq) {
      throw new TypeError(`Cannot add audio: chunk ${seq} arrived, ${u.nextSeq} was expected`);
    }
    if (pcm.byteLength % 2) throw new TypeError("Cannot add audio: odd number of bytes");
    if (u.bytes + pcm.byteLength > this.#maxBytes) {
      this.#open.delete(id);
      throw new RangeError(
        `Cannot add audio: the recording is longer than ${this.#maxBytes / SAMPLE_RATE / 2} s`,
      );
    }
    u.chunks.push(pcm.slice());
    u.bytes += pcm.byteLength;
    u.nextSeq++;
    u.touched = Date.now();
  }

  /** Ends the recording and transcribes it with the engine the settings choose. */
  async stop(id: string): Promise<VoiceTranscript> {
    const u = this.#get(id, "transcribe");
    const all = new Uint8Array(u.bytes);
    let at = 0;
    for (const c of u.chunks) {
      all.set(c, at);
      at += c.byteLength;
    }
    u.chunks = [];
    u.touched = Date.now();
    try {
      const engine = await this.engine();
      const pcm = samplesOf(all);
      const t0 = performance.now();
      const text = await engine.transcribe(pcm, {
        language: this.#opts.settings().language ?? "",
        signal: u.abort.signal,
      });
      return {
        utteranceId: id,
        text,
        engine: engine.id,
        audioMs: audioMs(pcm.length),
        decodeMs: performance.now() - t0,
      };
    } finally {
      this.#open.delete(id);
    }
  }

  /** Drops the recording; a transcription of it that is running is stopped. */
  cancel(id: string): void {
    const u = this.#open.get(id);
    if (!u) return;
    this.#open.delete(id);
    u.abort.abort(new DOMException("Cannot transcribe: cancelled", "AbortError"));
  }

  /** The engine an utterance uses now, or an error saying why there is none. */
  async engine(): Promise<VoiceEngine> {
    const s = this.#opts.settings();
    const { system, whisper, models } = this.#opts;
    const model = s.whisperModel ?? "";
    const whisperReady = !!whisper && !!models?.isPresent(model);
    if (s.engine === "whisper" || (s.engine === "auto" && whisperReady)) {
      if (whisperReady) return whisper!;
      if (s.engine === "whisper") {
        throw new Error(
          `Cannot transcribe: the Whisper model ${model} is not downloaded; download it in Settings → Audio, or choose the system engine`,
        );
      }
    }
    const a = await system.availability();
    if (a.available) return system;
    throw new Error(`Cannot transcribe: no engine can run here. ${a.detail}`);
  }

  async status(): Promise<VoiceStatus> {
    const { system, whisper, models } = this.#opts;
    const sys = await system.availability();
    const w = whisper ? await whisper.availability() : { available: false, detail: "" };
    let active: EngineId | "" = "";
    try {
      active = (await this.engine()).id;
    } catch (err) {
      if (!(err instanceof Error)) throw err;
    }
    return {
      engines: [
        { id: "whisper", name: "Whisper", available: w.available, detail: w.detail },
        { id: "system", name: system.name, available: sys.available, detail: sys.detail },
      ],
      models: models?.list() ?? [],
      engine: active,
    };
  }

  async modelAction(modelId: string, action: string): Promise<VoiceStatus> {
    const models = this.#opts.models;
    if (!models) throw new Error("Cannot manage models: Whisper is not available in this build");
    switch (action) {
      case "download":
        // Runs in the background; progress and the outcome arrive as pushes.
        models.download(modelId).catch((err) => {
          if (!(err instanceof Error)) throw err;
        });
        break;
      case "delete":
        await models.remove(modelId);
        break;
      case "cancel":
        models.cancel(modelId);
        break;
      default:
        throw new TypeError(`Cannot manage models: unknown action "${action}"`);
    }
    return await this.status();
  }

  /** Pushes the status (after a settings change, for example). */
  async #pushStatus(): Promise<void> {
    if (!this.#listeners.size) return;
    const p = { voiceStatus: await this.status() };
    for (const l of this.#listeners) l(p);
  }

  /** Tells every window that something the status depends on changed. */
  changed(): void {
    void this.#pushStatus();
  }

  close(): void {
    clearInterval(this.#sweeper);
    this.#unwatch?.();
    this.#opts.whisper?.close?.();
    for (const id of [...this.#open.keys()]) this.cancel(id);
  }

  #get(id: string, action: string): Utterance {
    const u = this.#open.get(id);
    if (!u) throw new TypeError(`Cannot ${action}: no recording ${id} (cancelled or too old)`);
    return u;
  }

  #sweep(idleMs: number): void {
    const now = Date.now();
    for (const [id, u] of this.#open) if (now - u.touched > idleMs) this.cancel(id);
  }
}
