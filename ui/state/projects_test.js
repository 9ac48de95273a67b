// @ts-check
/** Which sessions the history lists and which tabs name their project, from a snapshot. */
import { assertEquals } from "../../tests/support/assert.ts";
import { applySnapshot, applyWorkspace, projects } from "./store.js";
import { otherProjectOf, project, projectSessions } from "./projects.js";

Deno.test("ui projects: the history lists the shown project's sessions; other tabs name theirs", () => {
  applySnapshot({
    directory: "/w/a",
    sessions: [
      { id: "ses_1", directory: "/w/a" },
      { id: "ses_2", directory: "/w/b" },
      { id: "ses_3" }, // no directory: the startup project's
    ],
    projects: {
      current: "/w/a",
      projects: [{ directory: "/w/a", name: "a" }, { directory: "/w/b", name: "Beta" }],
    },
  });
  applyWorkspace({
    tabs: [{ sessionId: "ses_1" }, { sessionId: "ses_2", directory: "/w/b" }],
    shownSessionId: "ses_1",
  });
  assertEquals(project.value, "/w/a");
  assertEquals(projectSessions.value.map((s) => s.id), ["ses_1", "ses_3"]);
  assertEquals([otherProjectOf("ses_1"), otherProjectOf("ses_2")], ["", "Beta"]);
  projects.value = { ...projects.value, current: "/w/b" };
  assertEquals(projectSessions.value.map((s) => s.id), ["ses_2"]);
  assertEquals([otherProjectOf("ses_1"), otherProjectOf("ses_2")], ["a", ""]);
});
