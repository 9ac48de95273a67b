import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { ipc } from "../../proto/envelope.js";
import { NotFoundError } from "./errors.ts";
import type { Push } from "./push.ts";
import { Workspace } from "./workspace.ts";

const NONE = { agent: "", providerId: "", modelId: "", variant: "" };

function workspace() {
  const pushes: Push[] = [];
  const w = new Workspace({ emit: (p) => pushes.push(p) });
  w.load("/project");
  w.attach(1, "");
  w.attach(2, "");
  const ids = () => w.view(1).tabs!.map((t) => t.sessionId);
  return { w, pushes, ids };
}

Deno.test("workspace opens tabs where asked and shows them only in the window that asked", () => {
  const { w, ids } = workspace();
  w.openTab(1, "a", -1, NONE);
  w.openTab(1, "b", -1, NONE);
  w.openTab(2, "c", 0, { ...NONE, agent: "plan" });
  assertEquals(ids(), ["c", "a", "b"]);
  assertEquals(w.view(1).shownSessionId, "b");
  assertEquals(w.view(2).shownSessionId, "c");
  assertEquals(w.tab("c")?.agent, "plan", "a new tab starts with the session's last agent");
  // Opening a tab that exists shows it, nothing more.
  w.openTab(2, "a", 0, NONE);
  assertEquals(ids(), ["c", "a", "b"]);
  assertEquals(w.view(2).shownSessionId, "a");
});

Deno.test("workspace closing a shown tab shows its neighbour in every window that showed it", () => {
  const { w, ids } = workspace();
  for (const id of ["a", "b", "c"]) w.openTab(1, id, -1, NONE);
  w.showTab(1, "b");
  w.showTab(2, "b");
  w.closeTab("b");
  assertEquals(ids(), ["a", "c"]);
  assertEquals([w.view(1).shownSessionId, w.view(2).shownSessionId], ["c", "c"]);
  w.closeTab("c");
  assertEquals(w.view(1).shownSessionId, "a", "the last tab closed: the one before it");
  w.closeTab("a");
  assertEquals(w.view(1), { tabs: [], shownSessionId: "" });
  assertEquals(w.closeTab("a"), false, "closing twice is harmless");
});

Deno.test("workspace moves a tab to a position among the others, clamped", () => {
  const { w, ids } = workspace();
  for (const id of ["a", "b", "c", "d"]) w.openTab(1, id, -1, NONE);
  w.moveTab("d", 0);
  assertEquals(ids(), ["d", "a", "b", "c"]);
  w.moveTab("d", 99);
  assertEquals(ids(), ["a", "b", "c", "d"]);
  w.moveTab("a", 2);
  assertEquals(ids(), ["b", "c", "a", "d"]);
  assertThrows(() => w.moveTab("zz", 0), NotFoundError);
});

Deno.test("workspace changes only the fields a tab patch carries", () => {
  const { w } = workspace();
  w.openTab(1, "a", -1, { agent: "build", providerId: "p", modelId: "m", variant: "high" });
  w.updateTab("a", { agent: "plan" });
  assertEquals(w.tab("a"), {
    sessionId: "a",
    agent: "plan",
    providerId: "p",
    modelId: "m",
    variant: "high",
  });
  w.updateTab("a", { model: { providerId: "q", modelId: "n" }, variant: "" });
  assertEquals([w.tab("a")?.providerId, w.tab("a")?.modelId, w.tab("a")?.variant], ["q", "n", ""]);
  assertThrows(() => w.updateTab("a", { model: { providerId: "q" } }), TypeError);
  assertThrows(() => w.updateTab("gone", { agent: "x" }), NotFoundError);
});

Deno.test("workspace pushes each window its own view of every change", () => {
  const { w, pushes } = workspace();
  w.openTab(1, "a", -1, NONE);
  w.openTab(2, "b", -1, NONE);
  const last = pushes.slice(-2) as { client: number; workspace: ipc.Workspace.$Properties }[];
  assertEquals(last.map((p) => [p.client, p.workspace.shownSessionId]), [[1, "a"], [2, "b"]]);
  w.detach(2);
  pushes.length = 0;
  w.closeTab("a");
  assertEquals(pushes.map((p) => p.client), [1], "a window that left gets nothing");
});

Deno.test("workspace a window that says hello shows its old tab, else the last shown, else the first", () => {
  const { w } = workspace();
  for (const id of ["a", "b", "c"]) w.openTab(1, id, -1, NONE);
  w.showTab(1, "b");
  w.attach(3, "c");
  assertEquals(w.view(3).shownSessionId, "c");
  w.attach(4, "closed-long-ago");
  assertEquals(w.view(4).shownSessionId, "b", "the tab shown last by any window");
});

Deno.test("workspace settings patches change only what they carry; favourites add and remove", () => {
  const { w, pushes } = workspace();
  w.updateSettings({ theme: ipc.Theme.THEME_DARK });
  w.updateSettings({ textSize: ipc.TextSize.TEXT_SIZE_LARGE });
  assertEquals([w.settings.theme, w.settings.textSize], [
    ipc.Theme.THEME_DARK,
    ipc.TextSize.TEXT_SIZE_LARGE,
  ]);
  w.updateSettings({ addFavorite: { providerId: "p", modelId: "m" } });
  w.updateSettings({ addFavorite: { providerId: "p", modelId: "n" } });
  w.updateSettings({ addFavorite: { providerId: "p", modelId: "m" } });
  w.updateSettings({ removeFavorite: { providerId: "p", modelId: "n" } });
  assertEquals(w.settings.favoriteModels, [{ providerId: "p", modelId: "m" }]);
  assertEquals(w.settings.theme, ipc.Theme.THEME_DARK, "untouched by later patches");
  assertEquals(
    pushes.filter((p) => "settings" in p).length,
    6,
    "every change reaches every window",
  );
});
