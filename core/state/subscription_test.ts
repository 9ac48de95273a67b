import { assert, assertEquals } from "../../tests/support/assert.ts";
import { ipc } from "../../proto/gen/ipc.js";
import type { OpencodeClient } from "../opencode/client.ts";
import { Subscription, type SubscriptionStatus } from "./subscription.ts";

const Mode = ipc.AnthropicAuth;
const Live = ipc.LiveCredential;
const Source = ipc.CredentialSource;
const NOW = 1_800_000_000_000;

/** A server that keeps its auth store in `path`, as OpenCode does, and records the requests. */
function fakeServer(path: string) {
  const calls: string[] = [];
  const client = {
    async request(method: string, url: string, body?: Record<string, unknown>) {
      calls.push(`${method} ${url}`);
      if (method === "PUT") {
        const store = JSON.parse(await Deno.readTextFile(path).catch(() => "{}"));
        store[url.split("/").pop()!] = body;
        await Deno.writeTextFile(path, JSON.stringify(store));
      }
      return true;
    },
  } as unknown as OpencodeClient;
  return { client, calls };
}

async function setup(env: Record<string, string>) {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/auth.json`;
  await Deno.writeTextFile(path, JSON.stringify({ anthropic: { type: "api", key: "k" } }));
  const server = fakeServer(path);
  let idle!: () => void;
  const idleNow = new Promise<void>((resolve) => (idle = resolve));
  const seen: SubscriptionStatus[] = [];
  const sub = new Subscription({
    client: server.client,
    env,
    storePath: path,
    whenIdle: () => idleNow,
    emit: (s) => seen.push(s),
    now: () => NOW,
  });
  return { sub, server, idle, seen, path, cleanup: () => Deno.remove(dir, { recursive: true }) };
}

const ENV = {
  ANTHROPIC_API_KEY: "k",
  ANTHROPIC_OAUTH_ACCESS: "acc",
  ANTHROPIC_OAUTH_REFRESH: "ref",
  ANTHROPIC_OAUTH_EXPIRES: String(NOW + 60_000),
};

Deno.test("subscription: a switch waits until no session works, then stores and disposes", async () => {
  const t = await setup(ENV);
  await t.sub.start(Mode.ANTHROPIC_AUTH_API_KEY);
  assertEquals(t.sub.status().live, Live.LIVE_CREDENTIAL_API_KEY);
  const done = t.sub.choose(Mode.ANTHROPIC_AUTH_SUBSCRIPTION);
  await new Promise((r) => setTimeout(r, 0)); // the switch had its chance to run
  assertEquals(t.server.calls, [], "nothing reaches the server while a session works");
  assertEquals(t.seen.at(-1)?.switching, true);
  t.idle();
  await done;
  assertEquals(t.server.calls, ["PUT /auth/anthropic", "POST /instance/dispose"]);
  const s = t.sub.status();
  assertEquals(
    [s.live, s.source, s.expiresAt, s.switching],
    [Live.LIVE_CREDENTIAL_OAUTH, Source.CREDENTIAL_SOURCE_ENV, NOW + 60_000, false],
  );
  assert(!JSON.stringify(t.seen).includes("acc"), "no token in what the windows get");
  await t.cleanup();
});

Deno.test("subscription: tokens the server stored win when they expire later than .env's", async () => {
  const t = await setup(ENV);
  const later = { type: "oauth", access: "new", refresh: "r2", expires: NOW + 3_600_000 };
  await Deno.writeTextFile(t.path, JSON.stringify({ anthropic: later }));
  await t.sub.start(Mode.ANTHROPIC_AUTH_SUBSCRIPTION);
  assertEquals(t.server.calls, [], "already live: nothing to put");
  t.idle();
  await t.sub.choose(Mode.ANTHROPIC_AUTH_API_KEY);
  await t.sub.choose(Mode.ANTHROPIC_AUTH_SUBSCRIPTION);
  const stored = JSON.parse(await Deno.readTextFile(t.path)).anthropic;
  assertEquals(stored.access, "new", "the server's later tokens went back, not .env's");
  assertEquals(t.sub.status().source, Source.CREDENTIAL_SOURCE_SERVER);
  await t.cleanup();
});

Deno.test("subscription: without an API key, switching back says why", async () => {
  const t = await setup({ ...ENV, ANTHROPIC_API_KEY: "" });
  t.idle();
  await t.sub.start(Mode.ANTHROPIC_AUTH_SUBSCRIPTION);
  await t.sub.choose(Mode.ANTHROPIC_AUTH_API_KEY);
  assertEquals(
    t.sub.status().error,
    "Cannot use an API key for Anthropic: ANTHROPIC_API_KEY is not set",
  );
  assertEquals(t.sub.status().live, Live.LIVE_CREDENTIAL_OAUTH, "the tokens stay");
  assert(!t.sub.expiredFor("anthropic"));
  await t.cleanup();
});

Deno.test("subscription: an expired token is said for Anthropic models only", async () => {
  const t = await setup({ ...ENV, ANTHROPIC_OAUTH_EXPIRES: String(NOW - 1) });
  t.idle();
  await t.sub.start(Mode.ANTHROPIC_AUTH_SUBSCRIPTION);
  assert(t.sub.expiredFor("anthropic"));
  assert(!t.sub.expiredFor("mock"));
  await t.cleanup();
});

Deno.test("subscription: tokens the server held before the API key went there can be switched to", async () => {
  const t = await setup({ ANTHROPIC_API_KEY: "k" });
  const held = { access: "cli", refresh: "r", expires: NOW + 60_000 };
  const sub = new Subscription({
    client: t.server.client,
    env: { ANTHROPIC_API_KEY: "k" },
    storePath: t.path,
    held,
    whenIdle: () => Promise.resolve(),
    emit: () => {},
    now: () => NOW,
  });
  await sub.start(Mode.ANTHROPIC_AUTH_API_KEY);
  assertEquals(sub.status().hasTokens, true);
  await sub.choose(Mode.ANTHROPIC_AUTH_SUBSCRIPTION);
  assertEquals(JSON.parse(await Deno.readTextFile(t.path)).anthropic.access, "cli");
  assertEquals(sub.status().source, Source.CREDENTIAL_SOURCE_SERVER);
  await t.cleanup();
});
