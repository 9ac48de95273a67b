import { assertEquals } from "../../tests/support/assert.ts";
import { basicAuthorization, passwordHeaders } from "./basic_auth.ts";
import { OpencodeClient } from "./client.ts";
import { serverAuthHeaders } from "./discover.ts";

const PASSWORD = "pässwörd✓";

/** What a server decodes from the header: base64, then UTF-8. */
function decode(header: string): string {
  const binary = atob(header.replace(/^Basic /, ""));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

Deno.test("basic auth encodes a password outside Latin-1 as UTF-8", () => {
  const header = basicAuthorization("opencode", PASSWORD);
  assertEquals(decode(header), `opencode:${PASSWORD}`);
  // ASCII stays what btoa gives.
  assertEquals(basicAuthorization("opencode", "pw"), `Basic ${btoa("opencode:pw")}`);
  assertEquals(passwordHeaders(undefined), {});
  assertEquals(passwordHeaders("pw", "alice"), { authorization: `Basic ${btoa("alice:pw")}` });
});

Deno.test("basic auth: the client and discovery send the same header for a non-Latin-1 password", async () => {
  const seen: (string | null)[] = [];
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    seen.push(req.headers.get("authorization"));
    return Response.json({ home: "/", state: "/", config: "/", worktree: "/", directory: "/" });
  });
  const client = new OpencodeClient(`http://127.0.0.1:${server.addr.port}`, {
    password: PASSWORD,
  });
  await client.path();
  const expected = basicAuthorization("opencode", PASSWORD);
  assertEquals(seen, [expected]);
  assertEquals(serverAuthHeaders({ OPENCODE_SERVER_PASSWORD: PASSWORD }), {
    authorization: expected,
  });
});
