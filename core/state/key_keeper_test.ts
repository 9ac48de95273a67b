import { assert, assertEquals } from "../../tests/support/assert.ts";
import { ipc } from "../../proto/gen/ipc.js";
import type { OpencodeClient } from "../opencode/client.ts";
import { KeyKeeper, type ServerPanel } from "./key_keeper.ts";
import { KeyMarks, keyMarksPath } from "./key_marks.ts";

const Outcome = ipc.KeySyncOutcome;

/** A server that records requests; its sessions are busy until `idle()` is called. */
function fakeServer(connected: string[]) {
  const calls: string[] = [];
  let busy = true;
  /** The keys the server holds, as its `GET /provider` lists them. */
  const keys = new Map([["anthropic", "sk-server-copy"]]);
  const client = {
    providers: () =>
      Promise.resolve({
        all: [...keys].map(([id, key]) => ({ id, name: id, source: "api", key })),
        connected,
      }),
    sessionStatus: () => Promise.resolve(busy ? { ses_1: { type: "busy" } } : {}),
    request: (method: string, path: string, body?: unknown) => {
      calls.push(`${method} ${path}${body ? ` ${JSON.stringify(body)}` : ""}`);
      if (method === "PUT") {
        const id = path.split("/")[2];
        connected.push(id);
        keys.set(id, (body as { key: string }).key);
      }
      return Promise.resolve(path === "/provider/auth" ? {} : true);
    },
  };
  return {
    client: client as unknown as OpencodeClient,
    calls,
    keys,
    idle: () => (busy = false),
  };
}

Deno.test("key keeper reloads the server only once no session is busy, once for a batch", async () => {
  const server = fakeServer(["mock"]);
  const panels: ServerPanel[] = [];
  const keeper = new KeyKeeper({
    client: server.client,
    emit: (p) => panels.push(p),
    ask: () => {},
    log: () => {},
  });
  await keeper.syncAtStart(
    [{ providerID: "mock", key: "sk-mock-1111aaaa" }, {
      providerID: "openai",
      key: "sk-oa-2222bbbb",
    }],
    true,
  );
  await keeper.setKey("anthropic", "sk-ant-3333cccc");
  const puts = server.calls.filter((c) => c.startsWith("PUT"));
  assertEquals(puts.map((c) => c.split(" ")[1]), ["/auth/openai", "/auth/anthropic"]);
  await new Promise((r) => setTimeout(r, 700)); // a few polls while a session is busy
  assert(!server.calls.includes("POST /instance/dispose"), "no reload while a session is busy");
  server.idle();
  await keeper.settled();
  assertEquals(server.calls.filter((c) => c === "POST /instance/dispose").length, 1);
  const last = await keeper.panel();
  assertEquals(last.keySync?.map((r) => [r.providerId, r.outcome]), [
    ["mock", Outcome.KEY_SYNC_SKIPPED],
    ["openai", Outcome.KEY_SYNC_SYNCED],
  ]);
  // Only last fours leave the keeper: never a key, never the server's copy of one.
  const seen = JSON.stringify([panels, last]);
  for (
    const secret of ["sk-mock-1111aaaa", "sk-oa-2222bbbb", "sk-ant-3333cccc", "sk-server-copy"]
  ) {
    assert(!seen.includes(secret), `${secret} stays inside`);
  }
  const anthropic = last.providers?.find((p) => p.id === "anthropic");
  assertEquals(anthropic?.lastFour, "cccc");
  assertEquals(anthropic?.source, ipc.KeySource.KEY_SOURCE_ENTERED);
});

Deno.test("key keeper still knows a key it entered after a restart, until another client replaces it", async () => {
  const dir = await Deno.makeTempDir();
  const path = keyMarksPath(`${dir}/state.json`);
  const server = fakeServer(["anthropic"]);
  server.idle();
  const options = { client: server.client, emit: () => {}, ask: () => {}, log: () => {} };
  const first = new KeyKeeper({ ...options, marks: new KeyMarks(path) });
  await first.setKey("anthropic", "sk-ant-3333cccc");
  await first.settled();
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600, "the marks are private");
  assert(!(await Deno.readTextFile(path)).includes("3333cccc"), "the file holds no key");
  const anthropic = async (k: KeyKeeper) =>
    (await k.panel()).providers?.find((p) => p.id === "anthropic");
  const again = new KeyKeeper({ ...options, marks: new KeyMarks(path) });
  assertEquals((await anthropic(again))?.source, ipc.KeySource.KEY_SOURCE_ENTERED);
  assertEquals((await anthropic(again))?.lastFour, "cccc");
  server.keys.set("anthropic", "sk-other-client-9999dddd");
  assertEquals((await anthropic(again))?.source, ipc.KeySource.KEY_SOURCE_STORE);
  assertEquals((await anthropic(again))?.lastFour, "", "not the app's key: nothing of it shown");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("key keeper asks before storing .env keys on a server the app did not start", async () => {
  const server = fakeServer([]);
  const asked: boolean[] = [];
  const keeper = new KeyKeeper({
    client: server.client,
    emit: () => {},
    ask: (a) => asked.push(a),
    log: () => {},
  });
  await keeper.syncAtStart([{ providerID: "openai", key: "sk-oa-2222bbbb" }], false);
  assertEquals(asked, [true]);
  assert(!server.calls.some((c) => c.startsWith("PUT")), "nothing stored before the answer");
  await keeper.answer(false);
  assertEquals((await keeper.panel()).keySync?.[0]?.outcome, Outcome.KEY_SYNC_SKIPPED);
  assert(!server.calls.some((c) => c.startsWith("PUT")), "nor after Not now");
  keeper.reset();
});
