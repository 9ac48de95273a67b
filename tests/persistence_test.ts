/**
 * Settings that survive anything: `main.ts --headless` as a child process against a real
 * OpenCode, settings changed through a WebSocket client, the app killed with SIGKILL at random
 * moments; a corrupt state file and a read-only config directory (a real read-only bind mount in
 * a private mount namespace, as CI runs as root) each reach the client as a notice.
 */
import { ipc } from "../proto/envelope.js";
import { assert, assertEquals, assertMatch, waitFor } from "./support/assert.ts";
import { type AppProcess, startAppProcess } from "./support/app_process.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { connect, type Opened, request } from "./support/ws_client.ts";
import { readOnlyPrefix } from "./support/read_only.ts";

const oc = await startOpencode({ tokenDelayMs: 5 });
const dirs: string[] = [];
const Kind = ipc.NoticeKind;

// The shared server outlives each test; it is stopped in afterAll.
const opts = { sanitizeOps: false, sanitizeResources: false };

/** A fresh directory for one state file. */
async function stateDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "persistence-" });
  dirs.push(dir);
  return dir;
}

/** Starts the app on the state file `path`, once OpenCode answers (see serverAnswers). */
async function startApp(path: string, wrap?: string[]): Promise<AppProcess> {
  await serverAnswers();
  return await startAppProcess({
    args: ["--headless", "--server", oc.url, "--port", "0"],
    env: { ...oc.env, OPENCODE_DESK_STATE: path },
    wrap,
  });
}

/**
 * Waits until the OpenCode server answers its health check: it sometimes takes seconds to answer
 * after a client of it was killed, and the app gives a server 3 s when it attaches.
 */
function serverAnswers(): Promise<boolean> {
  return waitFor(
    () =>
      fetch(`${oc.url}/global/health`).then(async (r) => {
        await r.body?.cancel();
        return r.ok;
      }),
    "OpenCode to answer",
    30_000,
  );
}

/** Connects like a window and says hello. */
async function attach(
  app: AppProcess,
): Promise<{ sock: Opened; snapshot: ipc.Snapshot.$Properties }> {
  const token = new URL(app.url).hash.replace("#token=", "");
  const sock = await connect(Number(new URL(app.origin).port), { token });
  const reply = await request(sock, { hello: {} }, []);
  assert(reply.snapshot, `hello is answered with a snapshot, got ${reply.payload}`);
  return { sock, snapshot: reply.snapshot };
}

/** What the file holds of the settings this test changes, enums as the file's words. */
interface Seen {
  theme: string;
  textSize: string;
  favorites: string[];
}

const THEME_WORDS = ["system", "light", "dark"];
const SIZE_WORDS = ["normal", "small", "large"];

function seen(s: ipc.Settings.$Properties): Seen {
  return {
    theme: THEME_WORDS[s.theme ?? 0],
    textSize: SIZE_WORDS[s.textSize ?? 0],
    favorites: (s.favoriteModels ?? []).map((m) => m.modelId ?? ""),
  };
}

/** The i-th change of a run: a theme, a text size or one more favourite, in turn. */
function change(run: number, i: number): ipc.UpdateSettings.$Properties {
  switch (i % 3) {
    case 0:
      return { theme: (run + i) % 3 };
    case 1:
      return { textSize: (run + i) % 3 };
    default:
      return { addFavorite: { providerId: "fake", modelId: `m-${run}-${i}` } };
  }
}

/** `s` with one change applied, as the app applies it. */
function applied(s: Seen, c: ipc.UpdateSettings.$Properties): Seen {
  return {
    theme: c.theme != null ? THEME_WORDS[c.theme] : s.theme,
    textSize: c.textSize != null ? SIZE_WORDS[c.textSize] : s.textSize,
    favorites: c.addFavorite ? [...s.favorites, c.addFavorite.modelId ?? ""] : s.favorites,
  };
}

