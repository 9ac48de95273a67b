import { assertEquals } from "../../tests/support/assert.ts";
import { OpencodeClient } from "./client.ts";

const mock = { id: "mock", name: "Mock LLM", models: { small: { id: "small" } } };
const other = { id: "other", name: "Other" };

/** A server answering `routes` by path (404 for the rest); returns its client and what it was asked. */
function serve(routes: Record<string, unknown>) {
  const asked: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    asked.push(path);
    return path in routes
      ? Response.json(routes[path])
      : Response.json({ name: "NotFound", data: { message: "Not found" } }, { status: 404 });
  });
  const client = new OpencodeClient(`http://127.0.0.1:${server.addr.port}`);
  return { client, asked, [Symbol.asyncDispose]: () => server.shutdown() };
}

Deno.test("connectedProviders reads the small list of connected providers", async () => {
  await using s = serve({
    "/config/providers": { providers: [mock], default: { mock: "small" } },
  });
  assertEquals(await s.client.connectedProviders(), {
    all: [mock],
    connected: ["mock"],
    default: { mock: "small" },
  });
  assertEquals(s.asked, ["/config/providers"], "the whole list is not read");
});

Deno.test("connectedProviders cuts the whole list down on a server without the route", async () => {
  await using s = serve({
    "/provider": { all: [other, mock], connected: ["mock"], default: { mock: "small" } },
  });
  assertEquals(await s.client.connectedProviders(), {
    all: [mock],
    connected: ["mock"],
    default: { mock: "small" },
  });
});
