/**
 * The scenarios tests/capture_scenarios.ts records: each drives a real OpenCode server through one
 * thing the app must handle (docs/opencode-api.md §5 to §7) and checks the server still behaves
 * as described, so an upgrade that changes behaviour stops the capture with a sentence.
 * @module
 */
import type { OpencodeClient, PromptInput } from "../../core/opencode/client.ts";
import type { OcEvent } from "../../core/opencode/types.ts";
import { waitFor } from "./assert.ts";
import type { EventRecorder } from "./event_recorder.ts";
import type { FakeModel } from "./fake_model.ts";

/** A 2×1 PNG, the smallest image the model accepts. */
const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4z" +
  "wAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==";

/** What a scenario works with. */
export interface Run {
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

/** One scenario: its file name, a sentence for the test names, and what it does. */
export interface Scenario {
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

/** Every scenario, in capture order. */
export const SCENARIOS: Scenario[] = [
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
