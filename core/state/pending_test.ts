import { assertEquals } from "../../tests/support/assert.ts";
import type { OcPermission } from "../opencode/types.ts";
import { pendingEvents } from "./pending.ts";
import { createState } from "./reducer.ts";

Deno.test("pendingEvents resolves what a read directory lost, keeps unread ones, asks the rest", () => {
  const state = createState();
  state.permissions.set("per_a", { id: "per_a", sessionId: "ses_a" });
  state.permissions.set("per_b", { id: "per_b", sessionId: "ses_b" });
  state.questions.set("que_a", { id: "que_a", sessionId: "ses_a" });
  const fresh = { id: "per_new", sessionID: "ses_a" } as OcPermission;
  const dirOf: Record<string, string> = { ses_a: "/a", ses_b: "/b" };
  const events = pendingEvents(
    state,
    { permissions: [fresh], questions: [] },
    (_id, sessionId) => dirOf[sessionId] === "/a", // only /a was read
  );
  assertEquals(events.map((e) => `${e.type} ${e.properties.requestID ?? e.properties.id}`), [
    "permission.replied per_a",
    "question.rejected que_a",
    "permission.asked per_new",
  ]);
});
