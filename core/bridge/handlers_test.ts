import { assert, assertEquals, assertRejects } from "../../tests/support/assert.ts";
import { ipc } from "../../proto/envelope.js";
import { SettingsStore } from "../config/settings.ts";
import { NotFoundError } from "../state/errors.ts";
import type { Push } from "../state/push.ts";
import { Store } from "../state/store.ts";
import { FakeClient } from "../state/testdata/fake_client.ts";
import { handle } from "./handlers.ts";

function setup() {
  const client = new FakeClient();
  const store = new Store({ client, owned: false, directory: "/project" });
  const pushes: Push[] = [];
  store.subscribe((p) => pushes.push(p));
  const call = (win: number, msg: ipc.ClientMessage.$Properties) =>
    handle(store, { version: "test" }, win, ipc.ClientMessage.create({ requestId: 1, ...msg }));
  return { client, store, pushes, call };
}

Deno.test("handlers: hello answers with the tabs as this window sees them", async () => {
  const { call } = setup();
  const reply = await call(1, { hello: { shownSessionId: "" } });
  assertEquals(reply.snapshot?.appVersion, "test");
  assertEquals(reply.snapshot?.workspace, { tabs: [], shownSessionId: "" });
});

Deno.test("handlers: a new session opens in a tab shown by the window that asked only", async () => {
  const { call, pushes } = setup();
  await call(1, { hello: {} });
  await call(2, { hello: {} });
  const reply = await call(1, { createSession: {} });
  const id = reply.workspace?.shownSessionId ?? "";
  assert(id.startsWith("ses_"), "the reply names the new session");
  assertEquals(reply.workspace?.tabs?.map((t) => t.sessionId), [id]);
  const toTwo = pushes.filter((p) => p.client === 2 && "workspace" in p).at(-1);
  assert(toTwo && "workspace" in toTwo, "the other window is told");
  assertEquals(toTwo.workspace.tabs?.map((t) => t.sessionId), [id]);
  assertEquals(toTwo.workspace.shownSessionId, "", "it keeps showing what it showed");
});

Deno.test("handlers: opening a session the server lacks is NOT_FOUND, and opens no tab", async () => {
  const { call, store } = setup();
  await assertRejects(
    () => call(1, { openTab: { sessionId: "ses_nope", index: -1 } }),
    NotFoundError,
  );
  assertEquals(store.workspace.view(1).tabs, []);
});

Deno.test("handlers: a tab continues with the agent and model its session last used", async () => {
  const { call, client } = setup();
  const s = client.add("Earlier");
  Object.assign(s, { agent: "plan", model: { providerID: "p", id: "m" } });
  const reply = await call(1, { openTab: { sessionId: s.id, index: -1 } });
  assertEquals(reply.workspace?.tabs?.[0], {
    sessionId: s.id,
    agent: "plan",
    providerId: "p",
    modelId: "m",
    variant: "",
  });
});

Deno.test("handlers: sending refuses local files and half a model, and records the model used", async () => {
  const { call, client, store } = setup();
  const s = client.add("Chat");
  await assertRejects(
    () =>
      call(1, {
        sendMessage: {
          sessionId: s.id,
          text: "x",
          files: [{ mime: "text/plain", url: "file:///etc/passwd" }],
        },
      }),
    TypeError,
  );
  await assertRejects(
    () => call(1, { sendMessage: { sessionId: s.id, text: "x", providerId: "p" } }),
    TypeError,
  );
  assert(!client.calls.some((c) => c.endsWith("/prompt_async")), "nothing was sent");
  await call(1, { sendMessage: { sessionId: s.id, text: "hi", providerId: "p", modelId: "m" } });
  assertEquals(store.workspace.settings.recentModels, [{ providerId: "p", modelId: "m" }]);
});

Deno.test("handlers: closing a tab drops the transcript the core kept for it", async () => {
  const { call, client, store } = setup();
  const s = client.add("Chat");
  await call(1, { openTab: { sessionId: s.id, index: -1 } });
  await call(1, { openSession: { sessionId: s.id } });
  assert(store.sessions.state.transcripts.has(s.id));
  await call(1, { closeTab: { sessionId: s.id } });
  assert(!store.sessions.state.transcripts.has(s.id), "the transcript left the core's memory");
});

Deno.test("handlers: a reply to a permission that is not pending is NOT_FOUND; no reply is refused", async () => {
  const { call } = setup();
  await assertRejects(
    () =>
      call(1, {
        replyPermission: {
          permissionId: "per_1",
          reply: ipc.PermissionReply.PERMISSION_REPLY_ONCE,
        },
      }),
    NotFoundError,
  );
  await assertRejects(() => call(1, { replyPermission: { permissionId: "per_1" } }), TypeError);
});

Deno.test("handlers: deleting a session closes its tab in every window", async () => {
  const { call, client, store } = setup();
  const a = client.add("A");
  const b = client.add("B");
  await call(1, { openTab: { sessionId: a.id, index: -1 } });
  await call(2, { openTab: { sessionId: b.id, index: -1 } });
  await call(2, { showTab: { sessionId: a.id } });
  await call(1, { deleteSession: { sessionId: a.id } });
  assertEquals(store.workspace.view(2), {
    tabs: [{ sessionId: b.id, agent: "", providerId: "", modelId: "", variant: "" }],
    shownSessionId: b.id,
  });
  assert(!client.sessions.has(a.id));
});

Deno.test("handlers: a settings or tab change is replied only once it is in the state file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "handlers-saved-" });
  try {
    const path = `${dir}/state.json`;
    const settings = new SettingsStore(path);
    await settings.load();
    const client = new FakeClient();
    const store = new Store({ client, owned: false, directory: "/project", settings });
    store.workspace.load("/project");
    const call = (msg: ipc.ClientMessage.$Properties) =>
      handle(store, { version: "test" }, 1, ipc.ClientMessage.create({ requestId: 1, ...msg }));
    // Read right after the reply, as if the app were killed then.
    const onDisk = () => JSON.parse(Deno.readTextFileSync(path));
    await call({ hello: {} });
    await call({ updateSettings: { theme: ipc.Theme.THEME_DARK } });
    assertEquals(onDisk().settings.theme, "dark");
    await call({ updateSettings: { addFavorite: { providerId: "p", modelId: "m" } } });
    assertEquals(onDisk().settings.favoriteModels, [{ providerId: "p", modelId: "m" }]);
    const s = client.add("Earlier");
    await call({ openTab: { sessionId: s.id, index: -1 } });
    assertEquals(onDisk().projects["/project"].shownSessionId, s.id);
    await call({ closeTab: { sessionId: s.id } });
    assertEquals(onDisk().projects["/project"].tabs, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
