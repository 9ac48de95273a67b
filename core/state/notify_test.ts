import { assertEquals } from "../../tests/support/assert.ts";
import { ipc } from "../../proto/gen/ipc.js";
import { Notifier } from "./notify.ts";
import type { Settings } from "../config/settings.ts";

const S = ipc.SessionStatusType;

function setup(settings: Settings = {}) {
  const sent: ipc.Alert.$Properties[] = [];
  const desktop: string[] = [];
  /** What the desktop notifications did, e.g. "show a", "withdraw a"; and each one's click. */
  const log: string[] = [];
  const clicks = new Map<string, () => void>();
  const revealed: string[] = [];
  const shown = new Map<number, string>();
  const sessions: Record<string, ipc.Session.$Properties> = {
    a: { id: "a", title: "Alpha" },
    b: { id: "b", title: "Beta" },
    kid: { id: "kid", title: "Sub", parentId: "b" },
  };
  const n = new Notifier({
    shownBy: (win) => shown.get(win) ?? "",
    session: (id) => sessions[id],
    settings: () => settings,
    send: (a) => sent.push(a),
    desktop: {
      show: (key, summary, body, onClick) => {
        desktop.push(`${summary}: ${body}`);
        log.push(`show ${key}`);
        clicks.set(key, onClick);
      },
      withdraw: (key) => log.push(`withdraw ${key}`),
    },
    reveal: (win, sessionId) => {
      revealed.push(`${win} ${sessionId}`);
      shown.set(win, sessionId);
      n.observe({ workspace: { tabs: [], shownSessionId: sessionId } });
    },
  });
  const status = (sessionId: string, type: ipc.SessionStatusType) =>
    n.observe({ events: { events: [{ sessionStatusChanged: { sessionId, status: { type } } }] } });
  const turn = (id: string) => {
    status(id, S.SESSION_STATUS_TYPE_BUSY);
    status(id, S.SESSION_STATUS_TYPE_IDLE);
  };
  return { n, sent, desktop, log, clicks, revealed, shown, status, turn };
}

Deno.test("notifier alerts once when a reply finishes in a session nobody looks at", () => {
  const t = setup();
  t.shown.set(1, "a");
  t.n.join(1, false);
  t.turn("b");
  t.status("b", S.SESSION_STATUS_TYPE_IDLE); // a second idle is no second reply
  assertEquals(t.sent.map((a) => [a.kind, a.sessionTitle, a.badge]), [
    [ipc.AlertKind.ALERT_KIND_REPLY_DONE, "Beta", 1],
  ]);
  assertEquals(t.desktop, [], "no window of the app's own: no desktop notification");
});

Deno.test("notifier says nothing about the session on screen in a focused window", () => {
  const t = setup();
  t.shown.set(1, "a");
  t.n.join(1, true);
  t.turn("a");
  assertEquals(t.sent, []);
  // Unfocused, the same session is out of sight: alert, and the app's window notifies the desktop.
  t.n.windowState(1, { focused: false, visible: true });
  t.turn("a");
  assertEquals(t.sent.length, 1);
  assertEquals(t.desktop, ["Reply finished: Alpha"]);
  // Focus back on it: the badge drops to 0.
  t.n.windowState(1, { focused: true, visible: true });
  assertEquals(t.sent.at(-1), { kind: ipc.AlertKind.ALERT_KIND_NONE, badge: 0 });
});

Deno.test("notifier sends a subagent's request as its parent's, and skips the subagent's reply", () => {
  const t = setup();
  t.n.join(1, false);
  t.turn("kid");
  t.n.observe({ events: { events: [{ permissionAsked: { id: "p", sessionId: "kid" } }] } });
  assertEquals(t.sent.map((a) => [a.kind, a.sessionId]), [
    [ipc.AlertKind.ALERT_KIND_PERMISSION, "b"],
  ]);
});

Deno.test("notifier follows the settings that mute each kind", () => {
  const t = setup({ muteReplies: true });
  t.n.join(1, false);
  t.turn("a");
  t.n.observe({ events: { events: [{ questionAsked: { id: "q", sessionId: "a" } }] } });
  assertEquals(t.sent.map((a) => a.kind), [ipc.AlertKind.ALERT_KIND_QUESTION]);
});

Deno.test("notifier shows the session of a clicked desktop notification in the app's window", () => {
  const t = setup();
  t.shown.set(1, "a");
  t.shown.set(2, "a");
  t.n.join(1, true);
  t.n.join(2, false); // a browser: it keeps its own tab
  t.n.windowState(2, { focused: false, visible: false });
  t.turn("b");
  assertEquals(t.desktop, ["Reply finished: Beta"]);
  t.clicks.get("b")!();
  assertEquals(t.revealed, ["1 b"], "only the app's own window shows it");
  // The window shows it now: looked at, so the badge drops and the notification goes.
  assertEquals(t.sent.at(-1), { kind: ipc.AlertKind.ALERT_KIND_NONE, badge: 0 });
  assertEquals(t.log, ["show b", "withdraw b"]);
});

Deno.test("notifier withdraws a desktop notification once its session is looked at", () => {
  const t = setup();
  t.shown.set(1, "a");
  t.n.join(1, true);
  t.turn("b");
  t.n.observe({ events: { events: [{ permissionAsked: { id: "p", sessionId: "b" } }] } });
  assertEquals(t.log, ["show b", "show b"], "one per session: the second replaces the first");
  t.shown.set(1, "b");
  t.n.observe({ workspace: { tabs: [], shownSessionId: "b" } });
  assertEquals(t.log, ["show b", "show b", "withdraw b"]);
});
