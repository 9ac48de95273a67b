// @ts-check
import { assertEquals } from "../../tests/support/assert.ts";
import { markdownFileName, sessionMarkdown, toolLine } from "./export_markdown.js";

/** @param {string} tool @param {Record<string, unknown>} input */
const tool = (tool, input, status = 3) => ({
  type: "tool",
  tool,
  state: { status, inputJson: JSON.stringify(input), title: "" },
});

Deno.test("export markdown holds the turns, each tool call in one line", () => {
  const md = sessionMarkdown({
    title: "Fix the build",
    directory: "/p",
    messages: [
      { info: { id: "m1", role: 1 }, parts: [{ type: "text", text: "Please fix it" }] },
      {
        info: { id: "m2", role: 2 },
        parts: [
          { type: "reasoning", text: "thinking hard" },
          tool("read", { filePath: "/p/src/a.ts" }),
          tool("bash", { command: "deno task check\nmore", description: "Check" }, 4),
        ],
      },
      { info: { id: "m3", role: 2 }, parts: [{ type: "text", text: "Fixed.\n" }] },
      {
        info: { id: "m4", role: 1 },
        parts: [{ type: "text", text: "ok", synthetic: true }, { type: "file", filename: "a.png" }],
      },
    ],
  });
  assertEquals(
    md,
    [
      "# Fix the build",
      "## You",
      "Please fix it",
      "## Assistant",
      "- Tool `read`: `src/a.ts`\n- Tool `bash`: `deno task check` (failed)",
      "Fixed.",
      "## You",
      "*Attached: a.png*",
    ].join("\n\n") + "\n",
  );
});

Deno.test("export markdown keeps backticks of a command inside its code span", () => {
  assertEquals(
    toolLine(tool("bash", { command: "echo `date`" })),
    "- Tool `bash`: `` echo `date` ``",
  );
});

Deno.test("export markdown names the file after the title, without separators", () => {
  assertEquals(markdownFileName("Fix a/b: now?"), "Fix a b now.md");
  assertEquals(markdownFileName("  "), "session.md");
});
