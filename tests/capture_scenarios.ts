/**
 * Captures the OpenCode event streams that core/state/reducer_test.ts and ui/state/store_test.js
 * replay: `deno task capture`. Run it again after upgrading opencode-ai and commit the result.
 *
 * It starts the real `opencode serve` with the fake model (tests/support/), drives one scenario
 * at a time through the app's own HTTP client, and writes into core/state/testdata/:
 * - `<name>.sse`: the bytes of `GET /event` during the scenario, only the events of the
 *   scenario's sessions and `server.connected` (plugin and catalog noise dropped);
 * - `<name>.json`: `{about, opencode, sessions}`, the transcripts the server stored at the end
 *   (`GET /session/:id/message`), the state the reducer must rebuild from the stream.
 * A scenario that no longer behaves as described (say, a reply that never asks) stops the
 * capture with a sentence, so an upgrade that changes behaviour is noticed here.
 * @module
 */
import { OpencodeClient } from "../core/opencode/client.ts";
import type { OcEvent, OcMessageWithParts } from "../core/opencode/types.ts";
import { waitFor } from "./support/assert.ts";
import { EventRecorder, sessionOf } from "./support/event_recorder.ts";
import type { FakeModel } from "./support/fake_model.ts";
import { type Run, type Scenario, SCENARIOS } from "./support/capture_scenario_list.ts";
import { startOpencode } from "./support/opencode_server.ts";

const OUT = new URL("../core/state/testdata/", import.meta.url);
/** Server-wide events that say nothing about a session; dropped to keep the files small. */
const NOISE = new Set([
  "server.heartbeat",
  "plugin.added",
  "catalog.updated",
  "integration.updated",
  "reference.updated",
]);

/** Runs one scenario on its own event connection and writes its two files. */
async function capture(
  s: Scenario,
  client: OpencodeClient,
  model: FakeModel,
  version: string,
): Promise<number> {
  model.reset();
  await using events = await EventRecorder.open(client.baseUrl);
  const sessions = new Set<string>();
  const mine = (e: OcEvent) => sessions.has(sessionOf(e));
  const of = (id: string, type: string) => (e: OcEvent) => e.type === type && sessionOf(e) === id;
  /** Where each session's last prompt started, in the recording. */
  const promptedAt = new Map<string, number>();
  const run: Run = {
    client,
    model,
    events,
    session: async () => {
      const { id } = await client.createSession();
      sessions.add(id);
      return id;
    },
    prompt: (id, text, files) => {
      promptedAt.set(id, events.recorded.length);
      return client.promptAsync(id, { text, files });
    },
    next: (id, type, more = () => true) =>
      events.next((e) => of(id, type)(e) && more(e), `${type} of ${id}`),
    count: (id, type) => events.events(of(id, type)).length,
    idle: async (id) => {
      const from = promptedAt.get(id) ?? 0;
      await events.next(of(id, "session.idle"), `session.idle of ${id}`, { from });
      await stored(client, id);
    },
  };
  await s.run(run);
  await events.settled(mine, 500);
  const transcripts: Record<string, OcMessageWithParts[]> = {};
  for (const id of sessions) transcripts[id] = await client.messages(id);
  if (s.name === "session-deleted") {
    for (const id of sessions) {
      await client.deleteSession(id);
      await events.next(of(id, "session.deleted"), `session.deleted of ${id}`);
    }
  }
  const sse = events.recorded
    .filter((r) => mine(r.event) || (!sessionOf(r.event) && !NOISE.has(r.event.type)))
    .map((r) => r.raw).join("");
  const json = { about: s.about, opencode: version, sessions: transcripts };
  await Deno.writeTextFile(new URL(`${s.name}.sse`, OUT), sse);
  await Deno.writeTextFile(new URL(`${s.name}.json`, OUT), JSON.stringify(json, null, 1) + "\n");
  return sse.length;
}

/** Waits until the server says the session is idle and has stored every message complete. */
async function stored(client: OpencodeClient, id: string): Promise<void> {
  await waitFor(
    async () => {
      if ((await client.sessionStatus())[id]) return false;
      const messages = await client.messages(id);
      return messages.every((m) => m.info.role !== "assistant" || m.info.time?.completed);
    },
    `session ${id} to finish its turn`,
    60_000,
    50,
  );
}

if (import.meta.main) {
  const only = new Set(Deno.args);
  await using oc = await startOpencode({
    tokenDelayMs: 15,
    permission: { bash: "ask" },
    env: { OPENCODE_ENABLE_QUESTION_TOOL: "1" },
  });
  const client = new OpencodeClient(oc.url);
  const { version } = await client.health();
  // The first prompt of a server loads its plugins: keep that out of the scenarios.
  const warm = await client.createSession();
  await client.promptAsync(warm.id, { text: "warm up" });
  await stored(client, warm.id);
  await Deno.mkdir(OUT, { recursive: true });
  for (const s of SCENARIOS) {
    if (only.size && !only.has(s.name)) continue;
    const started = performance.now();
    const bytes = await capture(s, client, oc.model, version);
    const ms = Math.round(performance.now() - started);
    console.log(`${s.name.padEnd(32)} ${String(bytes).padStart(7)} bytes of events, ${ms} ms`);
  }
}
