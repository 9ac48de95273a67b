/**
 * The Whisper model manager against a local HTTP server this test starts, serving files it
 * makes (the layout of Hugging Face's `<repo>/resolve/<revision>/<path>`): progress, resuming
 * after the server cuts a file off, a checksum mismatch, no network, and never fetching twice.
 */
import { createHash } from "node:crypto";
import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/support/assert.ts";
import { ModelManager } from "./model_manager.ts";
import type { ModelSpec } from "./whisper_models.ts";

const big = crypto.getRandomValues(new Uint8Array(65_536)).map((b, i) => b ^ i);
const BIG = new Uint8Array(3 * 1024 * 1024).map((_, i) => big[i % big.length] ^ (i >> 16));
const FILES: Record<string, Uint8Array> = {
  "config.json": new TextEncoder().encode('{"model_type":"whisper"}'),
  "onnx/encoder_model_quantized.onnx": BIG,
};
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function spec(over: Partial<ModelSpec> = {}): ModelSpec {
  return {
    id: "tiny.en",
    name: "Whisper tiny (English)",
    repo: "test-org/whisper-test",
    revision: "abc123",
    multilingual: false,
    approxBytes: 0,
    files: Object.entries(FILES).map(([path, b]) => ({ path, size: b.length, sha256: sha(b) })),
    ...over,
  };
}

interface Served {
  url: string;
  requests: { path: string; range: string | null }[];
  sentBytes: () => number;
  /** Paths whose next response is cut off halfway. */
  cut: Set<string>;
  [Symbol.asyncDispose](): Promise<void>;
}

function serve(): Served {
  const requests: Served["requests"] = [];
  const cut = new Set<string>();
  let sent = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const url = new URL(req.url);
    const m = /^\/test-org\/whisper-test\/resolve\/abc123\/(.+)$/.exec(url.pathname);
    const range = req.headers.get("range");
    requests.push({ path: m?.[1] ?? url.pathname, range });
    const body = m ? FILES[m[1]] : undefined;
    if (!body) return new Response("not found", { status: 404 });
    const from = Number(/^bytes=(\d+)-$/.exec(range ?? "")?.[1] ?? 0);
    const part = body.subarray(from);
    const headers: Record<string, string> = { "content-length": String(part.length) };
    if (from) headers["content-range"] = `bytes ${from}-${body.length - 1}/${body.length}`;
    const cutHere = cut.delete(m![1]);
    const stream = new ReadableStream<Uint8Array>({
      async pull(c) {
        // 64 KiB at a time, so progress has something to show.
        const at = (this as unknown as { at?: number }).at ?? 0;
        if (cutHere && at >= part.length / 2) {
          c.error(new Error("cut by the test server"));
          return;
        }
        if (at >= part.length) return c.close();
        const chunk = part.subarray(at, at + 65_536);
        (this as unknown as { at: number }).at = at + chunk.length;
        sent += chunk.length;
        c.enqueue(chunk);
        await new Promise((r) => setTimeout(r, 15));
      },
    });
    return new Response(stream, { status: from ? 206 : 200, headers });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    sentBytes: () => sent,
    cut,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

async function tempDir(): Promise<string & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "models-" });
  return Object.assign(dir, {
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  }) as unknown as string & AsyncDisposable;
}

Deno.test("model manager downloads with progress, checks every file, never fetches twice", async () => {
  await using server = serve();
  await using dir = await tempDir();
  const m = await new ModelManager({ dir: `${dir}`, baseUrl: server.url, models: [spec()] }).init();
  const seen: { received: number; downloading: boolean; bps: number; eta: number }[] = [];
  m.onChange(() => {
    const i = m.list()[0];
    seen.push({
      received: i.receivedBytes!,
      downloading: !!i.downloading,
      bps: i.bytesPerSecond!,
      eta: i.etaSeconds!,
    });
  });
  assertEquals(m.list()[0].downloaded, false);
  await m.download("tiny.en");
  const info = m.list()[0];
  assertEquals([info.downloaded, info.downloading, info.error], [true, false, ""]);
  assert(seen.length >= 3, `progress was reported (${seen.length} events)`);
  const during = seen.filter((s) => s.downloading).map((s) => s.received);
  assert(during.some((r) => r > 0 && r < BIG.length), "progress between 0 and the whole");
  assert(during.every((r, i) => i === 0 || r >= during[i - 1]), "progress only grows");
  assert(seen.some((s) => s.bps > 0 && s.eta > 0), "speed and time left were shown");
  const onDisk = await Deno.readFile(`${m.modelPath("tiny.en")}/onnx/encoder_model_quantized.onnx`);
  assertEquals(sha(onDisk), sha(BIG));

  const before = server.requests.length;
  await m.download("tiny.en");
  const again = await new ModelManager({ dir: `${dir}`, baseUrl: server.url, models: [spec()] })
    .init();
  assertEquals(again.isPresent("tiny.en"), true, "a new start knows it is there");
  await again.download("tiny.en");
  assertEquals(server.requests.length, before, "nothing was fetched again");
});

