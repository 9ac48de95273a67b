// @ts-check
/**
 * Notices from the core (`AppNotice`: the settings file was set aside, settings cannot be saved),
 * worded here from their kind and fields, shown as banners above the window.
 *
 * Told once: a notice about something that happened (a file set aside, a copy kept) is marked as
 * seen in localStorage the first time it is shown, so no later window or reload shows it again;
 * it stays on screen here until dismissed. A notice about a state that lasts (settings are not
 * being kept) stays visible until dismissed, in every window; a dismissal lasts for this window.
 */
import { signal } from "@preact/signals";
import { ipc } from "../../proto/envelope.js";
import { html } from "../lib/html.js";
import { CloseIcon } from "./icons.js";

/** @typedef {ipc.AppNotice.$Properties} Notice */

const K = ipc.NoticeKind;
const SEEN_KEY = "opencode-desk.notices-seen";
const DISMISSED_KEY = "opencode-desk.notices-dismissed";
const KEEP = 50;

/** @type {import("@preact/signals").Signal<Notice[]>} */
export const shownNotices = signal([]);

/** A notice's identity: kind, path and when it happened. @param {Notice} n */
const keyOf = (n) => `${n.kind}|${n.path}|${n.at}`;

/** @param {Notice} n */
const lasting = (n) =>
  n.kind === K.NOTICE_KIND_SETTINGS_UNSAVED || n.kind === K.NOTICE_KIND_SETTINGS_UNREADABLE;

/** @param {Storage | undefined} store @param {string} name @returns {string[]} */
function readKeys(store, name) {
  try {
    const v = JSON.parse(store?.getItem(name) ?? "[]");
    return Array.isArray(v) ? v.filter((k) => typeof k === "string") : [];
  } catch (err) {
    if (err instanceof SyntaxError) return []; // someone edited it: start over
    throw err;
  }
}

/** @param {Storage | undefined} store @param {string} name @param {string} key */
function addKey(store, name, key) {
  const keys = readKeys(store, name).filter((k) => k !== key);
  store?.setItem(name, JSON.stringify([...keys, key].slice(-KEEP)));
}

/** @param {Notice} n */
function hidden(n) {
  return lasting(n)
    ? readKeys(globalThis.sessionStorage, DISMISSED_KEY).includes(keyOf(n))
    : readKeys(globalThis.localStorage, SEEN_KEY).includes(keyOf(n));
}

/** Shows the notices not yet told (from a Snapshot, or one pushed). @param {Notice[]} list */
export function showNotices(list) {
  const fresh = list.filter((n) =>
    !hidden(n) && !shownNotices.value.some((s) => keyOf(s) === keyOf(n))
  );
  for (const n of fresh) if (!lasting(n)) addKey(globalThis.localStorage, SEEN_KEY, keyOf(n));
  if (fresh.length) shownNotices.value = [...shownNotices.value, ...fresh];
}

/** @param {Notice} n */
function dismiss(n) {
  if (lasting(n)) addKey(globalThis.sessionStorage, DISMISSED_KEY, keyOf(n));
  shownNotices.value = shownNotices.value.filter((s) => keyOf(s) !== keyOf(n));
}

/**
 * A notice in words: a short title and what it means for the person.
 * @param {Notice} n
 * @returns {{ title: string, body: string }}
 */
export function noticeWords(n) {
  const why = n.detail ? ` (${n.detail})` : "";
  switch (n.kind) {
    case K.NOTICE_KIND_SETTINGS_SET_ASIDE:
      return {
        title: "Your settings file could not be read",
        body: `It was kept as ${n.path}${why}, and the app started with default settings ` +
          "and no open tabs. Your changes are saved as usual.",
      };
    case K.NOTICE_KIND_SETTINGS_UNSAVED:
      return {
        title: "Settings will not be kept",
        body: `They cannot be saved to ${n.path}${why}. Changes work until the app closes, ` +
          "then they are lost.",
      };
    case K.NOTICE_KIND_SETTINGS_UNREADABLE:
      return {
        title: "Settings will not be kept",
        body: `${n.path} could not be read${why} and was left as it is. The app started with ` +
          "default settings; changes work until the app closes, then they are lost.",
      };
    case K.NOTICE_KIND_SETTINGS_NEWER_VERSION:
      return {
        title: "Settings from a newer version",
        body: `A newer OpenCode Desk wrote your settings file (${n.detail}). A copy is kept as ` +
          `${n.path}; settings this version does not know are not used.`,
      };
    default:
      return { title: "Notice", body: n.detail ?? "" };
  }
}

/** The banners, newest last; nothing when there is nothing to tell. */
export function Notices() {
  const list = shownNotices.value;
  if (!list.length) return null;
  return html`
    <div class="app-notices">
      ${list.map((n) => {
        const { title, body } = noticeWords(n);
        const id = `app-notice-${String(n.at)}-${n.kind}`;
        return html`
          <div key=${keyOf(n)} class="app-notice" role=${lasting(n) ? "alert" : "status"}
            aria-labelledby=${id} data-kind=${lasting(n) ? "lasting" : "once"}>
            <div class="app-notice-text">
              <strong id=${id}>${title}</strong>
              <span>${body}</span>
            </div>
            <button type="button" class="icon-button" aria-label=${`Dismiss: ${title}`}
              onClick=${() => dismiss(n)}>
              <${CloseIcon} />
            </button>
          </div>
        `;
      })}
    </div>
  `;
}
