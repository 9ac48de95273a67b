import { assert, assertEquals } from "./assert.ts";
import { createSandbox, startOpencode } from "./opencode_server.ts";
import { startFakeModel } from "./fake_model.ts";

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assertEquals(res.status, 200, `POST ${url}`);
  return await res.json();
}

function alive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

Deno.test("opencode server answers a prompt through the fake model and stops cleanly", async () => {
  const server = await startOpencode({ tokenDelayMs: 1 });
  try {
    assert(server.url.startsWith("http://127.0.0.1:"), server.url);
    assertEquals(server.env.HOME, `${server.sandbox}/home`);
    const health = await (await fetch(`${server.url}/global/health`)).json();
    assertEquals(health.healthy, true);

    const session = await post(`${server.url}/session`, {});
    assert(String(session.id).startsWith("ses_"));
    assertEquals(session.directory, server.dir);
    const reply = await post(`${server.url}/session/${session.id}/message`, {
      parts: [{ type: "text", text: "hello" }],
    });
    const info = reply.info as { role: string; error?: unknown };
    assertEquals([info.role, info.error], ["assistant", undefined]);
    const parts = reply.parts as { type: string; text?: string }[];
    assertEquals(parts.filter((p) => p.type === "text").map((p) => p.text), ["Echo: hello"]);

    const chats = server.model.requests().filter((r) => r.kind === "chat");
    assertEquals(chats.length, 1);
    assertEquals([chats[0].text, chats[0].authorization], ["hello", "Bearer mock-key"]);
    assert(chats[0].tools.includes("bash"), `tools: ${chats[0].tools}`);
  } finally {
    await server.stop();
  }
  assert(!alive(server.pid), `opencode ${server.pid} is still running`);
  const left = await Deno.stat(server.sandbox).then(() => true, () => false);
  assert(!left, `sandbox ${server.sandbox} was not removed`);
});

Deno.test("opencode server reuses a given sandbox and model and reports a failed start", async () => {
  await using model = await startFakeModel({ tokenDelayMs: 0 });
  const sandbox = await createSandbox({ modelUrl: model.url, permission: { bash: "ask" } });
  try {
    {
      await using server = await startOpencode({ model, sandbox });
      const config = await (await fetch(`${server.url}/config`)).json();
      assertEquals(config.permission?.bash, "ask");
      assertEquals(config.model, "mock/mock-model");
    }
    assert((await Deno.stat(sandbox.configPath)).isFile, "a given sandbox must survive stop()");
    const error = await startOpencode({ model, sandbox, bin: "/bin/false" }).then(
      () => undefined,
      (e: Error) => e,
    );
    assert(error?.message.startsWith("Cannot start opencode: exited with code 1"), error?.message);
  } finally {
    await sandbox.remove();
  }
});
