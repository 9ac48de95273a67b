/**
 * What is worth a notification: a reply that finished, or a permission or question that waits,
 * in a session the person is not looking at (no focused, visible window shows it). Windows tell
 * the core whether they are focused and visible (`WindowState`); which session each shows is the
 * workspace's. Every such occurrence becomes an `Alert` for the browsers (they show it with the
 * Notification API) and, when the app's own window is open, one desktop notification per session
 * (core/window/notify_send.ts). Clicking it shows the session in the app's window; looking at the
 * session takes it away. The badge counts the sessions with something not looked at yet.
 */
import { ipc } from "../../proto/gen/ipc.js";
import type { Settings } from "../config/settings.ts";
import type { Push } from "./push.ts";

const Kind = ipc.AlertKind;
const Status = ipc.SessionStatusType;

interface WindowView {
  native: boolean;
  focused: boolean;
  visible: boolean;
}

export interface NotifierOptions {
  /** The session on screen in window `win` ("" for none). */
  shownBy(win: number): string;
  /** A session by id (for its title and parent), if known. */
  session(id: string): ipc.Session.$Properties | undefined;
  settings(): Settings;
  /** Sends an alert to every window. */
  send(alert: ipc.Alert.$Properties): void;
  /** Desktop notifications (the app's own window has no Notification API). */
  desktop?: DesktopNotifications;
  /** Shows a session in window `win` (a desktop notification was clicked). */
  reveal?(win: number, sessionId: string): void;
}

/** Notifications on the desktop, at most one per session (a new one replaces it). */
export interface DesktopNotifications {
  /** Shows the notification about session `key`; `onClick` runs when the person clicks it. */
  show(key: string, summary: string, body: string, onClick: () => void): void;
  /** Takes the notification about session `key` away, if it is still shown. */
  withdraw(key: string): void;
}

/** The title of a session as the person knows it. */
function titleOf(s: ipc.Session.$Properties | undefined): string {
  const t = (s?.title ?? "").trim();
  return t || "Untitled";
}

/** The words of a desktop notification (browsers word their own, from the alert's facts). */
export function desktopText(kind: ipc.AlertKind): string {
  switch (kind) {
    case Kind.ALERT_KIND_REPLY_DONE:
      return "Reply finished";
    case Kind.ALERT_KIND_PERMISSION:
      return "Permission needed";
    case Kind.ALERT_KIND_QUESTION:
      return "Question for you";
    default:
      return "OpenCode Desk";
  }
}

/** Decides which events become alerts; see the module comment. */
export class Notifier {
  #opts: NotifierOptions;
  #windows = new Map<number, WindowView>();
  /** Sessions that worked since they were last idle. */
  #working = new Set<string>();
  /** Sessions with an alert the person has not looked at yet. */
  #unseen = new Set<string>();
  #seq = 0;

  constructor(opts: NotifierOptions) {
    this.#opts = opts;
  }

  /** A window said hello. Until it says otherwise it counts as focused and visible. */
  join(win: number, native: boolean): void {
    this.#windows.set(win, { native, focused: true, visible: true });
    this.#looked();
  }

  /** A window closed. */
  leave(win: number): void {
    this.#windows.delete(win);
  }

  /** A window's focus or visibility changed. */
  windowState(win: number, state: { focused?: boolean | null; visible?: boolean | null }): void {
    const w = this.#windows.get(win);
    if (!w) return;
    w.focused = !!state.focused;
    w.visible = !!state.visible;
    this.#looked();
  }

  /** How many sessions have something not looked at yet. */
  get badge(): number {
    return this.#unseen.size;
  }

  /** Watches what the store pushes. */
  observe(push: Push): void {
    if ("workspace" in push) {
      this.#looked();
      return;
    }
    if (!("events" in push)) return;
    for (const e of push.events.events ?? []) {
      const s = e.sessionStatusChanged;
      const touched = e.partAppended?.sessionId ?? e.partUpdated?.sessionId ??
        e.messageUpdated?.sessionId;
      if (touched) this.#working.add(touched);
      if (s?.sessionId) {
        const type = s.status?.type;
        if (type === Status.SESSION_STATUS_TYPE_BUSY || type === Status.SESSION_STATUS_TYPE_RETRY) {
          this.#working.add(s.sessionId);
        } else if (type === Status.SESSION_STATUS_TYPE_IDLE && this.#working.delete(s.sessionId)) {
          this.#alert(Kind.ALERT_KIND_REPLY_DONE, s.sessionId);
        }
      }
      if (e.permissionAsked?.sessionId) {
        this.#alert(Kind.ALERT_KIND_PERMISSION, e.permissionAsked.sessionId);
      }
      if (e.questionAsked?.sessionId) {
        this.#alert(Kind.ALERT_KIND_QUESTION, e.questionAsked.sessionId);
      }
    }
  }

  /** Whether a focused, visible window shows this session. */
  #lookingAt(sessionId: string): boolean {
    for (const [win, w] of this.#windows) {
      if (w.focused && w.visible && this.#opts.shownBy(win) === sessionId) return true;
    }
    return false;
  }

  #alert(kind: ipc.AlertKind, sessionId: string): void {
    let session = this.#opts.session(sessionId);
    if (kind === Kind.ALERT_KIND_REPLY_DONE && session?.parentId) return; // a subagent's turn
    // A subagent's request is the parent session's: that is where the person answers it.
    for (let hops = 0; session?.parentId && hops < 8; hops++) {
      session = this.#opts.session(session.parentId) ?? session;
      if (session.id) sessionId = session.id;
    }
    const settings = this.#opts.settings();
    const muted = kind === Kind.ALERT_KIND_REPLY_DONE
      ? settings.muteReplies
      : settings.muteRequests;
    if (muted || this.#lookingAt(sessionId)) return;
    this.#unseen.add(sessionId);
    const title = titleOf(session);
    this.#opts.send({
      kind,
      sessionId,
      sessionTitle: title,
      badge: this.badge,
      tag: `${kind}-${sessionId}-${++this.#seq}`,
    });
    if ([...this.#windows.values()].some((w) => w.native)) {
      this.#opts.desktop?.show(sessionId, desktopText(kind), title, () => this.#reveal(sessionId));
    }
  }

  /** A desktop notification was clicked: the app's own windows show its session. */
  #reveal(sessionId: string): void {
    for (const [win, w] of this.#windows) if (w.native) this.#opts.reveal?.(win, sessionId);
  }

  /** Sessions on screen in a focused window are looked at: the badge drops them. */
  #looked(): void {
    let changed = false;
    for (const id of this.#unseen) {
      if (!this.#lookingAt(id)) continue;
      this.#unseen.delete(id);
      this.#opts.desktop?.withdraw(id);
      changed = true;
    }
    if (changed) this.#opts.send({ kind: Kind.ALERT_KIND_NONE, badge: this.badge });
  }
}
