import { assertEquals } from "../../tests/support/assert.ts";
import { TitleGuard } from "./title_guard.ts";

Deno.test("title guard puts back a rename the title generator overwrote, once, within a minute", () => {
  const g = new TitleGuard();
  g.renamed("s", "New session - 2026-12-01", "Mine", 0);
  assertEquals(g.check("s", "Mine", 10), null, "the rename itself arriving");
  assertEquals(g.check("s", "Generated title", 20), "Mine");
  assertEquals(g.check("s", "Another later title", 30), null, "a later change stands");
});

Deno.test("title guard leaves alone renames of titled sessions and late overwrites", () => {
  const g = new TitleGuard();
  g.renamed("a", "Already titled", "Mine", 0);
  assertEquals(g.check("a", "Something else", 10), null);
  g.renamed("b", "New session - x", "Mine", 0);
  assertEquals(g.check("b", "Generated", 61_000), null, "past the minute");
});
