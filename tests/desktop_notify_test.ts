/**
 * Desktop notifications from the app's own window, as a person gets them: `main.ts` in its native
 * window on an Xvfb display, a private D-Bus session bus and the dunst notification daemon (its
 * `dunstctl` plays the person: it reads what is on screen and clicks a notification). The window
 * shows session A; a reply finishing in the background tab B raises exactly one notification
 * naming B (none about A, which is on screen); clicking it makes the window show B; a second
 * notification about a session replaces the first; a notification goes away by itself once its
 * session is looked at.
 *
 * A second socket on the same core (tests/support/ws_client.ts, with the browser token) stands
 * for another window that is out of sight: it hears the badge, which only drops once a focused
 * window shows the session. Needs xvfb, dbus-daemon, dunst and libnotify-bin (notify-send).
 */
import { assert, assertEquals, waitFor } from "./support/assert.ts";
import { startOpencode } from "./support/opencode_server.ts";
import { type AppProcess, startAppProcess } from "./support/app_process.ts";
import {
  type Dunst,
  type Running,
  startDunst,
  startSessionBus,
  startXvfb,
} from "./support/desktop.ts";
import { createSession, promptOnServer, storedMessages } from "./support/server_sessions.ts";
import { connect, type Opened, request } from "./support/ws_client.ts";
import { decodeServer, ipc } from "../proto/envelope.js";

/** A turn takes a few seconds on a loaded machine. */
const TURN_MS = 40_000;
const TOKEN = "desktop-notify-test-token-0123456789abcdefg";

Deno.test("desktop notifications: raised for a background session, clicked open, withdrawn once seen", async (t) => {
  const oc = await startOpencode({ tokenDelayMs: 5, permission: { edit: "ask" } });
  const dir = await Deno.makeTempDir({ prefix: "desktop-notify-" });
  const running: Running[] = [];
  let app: AppProcess | undefined;
  let sock: Opened | undefined;
  try {
    const xvfb = await startXvfb({ width: 1280, height: 1024 });
    running.push(xvfb);
    const bus = await startSessionBus();
    running.push(bus);
    const dunst: Dunst = await startDunst(xvfb.display, bus.address, dir);
    running.push(dunst);

    const looking = await createSession(oc.url, "Looking here");
    const away = await createSession(oc.url, "Background work");
    // Both are open in tabs, the window shows "Looking here" (as the person left it).
    const statePath = `${dir}/state.json`;
    await Deno.writeTextFile(`${dir}/token`, TOKEN);
    await Deno.writeTextFile(
      statePath,
      JSON.stringify({
        version: 2,
        settings: {},
        projects: {
          [oc.dir]: {
            tabs: [{ sessionId: looking }, { sessionId: away }],
            shownSessionId: looking,
          },
        },
      }),
    );
    const shownLast = async () =>
      (JSON.parse(await Deno.readTextFile(statePath)).projects[oc.dir] ?? {}).shownSessionId;
    app = await startAppProcess({
      args: ["--server", oc.url, "--port", "0"],
      env: {
        ...oc.env,
        DISPLAY: xvfb.display,
        DBUS_SESSION_BUS_ADDRESS: bus.address,
        OPENCODE_DESK_STATE: statePath,
      },
      timeoutMs: 20_000,
    });
    const log = () => `\napp output:\n${app!.output().join("\n")}`;
    assert(app.output().some((l) => l.includes("window open on")), `no window${log()}`);
    const port = Number(new URL(app.origin).port);

    // Another window, out of sight: it only listens for the badge.
    sock = await connect(port, { token: TOKEN });
    const alerts: ipc.Alert.$Properties[] = [];
    sock.ws.addEventListener("message", (ev) => {
      const alert = decodeServer(new Uint8Array(ev.data as ArrayBuffer)).alert;
      if (alert) alerts.push(alert);
    });
    const badge = () => alerts.at(-1)?.badge ?? 0;
    const pushes: ipc.ServerMessage[] = [];
    await request(sock, { hello: { client: "test" } }, pushes);
    await request(sock, { windowState: { focused: false, visible: false } }, pushes);

    await t.step(
      "a reply in the background tab raises exactly one notification, naming it",
      async () => {
        // A reply in the session on screen first: it must raise nothing.
        await promptOnServer(oc.url, looking, "while I watch");
        await waitFor(
          async () => !!(await storedMessages(oc.url, looking)).at(-1)?.info.time?.completed,
          "the watched reply finished",
          TURN_MS,
        );
        await promptOnServer(oc.url, away, "in the background");
        await waitFor(async () => await dunst.displayed() > 0, `a notification${log()}`, TURN_MS);
        assertEquals(await dunst.displayed(), 1, "one notification on screen");
        assertEquals(await dunst.history(), [], "nothing raised and closed before it");
        await waitFor(
          () => alerts.length > 0 && badge() === 1,
          "the badge counting the background session",
        );
      },
    );

    await t.step("clicking the notification shows its session in the window", async () => {
      await dunst.ctl("action", "0"); // the default action: what a click on it does
      await waitFor(async () => await shownLast() === away, "the window showing the session");
      await waitFor(() => badge() === 0, `the session looked at (badge 0)${log()}`);
      const [note, ...more] = await dunst.history();
      assertEquals(more, [], "exactly one notification so far");
      assertEquals(
        [note.summary, note.body, note.appname, note.category],
        ["Reply finished", "Background work", "OpenCode Desk", "im.received"],
      );
      assert(String(note.icon_path).endsWith("/ui/icons/icon-192.png"), `icon ${note.icon_path}`);
      assertEquals(await dunst.displayed(), 0);
    });

    await t.step(
      "a notification is replaced, not stacked, and goes once its session is seen",
      async () => {
        // The window shows "Background work" now: a reply in "Looking here" is out of its sight.
        await promptOnServer(oc.url, looking, "meanwhile here");
        await waitFor(async () => await dunst.displayed() === 1, "the next notification", TURN_MS);
        // Then a permission request there: its notification takes the reply's place.
        const file = `${oc.dir}/notify.txt`;
        await Deno.writeTextFile(file, "a\n");
        oc.model.enqueue({
          toolCalls: [{ name: "edit", args: { filePath: file, oldString: "a", newString: "b" } }],
        });
        await promptOnServer(oc.url, looking, "edit it");
        await waitFor(
          () => alerts.some((a) => a.kind === ipc.AlertKind.ALERT_KIND_PERMISSION),
          "the permission request",
          TURN_MS,
        );
        assertEquals(await dunst.displayed(), 1, "still one notification on screen");
        // The other window shows that session and gets the focus: the notification goes.
        await request(sock!, { showTab: { sessionId: looking } }, pushes);
        await request(sock!, { windowState: { focused: true, visible: true } }, pushes);
        await waitFor(async () => await dunst.displayed() === 0, "the notification withdrawn");
        const history = await dunst.history();
        assertEquals(history.map((n) => [n.summary, n.body]), [
          ["Permission needed", "Looking here"],
          ["Reply finished", "Background work"],
        ]);
        const complaints = app!.output().filter((l) => /Cannot.*notif/i.test(l));
        assertEquals(complaints, [], "no complaint about notifications");
      },
    );
  } finally {
    sock?.ws.close();
    await sock?.closed;
    await app?.stop();
    for (const r of running.reverse()) await r.stop();
    await oc.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
