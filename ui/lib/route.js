// @ts-check
/**
 * Deep links: the session a window shows is in its address, `#/s/<session id>`, so a reload, a
 * bookmark or a link opens it directly, and Back/Forward move between the sessions shown. A link
 * for a fresh browser carries the launch token after the route, `#/s/<id>?token=…`; lib/token.js
 * takes the token out and leaves the route.
 */
import { effect } from "@preact/signals";

const PREFIX = "#/s/";

/**
 * The page's session history, typed here so this file also checks where no DOM types are loaded
 * (its unit test).
 * @returns {{ pushState(s: null, t: string, u: string): void, replaceState(s: null, t: string, u: string): void }}
 */
const pageHistory = () => Reflect.get(globalThis, "history");
/** OpenCode session ids: `ses_` and letters/digits; anything else in the address is ignored. */
const SESSION_ID = /^ses_[A-Za-z0-9]{1,64}$/;

/**
 * The session the address names, or "".
 * @param {string} [hash] defaults to the page's
 */
export function routedSession(hash = location.hash) {
  if (!hash.startsWith(PREFIX)) return "";
  const id = decodeURIComponent(hash.slice(PREFIX.length).split(/[?/&]/)[0]);
  return SESSION_ID.test(id) ? id : "";
}

/** The address of a session's route (fragment only). @param {string} id */
export const routeOf = (id) => `${PREFIX}${encodeURIComponent(id)}`;

/**
 * Keeps the address on the session shown, and shows the session the address names when the
 * person goes Back or Forward (or edits the fragment). Start it once the linked session (if any)
 * is shown, or the first session shown would replace the link.
 * @param {import("@preact/signals").Signal<string>} shown the session this window shows
 * @param {(id: string) => unknown} open shows a session (opening a tab for it if needed)
 * @returns {() => void} stops following
 */
export function followRoute(shown, open) {
  let following = false;
  const stop = effect(() => {
    const id = shown.value;
    if (!id) {
      // No session shown (the last tab closed): the address no longer names one.
      if (following && routedSession()) {
        pageHistory().replaceState(null, "", location.pathname + location.search);
      }
      return;
    }
    if (routedSession() !== id) {
      const url = location.pathname + location.search + routeOf(id);
      // The first session shown replaces the address it came with; later ones are new entries.
      if (following) pageHistory().pushState(null, "", url);
      else pageHistory().replaceState(null, "", url);
    }
    following = true;
  });
  const onMove = () => {
    const id = routedSession();
    if (id && id !== shown.value) open(id);
  };
  globalThis.addEventListener("popstate", onMove);
  globalThis.addEventListener("hashchange", onMove);
  return () => {
    stop();
    globalThis.removeEventListener("popstate", onMove);
    globalThis.removeEventListener("hashchange", onMove);
  };
}
