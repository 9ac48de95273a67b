/**
 * Whisper through transformers.js, as far as this machine allows: its weights cannot be
 * downloaded here, so these tests load the real library in the real worker and check what a
 * person would meet without a real model: a model that is not there, and files that are not a
 * model (served by a local server, downloaded by the real model manager). Both are errors in a
 * sentence, the library never reaches for the network (remote models stay off), and the engine
 * keeps working afterwards.
 */
import { createHash } from "node:crypto";
import { assertEquals, assertMatch, assertRejects } from "../../tests/support/assert.ts";
import { ModelManager } from "./model_manager.ts";
import { WhisperEngine } from "./whisper_engine.ts";
import type { ModelSpec } from "./whisper_models.ts";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const enc = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s);
/** Real configuration files of the right shape; the "weights" are not an ONNX graph. */
const FILES: Record<string, Uint8Array<ArrayBuffer>> = {
  "config.json": enc(JSON.stringify({
    model_type: "whisper",
    architectures: ["WhisperForConditionalGeneration"],
    d_model: 384,
    decoder_attention_heads: 6,
    decoder_layers: 4,
    encoder_attention_heads: 6,
    encoder_layers: 4,
    num_mel_bins: 80,
    vocab_size: 51864,
  })),
  "generation_config.json": enc(JSON.stringify({ decoder_start_token_id: 50257 })),
  "preprocessor_config.json": enc(JSON.stringify({
    feature_extractor_type: "WhisperFeatureExtractor",
    feature_size: 80,
    hop_length: 160,
    n_fft: 400,
    n_samples: 480000,
    nb_max_frames: 3000,
    sampling_rate: 16000,
    chunk_length: 30,
  })),
  "tokenizer.json": enc(JSON.stringify({
    version: "1.0",
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true },
    post_processor: null,
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true },
    model: { type: "BPE", vocab: { "a": 0 }, merges: [] },
  })),
  "tokenizer_config.json": enc(JSON.stringify({ tokenizer_class: "WhisperTokenizer" })),
  "onnx/encoder_model_quantized.onnx": enc("not an onnx graph"),
  "onnx/decoder_model_merged_quantized.onnx": enc("not an onnx graph either"),
};
const SPEC: ModelSpec = {
  id: "tiny.en",
  name: "test",
  repo: "test-org/whisper-fake",
  revision: "r1",
  multilingual: false,
  approxBytes: 0,
  files: Object.entries(FILES).map(([path, b]) => ({ path, size: b.length, sha256: sha(b) })),
};

Deno.test({
  name: "whisper engine: a model that is not downloaded is refused before loading anything",
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const models = await new ModelManager({ dir, models: [SPEC] }).init();
      const engine = new WhisperEngine({ models, model: () => "tiny.en" });
      assertEquals((await engine.availability()).available, false);
      await assertRejects(
        () => engine.transcribe(new Int16Array(16_000)),
        Error,
        "Cannot transcribe with Whisper: the tiny.en model is not downloaded",
      );
      engine.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "whisper engine: transformers.js in its worker reports files that are not a model, offline",
  sanitizeResources: false, // the worker's native ONNX runtime keeps handles until terminated
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const hits: string[] = [];
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
      const path = new URL(req.url).pathname;
      hits.push(path);
      const file = FILES[path.replace("/test-org/whisper-fake/resolve/r1/", "")];
      return file ? new Response(file.slice()) : new Response("no", { status: 404 });
    });
    try {
      const models = await new ModelManager({
        dir,
        models: [SPEC],
        baseUrl: `http://127.0.0.1:${server.addr.port}`,
      }).init();
      await models.download("tiny.en");
      const downloads = hits.length;
      const engine = new WhisperEngine({ models, model: () => "tiny.en" });
      assertEquals((await engine.availability()).available, true);
      for (let attempt = 0; attempt < 2; attempt++) {
        const err = await assertRejects(() => engine.transcribe(new Int16Array(16_000)));
        assertMatch(err.message, /^Cannot transcribe with Whisper: /);
        // The native ONNX runtime opened the file the model manager downloaded, and refused it.
        assertMatch(
          err.message,
          /Load model from .*test-org\/whisper-fake\/onnx\/\w+_quantized\.onnx failed:.*Protobuf parsing failed/,
        );
      }
      assertEquals(hits.length, downloads, "inference fetched nothing");
      engine.close();
    } finally {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
