/**
 * The offline engine that needs no download: PocketSphinx with its US English model, as Debian
 * ships them (`apt-get install pocketsphinx pocketsphinx-en-us`). It runs the command line
 * `pocketsphinx_continuous -infile <raw>` as a child process per utterance: the audio goes to a
 * private temp file, the hypothesis comes back on stdout. A crash, a timeout or a missing model is
 * a rejected promise with a sentence, never a dead core.
 */
import { delimiter, join } from "node:path";
import {
  audioMs,
  type Availability,
  tidyText,
  type TranscribeOptions,
  type VoiceEngine,
} from "./engine.ts";

const BINARY = "pocketsphinx_continuous";
const DEFAULT_MODEL_DIR = "/usr/share/pocketsphinx/model/en-us";
const INSTALL_HINT = "install it with `apt-get install pocketsphinx pocketsphinx-en-us`";

export interface SystemEngineOptions {
  /** PATH and OPENCODE_DESK_POCKETSPHINX (a path to the binary) are read from here. */
  env: Record<string, string | undefined>;
  /** The model directory (holding en-us/, en-us.lm.bin and cmudict-en-us.dict). */
  modelDir?: string;
  /** A transcription taking longer than this (plus the audio's length) is killed. */
  timeoutMs?: number;
}

/** Finds the PocketSphinx command line: OPENCODE_DESK_POCKETSPHINX, else PATH, else null. */
export function findPocketsphinx(env: Record<string, string | undefined>): string | null {
  const explicit = env.OPENCODE_DESK_POCKETSPHINX;
  if (explicit) return isFile(explicit) ? explicit : null;
  for (const dir of (env.PATH ?? "/usr/bin").split(delimiter)) {
    if (dir && isFile(join(dir, BINARY))) return join(dir, BINARY);
  }
  return null;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw err;
  }
}

export class SystemEngine implements VoiceEngine {
  readonly id = "system" as const;
  readonly name = "PocketSphinx (offline, English)";
  #env: Record<string, string | undefined>;
  #modelDir: string;
  #timeoutMs: number;

  constructor(opts: SystemEngineOptions) {
    this.#env = opts.env;
    this.#modelDir = opts.modelDir ?? DEFAULT_MODEL_DIR;
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
  }

  availability(): Promise<Availability> {
    if (!findPocketsphinx(this.#env)) {
      return Promise.resolve({
        available: false,
        detail: `PocketSphinx is not installed: ${INSTALL_HINT}.`,
      });
    }
    if (!isFile(join(this.#modelDir, "en-us", "mdef"))) {
      return Promise.resolve({
        available: false,
        detail: `PocketSphinx has no English model in ${this.#modelDir}: ${INSTALL_HINT}.`,
      });
    }
    return Promise.resolve({ available: true, detail: "Runs on this machine; no download." });
  }

  /** Runs the command line on the audio; resolves with the words it heard ("" for none). */
  async transcribe(pcm: Int16Array, opts: TranscribeOptions = {}): Promise<string> {
    const bin = findPocketsphinx(this.#env);
    if (!bin) throw new Error(`Cannot transcribe: PocketSphinx is not installed; ${INSTALL_HINT}`);
    opts.signal?.throwIfAborted();
    const raw = await Deno.makeTempFile({ prefix: "opencode-desk-voice-", suffix: ".raw" });
    try {
      // Raw samples: PocketSphinx reads headerless 16-bit little-endian mono at 16 kHz.
      await Deno.writeFile(raw, littleEndianBytes(pcm), { mode: 0o600 });
      const m = this.#modelDir;
      const child = new Deno.Command(bin, {
        args: [
          "-infile",
          raw,
          "-hmm",
          join(m, "en-us"),
          "-lm",
          join(m, "en-us.lm.bin"),
          "-dict",
          join(m, "cmudict-en-us.dict"),
          "-samprate",
          "16000",
          "-logfn",
          "/dev/null",
        ],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const kill = () => {
        try {
          child.kill("SIGKILL");
        } catch (err) {
          if (!(err instanceof TypeError)) throw err; // already exited
        }
      };
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, this.#timeoutMs + audioMs(pcm.length));
      opts.signal?.addEventListener("abort", kill, { once: true });
      try {
        const out = await child.output();
        opts.signal?.throwIfAborted();
        if (timedOut) {
          throw new Error(`Cannot transcribe: PocketSphinx took longer than ${this.#timeoutMs} ms`);
        }
        if (!out.success) {
          const how = out.signal ? `was killed by ${out.signal}` : `exited with code ${out.code}`;
          const said = new TextDecoder().decode(out.stderr).trim().split("\n").pop() ?? "";
          throw new Error(`Cannot transcribe: PocketSphinx ${how}${said ? ` (${said})` : ""}`);
        }
        return tidyText(new TextDecoder().decode(out.stdout).split("\n"));
      } finally {
        clearTimeout(timer);
        opts.signal?.removeEventListener("abort", kill);
      }
    } finally {
      await Deno.remove(raw).catch((err) => {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      });
    }
  }
}

/** The samples as little-endian bytes, whatever this machine's byte order. */
export function littleEndianBytes(pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < pcm.length; i++) view.setInt16(i * 2, pcm[i], true);
  return out;
}

/** Reads little-endian 16-bit samples (the wire format of VoiceChunk). */
export function samplesOf(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}
