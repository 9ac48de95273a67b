import { assertEquals, assertMatch } from "../../tests/support/assert.ts";
import { ipc } from "../../proto/envelope.js";
import { SettingsStore } from "../config/settings.ts";
import type { Push } from "./push.ts";
import { Store } from "./store.ts";
import { FakeClient } from "./testdata/fake_client.ts";

const Kind = ipc.NoticeKind;

Deno.test("notices: a settings file set aside at load is in every window's snapshot", async () => {
  const dir = await Deno.makeTempDir({ prefix: "notices-unit-" });
  try {
    await Deno.writeTextFile(`${dir}/state.json`, "{ not json");
    const settings = new SettingsStore(`${dir}/state.json`);
    await settings.load();
    const store = new Store({ client: new FakeClient(), owned: false, directory: "/p", settings });
    for (const win of [1, 2]) {
      const notices = store.hello(win, "", "test").notices ?? [];
      assertEquals(notices.map((n) => n.kind), [Kind.NOTICE_KIND_SETTINGS_SET_ASIDE]);
      assertMatch(notices[0].path ?? "", /state\.json\.bad-\d+$/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("notices: settings that stop being saved are pushed once, and kept for later windows", async () => {
  const dir = await Deno.makeTempDir({ prefix: "notices-unit-" });
  try {
    const settings = new SettingsStore(`${dir}/conf/state.json`);
    await settings.load();
    const store = new Store({ client: new FakeClient(), owned: false, directory: "/p", settings });
    const pushes: Push[] = [];
    store.subscribe((p) => pushes.push(p));
    assertEquals(store.hello(1, "", "test").notices, []);
    await store.saved();
    // The config directory goes away and a file takes its name: nothing can be written there.
    await Deno.remove(`${dir}/conf`, { recursive: true });
    await Deno.writeTextFile(`${dir}/conf`, "");
    for (const theme of [ipc.Theme.THEME_DARK, ipc.Theme.THEME_LIGHT]) {
      store.workspace.updateSettings({ theme });
      await store.saved();
    }
    assertEquals(store.workspace.settings.theme, ipc.Theme.THEME_LIGHT, "kept in memory");
    const pushed = pushes.flatMap((p) => "notice" in p ? [p.notice] : []);
    assertEquals(pushed.map((n) => n.kind), [Kind.NOTICE_KIND_SETTINGS_UNSAVED], "said once");
    assertEquals(pushed[0].path, `${dir}/conf/state.json`);
    assertEquals(store.hello(2, "", "test").notices, pushed);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
