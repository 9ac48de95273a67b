import { assert, assertEquals, assertRejects } from "../../tests/support/assert.ts";
import { ipc } from "../../proto/envelope.js";
import { OpencodeError } from "../opencode/client.ts";
import { MentionError } from "../state/mentions.ts";
import { Store } from "../state/store.ts";
import { FakeClient } from "../state/testdata/fake_client.ts";
import { handle } from "./handlers.ts";

/** The fake server, also answering the command and shell routes, and keeping request bodies. */
class CommandsClient extends FakeClient {
  readonly bodies: { path: string; body: unknown }[] = [];
  busy = false;
  override request<T>(method: string, path: string, body?: unknown): Promise<T> {
    this.bodies.push({ path, body });
    if (method === "POST" && (path.endsWith("/command") || path.endsWith("/shell"))) {
      this.calls.push(`${method} ${path}`);
      if (this.busy) {
        return Promise.reject(new OpencodeError(`Cannot POST ${path}: 409 busy`, 409));
      }
      return Promise.resolve({ info: {}, parts: [] } as T);
    }
    return super.request(method, path, body);
  }
  bodyOf(suffix: string): Record<string, unknown> {
    return this.bodies.findLast((b) => b.path.endsWith(suffix))?.body as Record<string, unknown>;
  }
}

async function setup() {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "handlers-commands-" }));
  await Deno.mkdir(`${dir}/src`);
  await Deno.writeTextFile(`${dir}/src/a.ts`, "export const a = 1;\n");
  const client = new CommandsClient();
  const store = new Store({ client, owned: false, directory: dir });
  const session = client.add("Work");
  const call = (msg: ipc.ClientMessage.$Properties) =>
    handle(store, { version: "test" }, 1, ipc.ClientMessage.create({ requestId: 1, ...msg }));
  return {
    dir,
    client,
    call,
    sessionId: session.id,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

Deno.test("handlers: a message with mentions sends the project file as a file:// part, and agents", async () => {
  await using t = await setup();
  await t.call({
    sendMentions: {
      message: { sessionId: t.sessionId, text: "read @src/a.ts and ask @explore" },
      files: [{ path: "src/a.ts" }],
      agents: ["explore"],
    },
  });
  const body = t.client.bodyOf("/prompt_async");
  assertEquals(body.parts, [
    { type: "text", text: "read @src/a.ts and ask @explore" },
    { type: "file", mime: "text/plain", filename: "src/a.ts", url: `file://${t.dir}/src/a.ts` },
    { type: "agent", name: "explore" },
  ]);
});

Deno.test("handlers: a mention outside the project is refused before anything is sent", async () => {
  await using t = await setup();
  const send = (path: string) =>
    t.call({
      sendMentions: { message: { sessionId: t.sessionId, text: "x" }, files: [{ path }] },
    });
  await assertRejects(() => send("../../etc/passwd"), MentionError, "outside the project");
  await assertRejects(() => send("/etc/passwd"), MentionError, "only paths inside the project");
  await assertRejects(
    () =>
      t.call({
        sendMentions: { message: { sessionId: t.sessionId, text: "x" }, agents: ["../x"] },
      }),
    TypeError,
    "not an agent name",
  );
  // Pasted files keep their own rule in the same message: inline data only.
  await assertRejects(
    () =>
      t.call({
        sendMentions: {
          message: {
            sessionId: t.sessionId,
            text: "x",
            files: [{ mime: "text/plain", url: `file://${t.dir}/src/a.ts` }],
          },
        },
      }),
    TypeError,
    "data: URL",
  );
  assert(!t.client.calls.some((c) => c.endsWith("/prompt_async")), "nothing sent");
});

Deno.test("handlers: a command runs with its arguments and the tab's model as provider/model", async () => {
  await using t = await setup();
  const reply = await t.call({
    runCommand: {
      sessionId: t.sessionId,
      command: "/review",
      arguments: "main",
      agent: "plan",
      providerId: "mock",
      modelId: "m1",
    },
  });
  assertEquals(reply, { ack: {} });
  assertEquals(t.client.bodyOf("/command"), {
    command: "review",
    arguments: "main",
    agent: "plan",
    model: "mock/m1",
  });
});

Deno.test("handlers: a shell command on a busy session says so in a sentence", async () => {
  await using t = await setup();
  t.client.busy = true;
  await assertRejects(
    () => t.call({ runShell: { sessionId: t.sessionId, command: "echo hi" } }),
    OpencodeError,
    "Cannot run echo hi: the session is busy; wait or stop it",
  );
  t.client.busy = false;
  await t.call({ runShell: { sessionId: t.sessionId, command: "echo hi" } });
  assertEquals(t.client.bodyOf("/shell"), { command: "echo hi", agent: "build" });
});
