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
import { OpencodeClient, type PromptInput } from "../core/opencode/client.ts";
import type { OcEvent, OcMessageWithParts } from "../core/opencode/types.ts";
import { waitFor } from "./support/assert.ts";
import { EventRecorder, sessionOf } from "./support/event_recorder.ts";
import type { FakeModel } from "./support/fake_model.ts";
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
/** A 2×1 PNG, the smallest image the model accepts. */
const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4z" +
  "wAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==";

/** What a scenario works with. */
interface Run {
  client: OpencodeClient;
  model: FakeModel;
  events: EventRecorder;
  /** Creates a session that belongs to this scenario. */
  session(): Promise<string>;
  prompt(sessionId: string, text: string, files?: PromptInput["files"]): Promise<void>;
  /** The next event of `type` for the session (already recorded or still to come). */
  next(sessionId: string, type: string, more?: (e: OcEvent) => boolean): Promise<OcEvent>;
  /** How many events of `type` the session had so far. */
  count(sessionId: string, type: string): number;
  /** Waits until the session has finished its turn and every message is complete. */
  idle(sessionId: string): Promise<void>;
}

interface Scenario {
  name: string;
  about: string;
  run(r: Run): Promise<void>;
}

function expect(ok: boolean, name: string, what: string): void {
  if (!ok) throw new Error(`Cannot capture ${name}: ${what}`);
}

/** One turn that asks to run `ls -la` and gets `reply`; returns the session. */
async function askedBash(r: Run, reply: "once" | "reject", message?: string): Promise<string> {
  const id = await r.session();
  await r.prompt(id, "run ls in the project");
  const asked = await r.next(id, "permission.asked");
  await r.client.replyPermission(String(asked.properties.id), reply, message);
  await r.idle(id);
  return id;
}