Deno.test("model manager resumes a file the server cut off, from where it stopped", async () => {
  await using server = serve();
  await using dir = await tempDir();
  server.cut.add("onnx/encoder_model_quantized.onnx");
  const m = await new ModelManager({ dir: `${dir}`, baseUrl: server.url, models: [spec()] }).init();
  await m.download("tiny.en");
  const gets = server.requests.filter((r) => r.path === "onnx/encoder_model_quantized.onnx");
  assertEquals(gets.length, 2);
  assertEquals(gets[0].range, null);
  const resumedAt = Number(/bytes=(\d+)-/.exec(gets[1].range ?? "")?.[1]);
  assert(resumedAt > 0 && resumedAt < BIG.length, `resumed at byte ${resumedAt}`);
  assert(server.sentBytes() < BIG.length * 1.6, "the first half was not sent again");
  const onDisk = await Deno.readFile(`${m.modelPath("tiny.en")}/onnx/encoder_model_quantized.onnx`);
  assertEquals(sha(onDisk), sha(BIG));
  assertEquals(m.list()[0].receivedBytes, 0, "no download running");
  assertEquals(m.isPresent("tiny.en"), true);
});

Deno.test("model manager discards a file that does not match its checksum and says so", async () => {
  await using server = serve();
  await using dir = await tempDir();
  const bad = spec();
  bad.files[1] = { ...bad.files[1], sha256: "0".repeat(64) };
  const m = await new ModelManager({ dir: `${dir}`, baseUrl: server.url, models: [bad] }).init();
  const err = await assertRejects(() => m.download("tiny.en"));
  assertMatch(
    err.message,
    /^Cannot download tiny.en: encoder_model_quantized.onnx does not match its checksum \(expected 000000000000…, got [0-9a-f]{12}…\); the file was deleted/,
  );
  assertEquals(m.list()[0].error, err.message);
  assertEquals(m.isPresent("tiny.en"), false);
  const leftovers = [...Deno.readDirSync(`${m.modelPath("tiny.en")}/onnx`)].map((e) => e.name);
  assertEquals(leftovers, [], "neither the file nor its .part stays");
});

Deno.test("model manager offline: a clear error, and nothing is marked downloaded", async () => {
  await using dir = await tempDir();
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close(); // nothing listens there now
  const m = await new ModelManager({
    dir: `${dir}`,
    baseUrl: `http://127.0.0.1:${port}`,
    models: [spec()],
  }).init();
  const err = await assertRejects(() => m.download("tiny.en"));
  assertMatch(
    err.message,
    /^Cannot download tiny.en: cannot reach 127.0.0.1:\d+ .*Typed input keeps working/,
  );
  assertEquals(m.list()[0].downloaded, false);
});

Deno.test("model manager refuses a model whose checksums are not recorded", async () => {
  await using server = serve();
  await using dir = await tempDir();
  const unknown = spec({ files: [{ path: "config.json", sha256: null }] });
  const m = await new ModelManager({ dir: `${dir}`, baseUrl: server.url, models: [unknown] })
    .init();
  await assertRejects(() => m.download("tiny.en"), Error, "no checksum");
  assertEquals(server.requests.length, 0, "nothing was fetched unchecked");
});

Deno.test("model manager: Delete removes the files; the next download fetches again", async () => {
  await using server = serve();
  await using dir = await tempDir();
  const m = await new ModelManager({ dir: `${dir}`, baseUrl: server.url, models: [spec()] }).init();
  await m.download("tiny.en");
  await m.remove("tiny.en");
  assertEquals(m.isPresent("tiny.en"), false);
  await assertRejects(() => Deno.stat(m.modelPath("tiny.en")), Deno.errors.NotFound);
});
