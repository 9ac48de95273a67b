import { assertEquals } from "../../tests/support/assert.ts";
import { ipc } from "../../proto/gen/ipc.js";
import { type KnownKeys, lastFour, planKeySync, providerInfos } from "./provider_keys.ts";

const Source = ipc.KeySource;

Deno.test("provider keys show only the last four characters, none of a short key", () => {
  assertEquals(lastFour("sk-ant-0123456789abcd"), "abcd");
  assertEquals(lastFour("  sk-12345678wxyz \n"), "wxyz");
  assertEquals(lastFour("short"), "");
  assertEquals(lastFour(""), "");
});

Deno.test("provider key sync skips connected providers and asks before storing on a foreign server", () => {
  const keys = [
    { providerID: "anthropic", key: "a".repeat(20) },
    { providerID: "openai", key: "o".repeat(20) },
    { providerID: "bad id", key: "x".repeat(20) },
  ];
  const connected = new Set(["anthropic"]);
  assertEquals(planKeySync(keys, connected, true).map((d) => [d.providerID, d.action]), [
    ["anthropic", "skip"],
    ["openai", "send"],
    ["bad id", "fail"],
  ]);
  assertEquals(planKeySync(keys, connected, false).map((d) => d.action), ["skip", "ask", "fail"]);
  assertEquals(
    planKeySync(keys, connected, true)[0].reason,
    "the server already has a key for it",
  );
});

Deno.test("provider list puts connected first and says where each key comes from", () => {
  const known: KnownKeys = new Map([
    ["openai", { from: "entered", lastFour: "wxyz" }],
    ["groq", { from: "dotenv", lastFour: "1234" }],
  ]);
  const list = providerInfos(
    [
      { id: "zed", name: "Zed", source: "custom" },
      { id: "openai", name: "OpenAI", source: "api" },
      { id: "anthropic", name: "Anthropic", source: "api" },
      { id: "mock", name: "Mock", source: "config" },
      { id: "copilot", name: "Copilot", source: "custom" },
      { id: "groq", name: "Groq", source: "custom" },
    ],
    ["openai", "anthropic", "mock", "copilot"],
    known,
    { copilot: [{ type: "oauth" }] },
  );
  assertEquals(list.map((p) => [p.id, p.connected, p.source, p.lastFour]), [
    ["anthropic", true, Source.KEY_SOURCE_STORE, ""],
    ["copilot", true, Source.KEY_SOURCE_OAUTH, ""],
    ["mock", true, Source.KEY_SOURCE_CONFIG, ""],
    ["openai", true, Source.KEY_SOURCE_ENTERED, "wxyz"],
    ["groq", false, Source.KEY_SOURCE_NONE, ""],
    ["zed", false, Source.KEY_SOURCE_NONE, ""],
  ]);
  assertEquals(list.find((p) => p.id === "mock")?.takesKey, false);
});
