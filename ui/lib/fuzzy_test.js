// @ts-check
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { fuzzyFilter, fuzzyMatch } from "./fuzzy.js";

Deno.test("fuzzyMatch finds the letters in order, whatever their case", () => {
  assertEquals(fuzzyMatch("rdm", "README.md")?.positions, [0, 3, 4]);
  assert(fuzzyMatch("WIDGET", "src/widget_factory.ts"));
  assertEquals(fuzzyMatch("tab new", "New tab") === null, true, "order matters");
  assertEquals(fuzzyMatch("xyz", "New tab"), null);
});

Deno.test("fuzzyMatch matches everything with an empty query", () => {
  assertEquals(fuzzyMatch("", "anything"), { score: 0, positions: [] });
  assertEquals(fuzzyMatch("  ", "anything")?.score, 0);
});

Deno.test("fuzzyMatch prefers word starts", () => {
  // "f" at the start of "factory", not the one inside "config".
  assertEquals(fuzzyMatch("wf", "src/config/widget_factory.ts")?.positions, [11, 18]);
});

Deno.test("fuzzyFilter ranks word starts and runs above scattered letters", () => {
  const items = ["Settings", "New tab", "Close tab", "Pick model"];
  assertEquals(fuzzyFilter(items, "nt", (s) => s).map((h) => h.item), ["New tab"]);
  // "t" of "tab" (a word start) beats the "t" inside "Settings".
  assertEquals(fuzzyFilter(items, "t", (s) => s).map((h) => h.item).slice(0, 2), [
    "New tab",
    "Close tab",
  ]);
  assertEquals(fuzzyFilter(items, "model", (s) => s).map((h) => h.item), ["Pick model"]);
  assertEquals(fuzzyFilter(items, "tab", (s) => s, 1).length, 1);
});

Deno.test("fuzzyFilter finds a file by a fragment of its name", () => {
  const files = ["README.md", "src/widget_factory.ts", "src/main.ts", "docs/widgets.md"];
  const hits = fuzzyFilter(files, "wdgfac", (s) => s);
  assertEquals(hits.map((h) => h.item), ["src/widget_factory.ts"]);
});
