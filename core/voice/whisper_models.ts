/**
 * The Whisper models the app can download: ONNX exports by the onnx-community organisation on
 * Hugging Face (the files transformers.js loads for `dtype: "q8"`), each pinned to one commit,
 * with every file's SHA-256. A model whose files lack a checksum cannot be downloaded, and a file
 * that does not match its checksum is discarded.
 *
 * Where the figures come from (this machine cannot reach Hugging Face, so none was re-hashed
 * here): tiny.en's sizes and hashes were published for commit 2575352d of
 * onnx-community/whisper-tiny.en by a project that vendored those files; whisper-base's hashes
 * (commit 1846881b) come from another project's pinned download script, without sizes, so its
 * sizes are learnt from the server's Content-Length. base.en's hashes were not found: it is listed
 * (so the settings show it) but refuses to download until they are recorded. To record or check
 * them: `curl -sI https://huggingface.co/<repo>/resolve/<commit>/<path>` prints the LFS file's
 * `x-linked-etag` (its SHA-256) and `x-linked-size`; small files: `curl -sL … | sha256sum`.
 */

export interface ModelFile {
  /** Path inside the repository, and under the model's directory on disk. */
  path: string;
  /** Bytes, when known (else the server's Content-Length is used). */
  size?: number;
  /** Hex SHA-256; null when not recorded yet (the model then refuses to download). */
  sha256: string | null;
}

export interface ModelSpec {
  id: string;
  name: string;
  repo: string;
  revision: string;
  multilingual: boolean;
  /** For the settings before anything is downloaded. */
  approxBytes: number;
  files: ModelFile[];
}

const TINY_EN: ModelSpec = {
  id: "tiny.en",
  name: "Whisper tiny (English)",
  repo: "onnx-community/whisper-tiny.en",
  revision: "2575352d61be1bf7225cf8f8b268a4678025fc58",
  multilingual: false,
  approxBytes: 43_536_374,
  files: [
    f("config.json", 2197, "251ea843b5901a99efa58c0b99b8052c6019aa3e7d2baf46693a1128ff606233"),
    f(
      "generation_config.json",
      1646,
      "7b2e8451ed5f118e75fdd991409d72119d21d2fef1eba9723f68fb9c57fe5dc9",
    ),
    f(
      "preprocessor_config.json",
      339,
      "a6a76d28c93edb273669eb9e0b0636a2bddbb1272c3261e47b7ca6dfdbac1b8d",
    ),
    f(
      "tokenizer.json",
      2405679,
      "5eb60cec1e77aeeb6869a2bb5a8e01a84c3fe5d072d75369343021fe6f5310d0",
    ),
    f(
      "tokenizer_config.json",
      282662,
      "93879c3dccdd4b976f709acd85b44778873f30c275e67026f30ca1e4c975230c",
    ),
    f(
      "onnx/encoder_model_quantized.onnx",
      10124993,
      "e93ec822f16a8fd264e7de972ad17d615ea7334b75a52d54c50c2e18dd503a25",
    ),
    f(
      "onnx/decoder_model_merged_quantized.onnx",
      30718858,
      "c0592d0749413c960569e1c7fb806b060d5d18f3ebad4a95cbf9a77dc6e9be52",
    ),
  ],
};

const BASE_EN: ModelSpec = {
  id: "base.en",
  name: "Whisper base (English)",
  repo: "onnx-community/whisper-base.en",
  revision: "main",
  multilingual: false,
  approxBytes: 80_000_000,
  files: [
    "config.json",
    "generation_config.json",
    "preprocessor_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "onnx/encoder_model_quantized.onnx",
    "onnx/decoder_model_merged_quantized.onnx",
  ].map((path) => ({ path, sha256: null })),
};

const BASE: ModelSpec = {
  id: "base",
  name: "Whisper base (multilingual)",
  repo: "onnx-community/whisper-base",
  revision: "1846881b6b3a3024392c1eea3ad983695bc23925",
  multilingual: true,
  approxBytes: 80_000_000,
  files: [
    f("config.json", undefined, "f4d0608f7d918166da7edb3e188de5ef1bfe70d9802e785d271fd88111e9cf4b"),
    f(
      "generation_config.json",
      undefined,
      "61070cf8de25b1e9256e8e102ded49d8d24a8369ed36ef84fdf21549e68125a0",
    ),
    f(
      "preprocessor_config.json",
      undefined,
      "a6a76d28c93edb273669eb9e0b0636a2bddbb1272c3261e47b7ca6dfdbac1b8d",
    ),
    f(
      "tokenizer.json",
      undefined,
      "27fc476bfe7f17299480be2273fc0608e4d5a99aba2ab5dec5374b4482d1a566",
    ),
    f(
      "tokenizer_config.json",
      undefined,
      "2e036e4dbacfdeb7242c7d4ec4149f4a16e86026048f94d1637e3a8ee9c6a573",
    ),
    f(
      "onnx/encoder_model_quantized.onnx",
      undefined,
      "5862993336bf33acd23736071aae2b32261d3b1b2f37780194460d4ef974dd46",
    ),
    f(
      "onnx/decoder_model_merged_quantized.onnx",
      undefined,
      "fa3ef9902734ce5ae6f9ef2bdb2ba9a6c4b5785b09f4f420ce036573dc9d090b",
    ),
  ],
};

function f(path: string, size: number | undefined, sha256: string): ModelFile {
  return { path, size, sha256 };
}

/** Every model the settings offer, the default first. */
export const WHISPER_MODELS: readonly ModelSpec[] = [TINY_EN, BASE_EN, BASE];

/** The ids, for cleaning settings. */
export const MODEL_IDS: readonly string[] = WHISPER_MODELS.map((m) => m.id);
