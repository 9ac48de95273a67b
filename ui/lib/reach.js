// @ts-check
/**
 * This page's end of core/bridge/reach.ts and core/state/notify.ts: it tells the core whether
 * the person can see it (focus, visibility), shows the alerts the core decided on (browser
 * notifications; the app's own window gets desktop ones from the core), keeps the badge in the
 * title and on the installed app's icon, and asks for pairing and for a new token.
 */
import { signal } from "@preact/signals";
import { ipc } from "../../proto/envelope.js";
import { openSession } from "../state/actions.js";
import { keepToken, replaceToken } from "./token.js";
import { nativeWindow } from "./surface.js";
import { registerServiceWorker } from "./pwa.js";

/** @typedef {import("./connection.js").Connection} Connection */

const Kind = ipc.AlertKind;
const TITLE = "OpenCode Desk";
const ASKED_KEY = "opencode-desk.notifications-asked";

/** What the core said about this page (null before the first hello). */
export const reachInfo = signal(/** @type {ipc.Reach.$Properties | null} */ (null));
/** Sessions with something not looked at yet. */
export const badge = signal(0);
/** The browser's notification permission ("unsupported" without the API). */
export const notifyPermission = signal(
  typeof Notification === "undefined" ? "unsupported" : Notification.permission,
);

/** @type {Connection | null} */
let conn = null;

/** Tells the core whether the person can see this page. */
function reportWindowState() {
  conn?.request({
    windowState: {
      focused: document.hasFocus(),
      visible: document.visibilityState === "visible",
    },
  }).catch(() => {}); // a reconnect reports again after its hello
}

/** Called once by ui/main.js. @param {Connection} c */
export function useReachConnection(c) {
  conn = c;
  for (const ev of ["focus", "blur"]) globalThis.addEventListener(ev, reportWindowState);
  document.addEventListener("visibilitychange", reportWindowState);
  // Ask for notifications at the first message sent (a user gesture), never on load.
  document.addEventListener("keydown", (e) => {
    const t = /** @type {HTMLElement | null} */ (e.target);
    if (e.key === "Enter" && t?.closest?.("form.composer")) askOnce();
  }, true);
  document.addEventListener("click", (e) => {
    if (/** @type {HTMLElement | null} */ (e.target)?.closest?.("button.send")) askOnce();
  }, true);
  navigator.serviceWorker?.addEventListener("message", (e) => {
    if (e.data?.type === "open-session" && typeof e.data.sessionId === "string") {
      openSession(e.data.sessionId);
    }
  });
}

/** The core's `Reach` push after every hello. @param {ipc.Reach.$Properties} r */
export function onReach(r) {
  reachInfo.value = r;
  nativeWindow.value = !!r.native;
  if (!r.native) {
    keepToken(); // a browser's bookmark and installed app keep working
    registerServiceWorker(); // installing is for browsers; the app's window needs none
  }
  // The core counts a new window as seen and focused; only say otherwise (no request during the
  // resync that follows every hello).
  if (!document.hasFocus() || document.visibilityState !== "visible") reportWindowState();
}

/** Asks the browser for permission (from a click or key press). */
export async function askNotifications() {
  if (typeof Notification === "undefined" || nativeWindow.value) return;
  localStorage.setItem(ASKED_KEY, "1");
  notifyPermission.value = await Notification.requestPermission();
}

function askOnce() {
  if (typeof Notification === "undefined" || Notification.permission !== "default") return;
  if (nativeWindow.value || localStorage.getItem(ASKED_KEY)) return;
  askNotifications();
}

/** What happened, in words. @param {ipc.AlertKind | null | undefined} kind */
export function alertText(kind) {
  switch (kind) {
    case Kind.ALERT_KIND_REPLY_DONE:
      return "Reply finished";
    case Kind.ALERT_KIND_PERMISSION:
      return "Waiting for your permission";
    case Kind.ALERT_KIND_QUESTION:
      return "Waiting for your answer";
    default:
      return "";
  }
}

/** The core's `Alert` push. @param {ipc.Alert.$Properties} a */
export function onAlert(a) {
  const n = a.badge ?? 0;
  badge.value = n;
  document.title = n ? `(${n}) ${TITLE}` : TITLE;
  const nav =
    /** @type {Navigator & { setAppBadge?: (n: number) => Promise<void>, clearAppBadge?: () => Promise<void> }} */ (navigator);
  (n ? nav.setAppBadge?.(n) : nav.clearAppBadge?.())?.catch(() => {}); // not installed: no badge
  if (a.kind && a.sessionId) notify(a);
}

/** @param {ipc.Alert.$Properties} a */
function notify(a) {
  if (nativeWindow.value) return; // the core shows it on the desktop
  if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
  const title = a.sessionTitle || "Untitled";
  const options = { body: alertText(a.kind), tag: a.tag ?? "", icon: "/ui/icons/icon-192.png" };
  const sessionId = a.sessionId ?? "";
  try {
    const n = new Notification(title, options);
    n.onclick = () => {
      globalThis.focus();
      openSession(sessionId);
      n.close();
    };
  } catch (err) {
    // An installed app on Android has no Notification constructor: its service worker shows it.
    if (!(err instanceof TypeError)) throw err;
    navigator.serviceWorker?.ready.then((reg) =>
      reg.showNotification(title, { ...options, data: { sessionId } })
    );
  }
}

/** The URL another device opens, and its QR code. */
export async function getPairing() {
  if (!conn) throw new Error("Cannot pair: not connected to the app yet");
  const reply = await conn.request({ getPairing: {} });
  return reply.pairing ?? {};
}

/** Makes a new link; every other browser on the old one is dropped. */
export async function revokeToken() {
  if (!conn) throw new Error("Cannot make a new link: not connected to the app yet");
  const reply = await conn.request({ revokeToken: {} });
  const p = reply.pairing ?? {};
  if (p.token) {
    replaceToken(p.token);
    conn.opts.token = p.token;
  }
  return p;
}
