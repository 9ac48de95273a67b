import { assertEquals } from "../../../tests/support/assert.ts";
import { insertAt } from "./insert.js";

Deno.test("insertAt puts dictated words at the cursor with spaces where needed", () => {
  assertEquals(insertAt("", 0, 0, "go forward"), { text: "go forward", caret: 10 });
  assertEquals(insertAt("Note:", 5, 5, " go "), { text: "Note: go", caret: 8 });
  assertEquals(insertAt("ab", 1, 1, "x"), { text: "a x b", caret: 4 });
  assertEquals(insertAt("keep this", 5, 9, "that"), { text: "keep that", caret: 9 });
  assertEquals(insertAt("same", 4, 4, "  "), { text: "same", caret: 4 });
});
