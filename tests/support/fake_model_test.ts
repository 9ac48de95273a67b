import { assert, assertEquals } from "./assert.ts";
import { startFakeModel } from "./fake_model.ts";

type Chunk = {
  choices: { delta: Record<string, unknown>; finish_reason: string | null }[];
  usage?: { completion_tokens: number };
};

/** Posts a chat request and returns the parsed SSE `data:` payloads (`[DONE]` kept as a string). */
async function chat(url: string, messages: unknown[], extra: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer mock-key" },
    body: JSON.stringify({ model: "mock-model", messages, stream: true, ...extra }),
  });
  assertEquals(res.status, 200);
  assertEquals(res.headers.get("content-type"), "text/event-stream");
  const text = await res.text();
  return text.split("\n\n").filter(Boolean).map((event) => {
    assert(event.startsWith("data: "), `not an SSE data line: ${event}`);
    const data = event.slice("data: ".length);
    return data === "[DONE]" ? data : JSON.parse(data) as Chunk;
  });
}

const SYSTEM = { role: "system", content: "You are a bot. Working directory: /tmp/p" };
const TOOLS = [{ type: "function", function: { name: "bash", parameters: {} } }];

Deno.test("fake model streams an Echo reply word by word and records it", async () => {
  await using model = await startFakeModel({ tokenDelayMs: 1 });
  const user = {
    role: "user",
    content: [{ type: "text", text: "Hello  world <system-reminder>ignore me</system-reminder>" }],
  };
  const events = await chat(model.url, [SYSTEM, user], { tools: TOOLS });

  assertEquals(events.at(-1), "[DONE]");
  const chunks = events.slice(0, -1) as Chunk[];
  assertEquals(chunks[0].choices[0].delta, { role: "assistant", content: "" });
  const content = chunks.slice(1, -2).map((c) => c.choices[0].delta.content);
  assertEquals(content, ["Echo: ", "Hello  ", "world"]);
  assertEquals(chunks.at(-2)?.choices[0].finish_reason, "stop");
  assertEquals(chunks.at(-1)?.choices, []);
  assertEquals(chunks.at(-1)?.usage?.completion_tokens, 3);

  const [request] = model.requests();
  assertEquals([request.kind, request.text, request.authorization], [
    "chat",
    "Hello  world",
    "Bearer mock-key",
  ]);
  assertEquals(request.tools, ["bash"]);
  const stamps = model.tokens();
  assertEquals(stamps.map((s) => s.token), ["Echo: ", "Hello  ", "world"]);
  assert(stamps[0].sentAt < stamps[2].sentAt && stamps[0].sentAt > Date.now() - 60_000);
});

Deno.test("fake model splits tool-call arguments across chunks", async () => {
  await using model = await startFakeModel({ tokenDelayMs: 0 });
  const events = await chat(model.url, [SYSTEM, { role: "user", content: "use tool `pwd`" }]);
  const calls = (events.slice(0, -1) as Chunk[])
    .flatMap((c) => (c.choices[0]?.delta.tool_calls ?? []) as Record<string, unknown>[]);

  assert(calls.length > 1, `expected several tool-call chunks, got ${calls.length}`);
  assertEquals([calls[0].id, calls[0].type], ["call_mock_0_0", "function"]);
  assertEquals((calls[0].function as { name: string }).name, "bash");
  assertEquals(calls[1].id, undefined);
  const args = calls.map((c) => (c.function as { arguments: string }).arguments).join("");
  assertEquals(JSON.parse(args), { command: "pwd", description: "List files in the project" });
  const finish = (events.at(-3) as Chunk).choices[0].finish_reason;
  assertEquals(finish, "tool_calls");
});

Deno.test("fake model answers title and tool-result requests and ignores the queue for them", async () => {
  await using model = await startFakeModel({ tokenDelayMs: 0 });
  model.enqueue({ text: "queued" });
  const title = await chat(model.url, [
    { role: "system", content: "You are a title generator." },
    { role: "user", content: "Generate a title for this conversation:\n" },
    { role: "user", content: "one two three four five six" },
  ]);
  const text = (events: unknown[]) =>
    (events.slice(1, -3) as Chunk[]).map((c) => c.choices[0].delta.content).join("");
  assertEquals(text(title), "Mock: one two three four five");
  const result = await chat(model.url, [
    SYSTEM,
    { role: "user", content: "run ls" },
    { role: "assistant", content: "", tool_calls: [] },
    { role: "tool", tool_call_id: "call_1", content: "a\n  b" },
  ], { tools: TOOLS });
  assertEquals(text(result), "Tool result received (1). Preview: a b\nDone.");
  assertEquals(model.requests().map((r) => r.kind), ["title", "tool-result"]);
  const queued = await chat(model.url, [SYSTEM, { role: "user", content: "hi" }]);
  assertEquals(text(queued), "queued");
});

Deno.test("fake model serves enqueued tokens and errors through its control endpoints", async () => {
  await using model = await startFakeModel();
  const responses = [{ tokens: ["a ", "b"], delayMs: 2 }, { error: { status: 503 } }];
  const enqueued = await fetch(`${model.url}/__mock/enqueue`, {
    method: "POST",
    body: JSON.stringify({ responses }),
  });
  assertEquals((await enqueued.json()).queued, 2);

  await chat(model.url, [SYSTEM, { role: "user", content: "x" }]);
  const failed = await fetch(`${model.url}/chat/completions`, {
    method: "POST",
    body: JSON.stringify({ messages: [{ role: "user", content: "x" }], stream: true }),
  });
  assertEquals(failed.status, 503);
  await failed.body?.cancel();
  const tokens = await (await fetch(`${model.url}/__mock/tokens`)).json();
  assertEquals(tokens.map((t: { token: string }) => t.token), ["a ", "b"]);
  const requests = await (await fetch(`${model.url}/__mock/requests`)).json();
  assertEquals(requests.length, 2);

  await (await fetch(`${model.url}/__mock/reset`, { method: "POST" })).body?.cancel();
  assertEquals(model.requests(), []);
  const health = await fetch(`${model.url}/__mock/health`);
  assertEquals(await health.json(), { ok: true });
});

Deno.test("fake model answers keyword errors and non-streaming requests", async () => {
  await using model = await startFakeModel({ tokenDelayMs: 0 });
  const post = (text: string, stream: boolean) =>
    fetch(`${model.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ messages: [{ role: "user", content: text }], stream }),
    });
  const fast = await post("please fail429fast", true);
  assertEquals([fast.status, fast.headers.get("retry-after-ms")], [429, "100"]);
  await fast.body?.cancel();
  const bad = await post("please fail now", true);
  assertEquals(bad.status, 400);
  assertEquals((await bad.json()).error.message, "Mock failure requested by keyword 'fail'");
  const plain = await (await post("think", false)).json();
  assertEquals(plain.choices[0].message.content, "After thinking: think");
  assert(plain.choices[0].message.reasoning_content.startsWith("Let me think"));
});

Deno.test("fake model releases a hanging response on close", async () => {
  const model = await startFakeModel();
  const res = await fetch(`${model.url}/v1/chat/completions`, {
    method: "POST",
    body: JSON.stringify({ messages: [{ role: "user", content: "hang" }], stream: true }),
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const first = await reader.read();
  assert(first.value?.includes('"role":"assistant"'));
  await model.close();
  let rest = "";
  for (let r = await reader.read(); !r.done; r = await reader.read()) rest += r.value;
  assertEquals(rest, "");
});
