import { ipc } from "../../proto/envelope.js";
import { assertEquals, assertMatch } from "../../tests/support/assert.ts";
import { cleanSettings, SettingsStore } from "./settings.ts";

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
    assertMatch(await again.load() ?? "", /kept it as .*state\.json\.bad-\d+/);
    assertEquals(again.settings.theme, ipc.Theme.THEME_SYSTEM);
    const kept = [...Deno.readDirSync(dir)].filter((e) => e.name.startsWith("state.json.bad-"));
    assertEquals(kept.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SettingsStore starts from defaults when a bad file sits in a read-only directory", async () => {
  // A real read-only file system: a private mount namespace with the directory bind-mounted
  // read-only (the test runs as root, as CI does; root ignores mode bits, not a ro mount).
  const dir = await Deno.makeTempDir({ prefix: "settings-ro-" });
  try {
    const path = `${dir}/state.json`;
    await Deno.writeTextFile(path, "{ not json");
    const script = new URL("./testdata/load_state.ts", import.meta.url).pathname;
    const out = await new Deno.Command("unshare", {
      args: [
        "--mount",
        "sh",
        "-c",
        'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$2" run -A "$3" "$1/state.json"',
        "sh",
        dir,
        Deno.execPath(),
        script,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 0, `the load must not fail: ${stderr}`);
    const result = JSON.parse(new TextDecoder().decode(out.stdout).trim());
    assertMatch(result.warning, /Cannot parse .*state\.json.*not be saved this run/);
    assertEquals(result.theme, ipc.Theme.THEME_DARK, "settings keep working from memory");
    assertMatch(result.unsaved, /cannot be set aside/);
    assertEquals(await Deno.readTextFile(path), "{ not json", "the bad file is kept as it was");
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["state.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
