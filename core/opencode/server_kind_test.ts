import { assertEquals, assertRejects } from "../../tests/support/assert.ts";
import { startOpencode2, startPlainWebServer } from "../../tests/support/foreign_servers.ts";
import { discover, probeServer } from "./discover.ts";
import { identifyServer, incompatibility, majorOf } from "./server_kind.ts";

const SENTENCE = "it is OpenCode 2.3.2; this version of the app speaks the OpenCode 1.x API";

Deno.test("server kind: OpenCode 2.x is told by its /api/info version", async () => {
  await using server = startOpencode2();
  const kind = await identifyServer(server.url);
  assertEquals(kind, { kind: "opencode-other", version: "2.3.2" });
  assertEquals(incompatibility(kind), SENTENCE);
});

Deno.test("server kind: OpenCode 2.x with a 1.x-style health answer is still 2.x", async () => {
  await using server = startOpencode2({ legacyHealth: true });
  assertEquals(await identifyServer(server.url), { kind: "opencode-other", version: "2.3.2" });
});

Deno.test("server kind: a plain web server is not an OpenCode server", async () => {
  await using server = startPlainWebServer();
  const kind = await identifyServer(server.url);
  assertEquals(kind.kind, "not-opencode");
  assertEquals(
    incompatibility(kind),
    "it is not an OpenCode server (GET /global/health answered HTTP 200 text/html)",
  );
  assertEquals(await probeServer(server.url), null);
});

Deno.test("server kind: OpenCode 1.x takes one request and is usable", async () => {
  const paths: string[] = [];
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    paths.push(new URL(req.url).pathname);
    return Response.json({ healthy: true, version: "1.18.33" });
  });
  const kind = await identifyServer(`http://127.0.0.1:${server.addr.port}/`);
  assertEquals(kind, { kind: "opencode1", version: "1.18.33" });
  assertEquals(incompatibility(kind), null);
  assertEquals(paths, ["/global/health"]);
});

Deno.test("server kind: a closed port is unreachable", async () => {
  const port = (() => {
    using l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    return (l.addr as Deno.NetAddr).port;
  })();
  const kind = await identifyServer(`http://127.0.0.1:${port}`, { timeoutMs: 1000 });
  assertEquals(kind.kind, "unreachable");
});

Deno.test("server kind: majorOf reads the leading number", () => {
  assertEquals([majorOf("1.18.33"), majorOf("2.3.2"), majorOf("v2.0.0-beta.1")], [1, 2, 2]);
  assertEquals(Number.isNaN(majorOf("dev")), true);
});

Deno.test("discover refuses an OpenCode 2.x server given by URL with one sentence", async () => {
  await using server = startOpencode2();
  await assertRejects(
    () => discover({ serverUrl: server.url, dir: Deno.cwd(), env: {} }),
    Error,
    `Cannot attach to the server at ${server.url}: ${SENTENCE}`,
  );
});