const SCENARIOS: Scenario[] = [
  {
    name: "text-reply",
    about: "a plain reply streamed word by word; the prompt has multi-byte characters",
    async run(r) {
      const id = await r.session();
      await r.prompt(id, "Hello mock — please answer with a few words, café ✓");
      await r.idle(id);
    },
  },
  {
    name: "reasoning",
    about: "reasoning streamed before the text (a reasoning part, then a text part)",
    async run(r) {
      const id = await r.session();
      await r.prompt(id, "Please think about the answer first");
      await r.idle(id);
      expect(r.count(id, "message.part.delta") > 10, this.name, "no reasoning deltas");
    },
  },
  {
    name: "tool-read",
    about: "a read tool call (allowed without asking), then a second step with the answer",
    async run(r) {
      const id = await r.session();
      await r.prompt(id, "read the readme please");
      await r.idle(id);
    },
  },
  {
    name: "permission-once",
    about: "bash asks; the reply `once` runs it and the loop continues",
    async run(r) {
      await askedBash(r, "once");
    },
  },
  {
    name: "permission-reject",
    about: "bash asks; `reject` fails the tool and stops the loop",
    async run(r) {
      await askedBash(r, "reject");
    },
  },
  {
    name: "permission-reject-with-message",
    about: "bash asks; `reject` with feedback fails the tool and the loop goes on",
    async run(r) {
      await askedBash(r, "reject", "Please do not list files");
    },
  },
  {
    name: "permission-abort",
    about: "Stop while bash waits for permission; then the pending request is rejected",
    async run(r) {
      const id = await r.session();
      await r.prompt(id, "run ls in the project");
      await r.next(id, "permission.asked");
      await r.client.abort(id);
      await r.idle(id);
      // What Store.abort does: the server leaves the request pending (docs/opencode-api.md §6.3).
      for (const p of await r.client.permissions()) {
        if (p.sessionID === id) await r.client.replyPermission(p.id, "reject");
      }
    },
  },
  {
    name: "question",
    about: "the question tool asks; the answer goes back and the loop continues",
    async run(r) {
      const id = await r.session();
      const options = [{ label: "Teal", description: "Calm" }, {
        label: "Orange",
        description: "",
      }];
      const questions = [{ question: "Which colour?", header: "Colour", options }];
      r.model.enqueue({ toolCalls: [{ name: "question", args: { questions } }] });
      await r.prompt(id, "ask me a question");
      const asked = await r.next(id, "question.asked");
      await r.client.replyQuestion(String(asked.properties.id), [["Teal"]]);
      await r.idle(id);
    },
  },
  {
    name: "abort-hang",
    about: "Stop while the model has sent nothing yet",
    async run(r) {
      const id = await r.session();
      await r.prompt(id, "hang for a while");
      await waitFor(() => r.model.requests().some((q) => q.kind === "chat"), "the chat request");
      await r.client.abort(id);
      await r.idle(id);
    },
  },
  {
    name: "abort-slow-stream",
    about: "Stop in the middle of a streamed reply: the text so far is kept",
    async run(r) {
      const id = await r.session();
      r.model.enqueue({ text: "one two three four five six seven eight nine ten", delayMs: 300 });
      await r.prompt(id, "answer at a walking pace");
      await r.next(id, "message.part.delta", (e) => String(e.properties.delta).startsWith("three"));
      await r.client.abort(id);
      await r.idle(id);
    },
  },
  {
    name: "error-400",
    about: "the provider answers 400: not retried, session.error APIError",
    async run(r) {
      const id = await r.session();
      await r.prompt(id, "fail please");
      await r.next(id, "session.error");
      await r.idle(id);
    },
  },
  {
    name: "error-500-retry",
    about: "the provider answers 500 once: status retry, then the reply",
    async run(r) {
      const id = await r.session();
      r.model.enqueue({ error: { status: 500, headers: { "retry-after-ms": "200" } } });
      await r.prompt(id, "Hello after a retry");
      await r.next(
        id,
        "session.status",
        (e) => (e.properties.status as { type?: string })?.type === "retry",
      );
      await r.idle(id);
    },
  },
  {
    name: "error-500-retries-exhausted",
    about: "the provider answers 500 every time: five retries, then session.error",
    async run(r) {
      const id = await r.session();
      await r.prompt(id, "fail500fast");
      await r.next(id, "session.error");
      await r.idle(id);
    },
  },
  {
    name: "image-attachment",
    about: "a prompt with a PNG: a file part on the user message",
    async run(r) {
      const id = await r.session();
      await r.prompt(id, "What is in this image?", [
        { mime: "image/png", filename: "pixel.png", url: PNG },
      ]);
      await r.idle(id);
    },
  },
  {
    name: "queued-while-busy",
    about: "a second prompt sent while the first streams waits and runs after it",
    async run(r) {
      const id = await r.session();
      r.model.enqueue({
        text: "First reply, at a walking pace so the next prompt waits.",
        delayMs: 60,
      });
      await r.prompt(id, "first question");
      await r.next(id, "message.part.delta");
      await r.prompt(id, "second question");
      await r.next(id, "message.part.delta", (e) => String(e.properties.delta).includes("second"));
      await r.idle(id);
    },
  },
  {
    name: "session-deleted",
    about: "a session with one reply, then deleted: its transcript must go",
    async run(r) {
      const id = await r.session();
      await r.prompt(id, "Hello before goodbye");
      await r.idle(id);
    },
  },
  {
    // Last: "always" approves `ls *` for every later session of this server.
    name: "permission-always",
    about: "bash asks; `always` runs it, and the same command in the next turn does not ask",
    async run(r) {
      const id = await r.session();
      await r.prompt(id, "run ls in the project");
      const asked = await r.next(id, "permission.asked");
      await r.client.replyPermission(String(asked.properties.id), "always");
      await r.idle(id);
      await r.prompt(id, "run ls once more");
      await r.idle(id);
      expect(r.count(id, "permission.asked") === 1, this.name, "the second turn asked again");
    },
  },
];

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
