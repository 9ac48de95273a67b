import { assert, assertEquals } from "../../tests/support/assert.ts";
import { checkHost, isLoopbackHost, splitHostHeader } from "./auth.ts";

Deno.test("isLoopbackHost takes only the literal loopback forms", () => {
  for (const name of ["localhost", "LOCALHOST", "127.0.0.1", "127.255.0.9", "[::1]", "::1"]) {
    assert(isLoopbackHost(name), name);
  }
  for (
    const name of [
      "127.0.0.1.evil.example",
      "127.evil.example",
      "127.0.0.1.",
      "127.1",
      "2130706433",
      "0x7f.0.0.1",
      "0177.0.0.1",
      "127.0.0.01",
      "127.0.0.256",
      "128.0.0.1",
      "localhost.",
      "[::ffff:127.0.0.1]",
      "",
    ]
  ) assert(!isLoopbackHost(name), name);
});

Deno.test("splitHostHeader refuses userinfo, spaces, paths and extra colons", () => {
  assertEquals(splitHostHeader("LocalHost:8080"), { name: "localhost", port: "8080" });
  assertEquals(splitHostHeader("[::1]:1"), { name: "[::1]", port: "1" });
  for (
    const h of ["a@127.0.0.1", "127.0.0.1 x", "127.0.0.1:1:2", "127.0.0.1/x", "h:123456", ":1"]
  ) {
    assertEquals(splitHostHeader(h), null, h);
  }
});

Deno.test("checkHost beyond loopback allows the listed names and loopback, nothing else", () => {
  const req = (host: string) => new Request("http://x/", { headers: { host } });
  const policy = { loopbackOnly: false, allowed: new Set(["192.168.1.5"]) };
  assertEquals(checkHost(req("192.168.1.5:80"), policy), null);
  assertEquals(checkHost(req("localhost:80"), policy), null);
  assert(checkHost(req("evil.example:80"), policy));
  assert(checkHost(req("192.168.1.5:80"), { loopbackOnly: true, allowed: policy.allowed }));
});