Deno.test({
  name: "persistence: SIGKILL 20 times while settings change loses no saved setting",
  ...opts,
  fn: async () => {
    const path = `${await stateDir()}/state.json`;
    let saved: Seen = { theme: "system", textSize: "normal", favorites: [] };
    let changes = 0;
    let waited = 0;
    for (let run = 0; run < 20; run++) {
      const t0 = performance.now();
      await serverAnswers();
      waited += performance.now() - t0;
      const app = await startApp(path).catch((err) => {
        throw new Error(`run ${run}: ${err.message}`);
      });
      const { sock, snapshot } = await attach(app);
      assertEquals(seen(snapshot.settings ?? {}), saved, `run ${run} starts from the file`);
      // Changes one after another, each sent when the last was replied; killed at a random
      // moment after the first reply, between replies or in the middle of a write.
      let pending: ipc.UpdateSettings.$Properties | null = null;
      let killer: ReturnType<typeof setTimeout> | undefined;
      for (let i = 0;; i++) {
        pending = change(run, i);
        const reply = await request(sock, { updateSettings: pending }, []).catch(() => null);
        if (!reply) break; // killed
        assert(reply.settings, `a settings change is answered with settings, got ${reply.payload}`);
        saved = seen(reply.settings);
        pending = null;
        changes++;
        killer ??= setTimeout(() => app.child.kill("SIGKILL"), Math.random() * 300);
      }
      clearTimeout(killer);
      assertEquals(await app.exited, 137, "killed");

      const text = await Deno.readTextFile(path);
      let file;
      try {
        file = JSON.parse(text);
      } catch (err) {
        throw new Error(`run ${run}: the file does not parse (${err}):\n${text}`);
      }
      assertEquals(file.version, 2);
      const onDisk: Seen = {
        theme: file.settings.theme,
        textSize: file.settings.textSize,
        favorites: file.settings.favoriteModels.map((m: { modelId: string }) => m.modelId),
      };
      // Every replied change is there; the one in flight at the kill may be there too.
      const options = pending ? [saved, applied(saved, pending)] : [saved];
      assert(
        options.some((o) => JSON.stringify(o) === JSON.stringify(onDisk)),
        `run ${run}: the file holds ${JSON.stringify(onDisk)}, expected ` +
          options.map((o) => JSON.stringify(o)).join(" or "),
      );
      saved = onDisk;
    }
    assert(changes >= 20, `only ${changes} changes were replied in 20 runs`);
    console.log(
      `persistence: ${changes} changes replied over 20 kills; ` +
        `${(waited / 1000).toFixed(1)} s waiting for OpenCode to answer again`,
    );
  },
});

Deno.test({
  name: "persistence: a corrupt state file is set aside and the window is told in its snapshot",
  ...opts,
  fn: async () => {
    const dir = await stateDir();
    await Deno.writeTextFile(`${dir}/state.json`, "{ not json");
    await using app = await startApp(`${dir}/state.json`);
    const { sock, snapshot } = await attach(app);
    const notices = snapshot.notices ?? [];
    assertEquals(notices.map((n) => n.kind), [Kind.NOTICE_KIND_SETTINGS_SET_ASIDE]);
    assertMatch(notices[0].path ?? "", /state\.json\.bad-\d+$/);
    assertEquals(await Deno.readTextFile(notices[0].path!), "{ not json", "kept as it was");
    // A change is saved as usual after that.
    await request(sock, { updateSettings: { theme: ipc.Theme.THEME_DARK } }, []);
    assertEquals(JSON.parse(await Deno.readTextFile(`${dir}/state.json`)).settings.theme, "dark");
    sock.ws.close();
    await sock.closed;
  },
});

Deno.test({
  name: "persistence: a read-only config directory is a lasting notice; settings work from memory",
  ...opts,
  fn: async () => {
    const dir = await stateDir();
    const v1 = JSON.stringify({ version: 1, settings: { theme: "dark" } });
    await Deno.writeTextFile(`${dir}/state.json`, v1);
    const readOnly = readOnlyPrefix(dir);
    await using app = await startApp(`${dir}/state.json`, readOnly);
    const { sock, snapshot } = await attach(app);
    assertEquals(snapshot.settings?.theme, ipc.Theme.THEME_DARK, "the version 1 file was read");
    const notices = snapshot.notices ?? [];
    assertEquals(notices.map((n) => n.kind), [Kind.NOTICE_KIND_SETTINGS_UNSAVED]);
    assertEquals(notices[0].path, `${dir}/state.json`);
    assertMatch(notices[0].detail ?? "", /Read-only file system/);

    const pushes: ipc.ServerMessage[] = [];
    const reply = await request(sock, { updateSettings: { theme: ipc.Theme.THEME_LIGHT } }, pushes);
    assertEquals(reply.settings?.theme, ipc.Theme.THEME_LIGHT, "the change works from memory");
    assertEquals(pushes.filter((p) => p.notice).length, 0, "told once, not again per change");
    const later = await attach(app);
    assertEquals(later.snapshot.notices?.length, 1, "a window that comes later is told too");
    assertEquals(later.snapshot.settings?.theme, ipc.Theme.THEME_LIGHT);
    assertEquals(await Deno.readTextFile(`${dir}/state.json`), v1, "the file is untouched");
    for (const s of [sock, later.sock]) {
      s.ws.close();
      await s.closed;
    }
  },
});

Deno.test.afterAll(async () => {
  await oc.stop();
  for (const dir of dirs) await Deno.remove(dir, { recursive: true });
});
