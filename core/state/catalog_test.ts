import { assertEquals } from "../../tests/support/assert.ts";
import { withKnownConnected } from "./catalog.ts";

const mock = { id: "mock", models: {} };
const anthropic = { id: "anthropic", models: {} };
const other = { id: "other" };

Deno.test("withKnownConnected keeps a provider the last whole list said was connected", () => {
  const quick = { all: [mock], connected: ["mock"], default: { mock: "m" } };
  assertEquals(withKnownConnected(quick, null), quick, "nothing read before: the quick list");
  const last = {
    all: [other, anthropic, mock],
    connected: ["anthropic", "mock"],
    default: { anthropic: "a", mock: "old", other: "o" },
  };
  assertEquals(withKnownConnected(quick, last), {
    all: [mock, anthropic],
    connected: ["mock", "anthropic"],
    default: { anthropic: "a", mock: "m", other: "o" },
  });
});
