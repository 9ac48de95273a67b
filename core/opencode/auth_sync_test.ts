import { assert, assertEquals } from "../../tests/support/assert.ts";
import { syncProviderKeys } from "./auth_sync.ts";
import { spawnServer } from "./discover.ts";
import { createSandbox, OPENCODE_BIN, UNIT_ONLY } from "./testdata/sandbox.ts";

interface Recorded {
  method: string;
  url: string;
  body: string | null;
  headers: Headers;
}

/** A fetch that records requests and answers through `reply`. */
function fakeFetch(
  reply: (request: Recorded, signal: AbortSignal) => Promise<Response> | Response,
) {
  const requests: Recorded[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const recorded = {
      method: init?.method ?? "GET",
      url: String(input),
      body: typeof init?.body === "string" ? init.body : null,
      headers: new Headers(init?.headers),
    };
    requests.push(recorded);
    return await reply(recorded, init!.signal!);
  }) as typeof fetch;
  return { requests, fetchFn };
}

/** An OpenAI-compatible "model" that records each request's Authorization and refuses it. */
function refusingModel() {
  const authorizations: (string | null)[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    authorizations.push(request.headers.get("authorization"));
    return Response.json({ error: { message: "refused by test" } }, { status: 400 });
  });
  const config = {
    autoupdate: false,
    share: "disabled",
    enabled_providers: ["mock"],
    model: "mock/mock-model",
    small_model: "mock/mock-model",
    provider: {
      mock: {
        npm: "@ai-sdk/openai-compatible",
        name: "Mock",
        env: ["MOCK_API_KEY"],
        options: { baseURL: `http://127.0.0.1:${server.addr.port}/v1` },
        models: { "mock-model": { name: "Mock", limit: { context: 8000, output: 1000 } } },
      },
    },
  };
  return { server, config, authorizations };
}

/** Sends one prompt and waits for the (refused) reply. */
async function prompt(url: string): Promise<void> {
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    }).then((response) => response.json());
  const session = await post("/session", { title: "auth test" });
  await post(`/session/${session.id}/message`, { parts: [{ type: "text", text: "hi" }] });
}

Deno.test("syncProviderKeys stores keys in the real server's auth.json and activates them", {
  ignore: UNIT_ONLY,
}, async () => {
  const model = refusingModel();
  await using _model = model.server;
  await using sandbox = await createSandbox(model.config);
  await using server = await spawnServer({
    bin: OPENCODE_BIN,
    dir: sandbox.project,
    env: sandbox.env,
    clearEnv: true,
  });
  await prompt(server.url); // the instance now exists, without a key
  assertEquals(model.authorizations.splice(0).includes(null), true);

  const result = await syncProviderKeys(`${server.url}/`, [
    { providerID: "mock", key: "sk-mock-test-0123456789" },
    { providerID: "openrouter", key: "sk-or-test-9876543210" },
  ]);

  assertEquals(result, { synced: ["mock", "openrouter"], failed: [] });
  const auth = JSON.parse(await Deno.readTextFile(`${sandbox.dataDir}/auth.json`));
  assertEquals(auth.mock, { type: "api", key: "sk-mock-test-0123456789" });
  assertEquals(auth.openrouter, { type: "api", key: "sk-or-test-9876543210" });
  await prompt(server.url);
  assert(
    model.authorizations.includes("Bearer sk-mock-test-0123456789"),
    `the model saw ${JSON.stringify(model.authorizations)}`,
  );
});

Deno.test("syncProviderKeys sends one dispose after the PUTs, with the given headers", async () => {
  const { requests, fetchFn } = fakeFetch(() => Response.json(true));
  const result = await syncProviderKeys(
    "http://oc.test",
    [{ providerID: "openai", key: "k1" }, { providerID: "anthropic", key: "k2" }],
    fetchFn,
    { authorization: "Basic abc" },
  );
  assertEquals(result, { synced: ["openai", "anthropic"], failed: [] });
  assertEquals(requests.map((r) => `${r.method} ${r.url}`), [
    "PUT http://oc.test/auth/openai",
    "PUT http://oc.test/auth/anthropic",
    "POST http://oc.test/instance/dispose",
  ]);
  assertEquals(JSON.parse(requests[0].body!), { type: "api", key: "k1" });
  assertEquals(requests[0].headers.get("content-type"), "application/json");
  assert(requests.every((r) => r.headers.get("authorization") === "Basic abc"));
});

Deno.test("syncProviderKeys reports failures without the key and skips a useless dispose", async () => {
  const key = "sk-secret-abcdef123456";
  const { requests, fetchFn } = fakeFetch((request) =>
    request.url.endsWith("/auth/anthropic")
      ? Response.json({ name: "BadRequest", data: { message: `bad key ${key}` } }, { status: 400 })
      : Promise.reject(new TypeError(`connection refused while sending ${key}`))
  );
  const result = await syncProviderKeys(
    "http://oc.test",
    [{ providerID: "anthropic", key }, { providerID: "openai", key }, { providerID: "../x", key }],
    fetchFn,
  );
  assertEquals(result.synced, []);
  assertEquals(result.failed.map((f) => f.providerID), ["anthropic", "openai", "../x"]);
  assert(result.failed[0].error.startsWith("Cannot store key for anthropic: HTTP 400"));
  assert(result.failed[2].error.includes("invalid provider id"));
  for (const { error } of result.failed) assert(!error.includes(key), error);
  assertEquals(requests.length, 2, "no dispose, no request for an invalid id");
});

Deno.test("syncProviderKeys times out a request that never answers", async () => {
  const { fetchFn } = fakeFetch((request, signal) =>
    request.url.endsWith("/dispose") ? Response.json(true) : new Promise((_, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason));
    })
  );
  const started = performance.now();
  const result = await syncProviderKeys(
    "http://oc.test",
    [{ providerID: "openai", key: "k" }],
    fetchFn,
    undefined,
    50,
  );
  assert(performance.now() - started < 1000);
  assertEquals(result.failed, [{
    providerID: "openai",
    error: "Cannot store key for openai: no answer within 50 ms",
  }]);
});

Deno.test("syncProviderKeys reports a failed dispose separately", async () => {
  const { fetchFn } = fakeFetch((request) =>
    request.url.endsWith("/dispose") ? new Response("boom", { status: 500 }) : Response.json(true)
  );
  const result = await syncProviderKeys("http://oc.test", [{ providerID: "a", key: "k" }], fetchFn);
  assertEquals(result, {
    synced: ["a"],
    failed: [],
    disposeError: "Cannot dispose instance to apply keys: HTTP 500 boom",
  });
});
