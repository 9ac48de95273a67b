// @ts-check
import { assertEquals } from "../../tests/support/assert.ts";
import {
  findTrigger,
  mentionsIn,
  parseComposed,
  recallStep,
  replaceRange,
} from "./composer_text.js";

Deno.test("findTrigger opens the command menu while the first word starts with /", () => {
  assertEquals(findTrigger("/", 1), { kind: "slash", query: "", start: 0, end: 1 });
  assertEquals(findTrigger("/rev", 4), { kind: "slash", query: "rev", start: 0, end: 4 });
  assertEquals(findTrigger("/review main", 12), null, "past the name: arguments");
  assertEquals(findTrigger("a /review", 9), null, "only at the start");
});

Deno.test("findTrigger opens the mention menu on an @word", () => {
  assertEquals(findTrigger("look at @wid", 12), {
    kind: "mention",
    query: "wid",
    start: 8,
    end: 12,
  });
  assertEquals(findTrigger("@", 1), { kind: "mention", query: "", start: 0, end: 1 });
  assertEquals(findTrigger("mail me@example.com", 19), null, "inside a word");
  assertEquals(findTrigger("@src/a.ts now", 13), null, "caret past it");
});

Deno.test("parseComposed tells shell commands, commands and prompts apart", () => {
  assertEquals(parseComposed("!echo hi"), { kind: "shell", command: "echo hi" });
  assertEquals(parseComposed("/greet Alice Smith"), {
    kind: "command",
    name: "greet",
    args: "Alice Smith",
  });
  assertEquals(parseComposed(" /init "), { kind: "command", name: "init", args: "" });
  assertEquals(parseComposed("/etc/hosts is odd"), { kind: "prompt" });
  assertEquals(parseComposed("hello /init"), { kind: "prompt" });
  assertEquals(parseComposed("!"), { kind: "prompt" });
});

Deno.test("replaceRange puts the caret after what it inserted", () => {
  assertEquals(replaceRange("see @wid now", 4, 8, "@src/widget.ts "), {
    text: "see @src/widget.ts  now",
    caret: 19,
  });
});

Deno.test("mentionsIn keeps the mentions the text still names", () => {
  const m = [{ name: "src/a.ts" }, { name: "explore" }, { name: "b.ts" }];
  assertEquals(mentionsIn("read @src/a.ts and ask @explore", m), [m[0], m[1]]);
  assertEquals(mentionsIn("read @src/a.tsx", m), []);
});

Deno.test("recallStep walks back through sent prompts and forward to an empty box", () => {
  const h = ["first", "second"];
  assertEquals(recallStep(h, 2, "up"), { at: 1, text: "second" });
  assertEquals(recallStep(h, 1, "up"), { at: 0, text: "first" });
  assertEquals(recallStep(h, 0, "up"), null);
  assertEquals(recallStep(h, 0, "down"), { at: 1, text: "second" });
  assertEquals(recallStep(h, 1, "down"), { at: 2, text: "" });
  assertEquals(recallStep(h, 2, "down"), null);
  assertEquals(recallStep([], 0, "up"), null);
});
