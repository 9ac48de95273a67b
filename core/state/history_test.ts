import { assertEquals } from "../../tests/support/assert.ts";
import { ipc } from "../../proto/gen/ipc.js";
import { forkPoint, mergeDiffs, undoTarget } from "./history.ts";
import { toFileDiffs, toTodos } from "./history_convert.ts";

const U = ipc.Role.ROLE_USER;
const A = ipc.Role.ROLE_ASSISTANT;
const rows = [
  { info: { id: "msg_1", role: U } },
  { info: { id: "msg_2", role: A } },
  { info: { id: "msg_3", role: U } },
  { info: { id: "msg_4", role: A } },
  { info: { id: "msg_5", role: A } },
  { info: { id: "msg_6", role: U } },
  { info: { id: "msg_7", role: A } },
];

Deno.test("history undo goes back one user message at a time, then has nothing left", () => {
  assertEquals(undoTarget(rows, ""), "msg_6");
  assertEquals(undoTarget(rows, "msg_6"), "msg_3");
  assertEquals(undoTarget(rows, "msg_3"), "msg_1");
  assertEquals(undoTarget(rows, "msg_1"), "");
  assertEquals(undoTarget([], ""), "");
});

Deno.test("history fork from a user message keeps its turn: it cuts before the next one", () => {
  assertEquals(forkPoint(rows, "msg_1"), "msg_3");
  assertEquals(forkPoint(rows, "msg_3"), "msg_6");
  assertEquals(forkPoint(rows, "msg_6"), "", "the last one: everything");
});

Deno.test("history converts diffs and todos, dropping what is not an object", () => {
  assertEquals(toFileDiffs([{ file: "a.txt", additions: 2, deletions: 1 }, 3, null]), [
    { file: "a.txt", patch: "", additions: 2, deletions: 1, status: "" },
  ]);
  assertEquals(toFileDiffs(undefined), []);
  assertEquals(toTodos([{ content: "Write", status: "in_progress", priority: "high" }, "x"]), [
    { content: "Write", status: "in_progress", priority: "high" },
  ]);
});

Deno.test("history merges the turns' diffs into one entry per file", () => {
  const merged = mergeDiffs([
    { file: "a.txt", patch: "p1", additions: 2, deletions: 1, status: "added" },
    { file: "b.txt", patch: "p2", additions: 1, deletions: 0, status: "modified" },
    { file: "a.txt", patch: "p3", additions: 1, deletions: 1, status: "modified" },
  ]);
  assertEquals(merged, [
    { file: "a.txt", patch: "p1\np3", additions: 3, deletions: 2, status: "added" },
    { file: "b.txt", patch: "p2", additions: 1, deletions: 0, status: "modified" },
  ]);
});
