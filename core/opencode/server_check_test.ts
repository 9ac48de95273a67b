import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { checkServer, normalizeServerUrl, refusal } from "./server_check.ts";
import { assertRejects } from "../../tests/support/assert.ts";

Deno.test("server URL check keeps the origin and adds http:// when no scheme is given", () => {
  assertEquals(normalizeServerUrl(" http://127.0.0.1:4096/ "), "http://127.0.0.1:4096");
  assertEquals(normalizeServerUrl("localhost:4096"), "http://localhost:4096");
  assertEquals(normalizeServerUrl("https://box.lan"), "https://box.lan");
});

Deno.test("server URL check refuses what cannot be a server, with the reason", () => {
  assertThrows(() => normalizeServerUrl(""), TypeError, "no URL given");
  assertThrows(() => normalizeServerUrl("ftp://x"), TypeError, "only http:// and https://");
  assertThrows(() => normalizeServerUrl("http://a:b@x"), TypeError, "password in its own field");
  assertThrows(() => normalizeServerUrl("http://x/api"), TypeError, "has no path");
  assertThrows(() => normalizeServerUrl("http://[bad"), TypeError, "not a URL");
});

Deno.test("server URL refusal words each kind of answer", () => {
  assertEquals(refusal({ kind: "opencode1", version: "1.2.3" }), null);
  assertEquals(
    refusal({ kind: "unreachable", detail: "cannot connect (refused)" }),
    "nothing answers there (cannot connect (refused))",
  );
  assertEquals(
    refusal({ kind: "not-opencode", detail: "GET /global/health answered HTTP 404" }),
    "not an OpenCode server (GET /global/health answered HTTP 404)",
  );
  assertEquals(
    refusal({ kind: "unreachable", detail: "HTTP 401: set OPENCODE_SERVER_PASSWORD" }),
    "it asks for a password, and the one given is wrong",
  );
});

Deno.test("server URL check says nothing answers on a closed port", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await assertRejects(
    () => checkServer(`http://127.0.0.1:${port}`, {}, 1000),
    Error,
    `Cannot use http://127.0.0.1:${port}: nothing answers there`,
  );
});
