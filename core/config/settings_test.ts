import { ipc } from "../../proto/envelope.js";
import { assert, assertEquals, assertMatch } from "../../tests/support/assert.ts";
import { runInReadOnly } from "../../tests/support/read_only.ts";
import { cleanSettings, type Notice, SettingsStore } from "./settings.ts";

const Kind = ipc.NoticeKind;

/** Runs `fn` with a fresh temp dir and the path of a state file in it. */
async function withDir(fn: (dir: string, path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "settings-unit-" });
  try {
    await fn(dir, `${dir}/state.json`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs testdata/load_state.ts on `dir/state.json` with `dir` bind-mounted read-only. */
async function loadReadOnly(dir: string) {
  const script = new URL("./testdata/load_state.ts", import.meta.url).pathname;
  const out = await runInReadOnly(dir, script, [`${dir}/state.json`]);
  assertEquals(out.code, 0, `the load must not fail: ${out.stderr}`);
  return JSON.parse(out.stdout.trim()) as {
    warning: string | null;
    theme: ipc.Theme;
    unsaved: string | null;
    notices: Notice[];
  };
}

Deno.test("cleanSettings gives the defaults for missing or unknown appearance values", () => {
  const defaults = {
    theme: ipc.Theme.THEME_SYSTEM,
    sendKey: ipc.SendKey.SEND_KEY_ENTER,
    textSize: ipc.TextSize.TEXT_SIZE_NORMAL,
  };
  const pick = (s: ReturnType<typeof cleanSettings>) => ({
    theme: s.theme,
    sendKey: s.sendKey,
    textSize: s.textSize,
  });
  assertEquals(pick(cleanSettings(undefined)), defaults);
  assertEquals(pick(cleanSettings({ theme: "neon", sendKey: 5, textSize: ["large"] })), defaults);
  assertEquals(
    pick(cleanSettings({ theme: "dark", sendKey: "mod-enter", textSize: "small" })),
    {
      theme: ipc.Theme.THEME_DARK,
      sendKey: ipc.SendKey.SEND_KEY_MOD_ENTER,
      textSize: ipc.TextSize.TEXT_SIZE_SMALL,
    },
  );
});

Deno.test("SettingsStore keeps good settings from a hand-edited file and drops bad ones", async () => {
  const dir = await Deno.makeTempDir({ prefix: "settings-unit-" });
  try {
    const path = `${dir}/state.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        settings: {
          theme: "light",
          textSize: "huge",
          showSubagents: true,
          favoriteModels: [{ providerId: "a", modelId: "b" }, { providerId: 1 }],
        },
      }),
    );
    const store = new SettingsStore(path);
    assertEquals(await store.load(), null);
    assertEquals(store.settings.theme, ipc.Theme.THEME_LIGHT);
    assertEquals(store.settings.textSize, ipc.TextSize.TEXT_SIZE_NORMAL);
    assertEquals(store.settings.showSubagents, true);
    assertEquals(store.settings.favoriteModels, [{ providerId: "a", modelId: "b" }]);

    // A file that is not JSON is set aside, never overwritten.
    await Deno.writeTextFile(path, "{ not json");
    const again = new SettingsStore(path);
    const notices: Notice[] = [];
    again.onNotice((n) => notices.push(n));
    assertMatch(await again.load() ?? "", /kept it as .*state\.json\.bad-\d+/);
    assertEquals(notices.length, 1, "the person is told once");
    assertEquals(notices[0].kind, Kind.NOTICE_KIND_SETTINGS_SET_ASIDE);
    assertMatch(notices[0].path ?? "", /state\.json\.bad-\d+$/);
    assertMatch(notices[0].detail ?? "", /JSON/);
    assertEquals(again.settings.theme, ipc.Theme.THEME_SYSTEM);
    const kept = [...Deno.readDirSync(dir)].filter((e) => e.name.startsWith("state.json.bad-"));
    assertEquals(kept.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SettingsStore starts from defaults when a bad file sits in a read-only directory", async () => {
  await withDir(async (dir, path) => {
    await Deno.writeTextFile(path, "{ not json");
    const result = await loadReadOnly(dir);
    assertMatch(result.warning ?? "", /Cannot parse .*state\.json.*not be saved this run/);
    assertEquals(result.theme, ipc.Theme.THEME_DARK, "settings keep working from memory");
    assertMatch(result.unsaved ?? "", /cannot be set aside/);
    assertEquals(
      result.notices.map((n) => [n.kind, n.path]),
      [[Kind.NOTICE_KIND_SETTINGS_UNREADABLE, path]],
      "one notice, and saving does not add another",
    );
    assertEquals(await Deno.readTextFile(path), "{ not json", "the bad file is kept as it was");
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["state.json"]);
  });
});

Deno.test("SettingsStore in a read-only directory says so at load, once, and keeps settings in memory", async () => {
  await withDir(async (dir, path) => {
    const v1 = JSON.stringify({ version: 1, settings: { theme: "light", showSubagents: true } });
    await Deno.writeTextFile(path, v1);
    const result = await loadReadOnly(dir);
    assertMatch(result.warning ?? "", /Cannot save .*state\.json: .*Read-only/);
    assertEquals(result.unsaved, null, "it keeps trying: the directory may become writable");
    assertEquals(result.theme, ipc.Theme.THEME_DARK, "settings keep working from memory");
    assertEquals(result.notices.length, 1, "two failed saves after the load add no notice");
    assertEquals(result.notices[0].kind, Kind.NOTICE_KIND_SETTINGS_UNSAVED);
    assertEquals(result.notices[0].path, path);
    assertEquals(result.notices[0].detail, "Read-only file system (os error 30)");
    assertEquals(await Deno.readTextFile(path), v1);
  });
});

Deno.test("SettingsStore reads a version 1 file and writes it back as version 2", async () => {
  await withDir(async (_dir, path) => {
    const tab = { sessionId: "ses_b", agent: "plan", providerId: "p", modelId: "m", variant: "" };
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        version: 1,
        settings: {
          theme: "dark",
          sendKey: "mod-enter",
          favoriteModels: [{ providerId: "p", modelId: "m" }],
        },
        projects: {
          "/work/a": {
            workspace: { tabs: [{ sessionId: "ses_a" }, tab], activeSessionId: "ses_b" },
          },
        },
      }),
    );
    const store = new SettingsStore(path);
    assertEquals(await store.load(), null);
    assertEquals(store.settings.theme, ipc.Theme.THEME_DARK);
    assertEquals(store.settings.sendKey, ipc.SendKey.SEND_KEY_MOD_ENTER);
    assertEquals(store.tabs("/work/a").shown, "ses_b");
    assertEquals(store.tabs("/work/a").tabs.map((t) => t.sessionId), ["ses_a", "ses_b"]);
    assertEquals(store.tabs("/work/a").tabs[1], tab);

    store.settings = { ...store.settings, textSize: ipc.TextSize.TEXT_SIZE_LARGE };
    await store.saved();
    const file = JSON.parse(await Deno.readTextFile(path));
    assertEquals(file.version, 2);
    assertEquals(file.projects["/work/a"].shownSessionId, "ses_b");
    assertEquals(file.projects["/work/a"].tabs[1], tab);
    assertEquals(file.projects["/work/a"].workspace, undefined);
    assertEquals(
      [file.settings.theme, file.settings.sendKey, file.settings.textSize],
      ["dark", "mod-enter", "large"],
      "enums stay words",
    );
    const again = new SettingsStore(path);
    assertEquals(await again.load(), null);
    assertEquals(again.settings, store.settings);
    assertEquals(again.tabs("/work/a"), store.tabs("/work/a"));
  });
});

Deno.test("SettingsStore keeps a copy of a file a newer version wrote, and says so", async () => {
  await withDir(async (dir, path) => {
    const text = JSON.stringify({ version: 3, settings: { theme: "dark" }, projects: {}, more: 1 });
    await Deno.writeTextFile(path, text);
    const store = new SettingsStore(path);
    const notices: Notice[] = [];
    store.onNotice((n) => notices.push(n));
    assertMatch(await store.load() ?? "", /newer version \(3\); kept a copy/);
    assertEquals(store.settings.theme, ipc.Theme.THEME_DARK, "what it can, it reads");
    assertEquals(notices.length, 1);
    assertEquals(notices[0].kind, Kind.NOTICE_KIND_SETTINGS_NEWER_VERSION);
    assertMatch(notices[0].path ?? "", /state\.json\.v3-\d+$/);
    assertEquals(await Deno.readTextFile(notices[0].path!), text);
    assertEquals([...Deno.readDirSync(dir)].length, 2);
  });
});

Deno.test("SettingsStore leaves a file it cannot read as it is and saves nothing", async () => {
  await withDir(async (_dir, path) => {
    await Deno.mkdir(path); // reading it fails, and a rename over it must not happen either
    const store = new SettingsStore(path);
    const notices: Notice[] = [];
    store.onNotice((n) => notices.push(n));
    assertMatch(await store.load() ?? "", /Cannot read .*state\.json.*not be saved this run/);
    assertEquals(notices.map((n) => n.kind), [Kind.NOTICE_KIND_SETTINGS_UNREADABLE]);
    store.settings = { ...store.settings, theme: ipc.Theme.THEME_LIGHT };
    await store.saved();
    assertEquals(store.settings.theme, ipc.Theme.THEME_LIGHT);
    assert(Deno.statSync(path).isDirectory);
  });
});

Deno.test("SettingsStore.saved resolves once every change so far is in the file", async () => {
  await withDir(async (dir, path) => {
    const store = new SettingsStore(path);
    await store.load();
    const read = async () => JSON.parse(await Deno.readTextFile(path));
    for (let i = 0; i < 5; i++) {
      store.setTabs("/p", { tabs: [{ sessionId: `ses_${i}` }], shown: `ses_${i}` });
      await store.saved();
      assertEquals((await read()).projects["/p"].shownSessionId, `ses_${i}`);
    }
    // A burst: changes made while a write runs go together in the next one.
    for (let i = 0; i < 50; i++) {
      store.settings = {
        ...store.settings,
        favoriteModels: [...store.settings.favoriteModels ?? [], {
          providerId: "p",
          modelId: `m${i}`,
        }],
      };
      if (i === 25) await Promise.resolve();
    }
    await store.saved();
    assertEquals((await read()).settings.favoriteModels.length, 50);
    assertEquals(
      [...Deno.readDirSync(dir)].map((e) => e.name),
      ["state.json"],
      "no temp file left",
    );
  });
});
