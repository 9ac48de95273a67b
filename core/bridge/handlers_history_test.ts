import { assertEquals, assertRejects } from "../../tests/support/assert.ts";
import { ipc } from "../../proto/envelope.js";
import { Store } from "../state/store.ts";
import { FakeClient } from "../state/testdata/fake_client.ts";
import type { OcSession } from "../opencode/types.ts";
import { handle } from "./handlers.ts";

const Kind = ipc.HistoryActionKind;
const user = (id: string, sessionID: string) => ({
  info: { id, sessionID, role: "user" as const, time: { created: 1 } },
  parts: [],
});

/** The fake server, with the routes of undo, fork and sharing. */
class HistoryClient extends FakeClient {
  share = "disabled";
  forkedFrom = "";
  override request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const [, , id, route] = path.split("/");
    const answer = (v: unknown) => Promise.resolve(v as T);
    if (method === "GET" && path === "/config") return answer({ share: this.share });
    if (method === "GET" && route === "message") {
      return answer([user("msg_1", id), user("msg_3", id), user("msg_5", id)]);
    }
    if (method === "GET" && route === "todo") return answer([]);
    if (method === "POST" && route === "revert") {
      const s: OcSession = { ...this.sessions.get(id)!, revert: body as { messageID: string } };
      this.sessions.set(id, s);
      return answer(s);
    }
    if (method === "POST" && route === "fork") {
      this.forkedFrom = (body as { messageID?: string }).messageID ?? "";
      this.calls.push(`${method} ${path}`);
      return answer(this.add("Forked"));
    }
    return super.request(method, path, body);
  }
}

function setup() {
  const client = new HistoryClient();
  const store = new Store({ client, owned: false, directory: "/project" });
  const call = (win: number, msg: ipc.ClientMessage.$Properties) =>
    handle(store, { version: "test" }, win, ipc.ClientMessage.create({ requestId: 1, ...msg }));
  return { client, store, call };
}

Deno.test("history handler: undo goes to the last user message, then to the one before", async () => {
  const { client, call } = setup();
  const s = client.add("Work");
  const action = { kind: Kind.HISTORY_ACTION_KIND_UNDO, sessionId: s.id };
  const first = await call(1, { historyAction: action });
  assertEquals(first.session?.revert?.messageId, "msg_5");
  const second = await call(1, { historyAction: action });
  assertEquals(second.session?.revert?.messageId, "msg_3");
});

Deno.test("history handler: a fork keeps the turn it starts from and opens next to its parent", async () => {
  const { client, call } = setup();
  const a = client.add("A");
  const b = client.add("B");
  await call(1, { hello: {} });
  await call(1, { openTab: { sessionId: a.id, index: -1 } });
  await call(1, { openTab: { sessionId: b.id, index: -1 } });
  const reply = await call(1, {
    historyAction: { kind: Kind.HISTORY_ACTION_KIND_FORK, sessionId: a.id, messageId: "msg_3" },
  });
  assertEquals(client.forkedFrom, "msg_5", "cut before the next user message");
  const tabs = reply.workspace?.tabs?.map((t) => t.sessionId);
  assertEquals(tabs?.length, 3);
  assertEquals([tabs?.[0], tabs?.[2]], [a.id, b.id]);
  assertEquals(reply.workspace?.shownSessionId, tabs?.[1], "the fork is shown");
});

Deno.test("history handler: sharing on a server that disabled it is refused in a sentence", async () => {
  const { client, call } = setup();
  const s = client.add("Secret");
  await assertRejects(
    () => call(1, { historyAction: { kind: Kind.HISTORY_ACTION_KIND_SHARE, sessionId: s.id } }),
    TypeError,
    "Cannot share this session: sharing is disabled on this server",
  );
});
