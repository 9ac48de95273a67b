// @ts-check
/**
 * The per-launch token arrives in the URL fragment (`#token=…`, never sent to a server), or after
 * a session's route in a deep link (`#/s/<id>?token=…`, lib/route.js). It is moved to
 * sessionStorage and removed from the address bar, so it stays out of history, bookmarks and
 * Referer headers, yet a reload of the same tab still works; the route stays. A browser page (not
 * the app's own window, whose token lasts one launch) also keeps it in localStorage, so a bookmark
 * of the app or the installed app opens without the link; revoking the token in the settings ends
 * that.
 */
const KEY = "opencode-desk.token";

/** @returns {string} the token, or "" when this tab was never given one */
export function takeToken() {
  const raw = location.hash.slice(1);
  const q = raw.indexOf("?");
  const route = raw.startsWith("/") ? (q < 0 ? raw : raw.slice(0, q)) : "";
  const hash = new URLSearchParams(raw.startsWith("/") ? (q < 0 ? "" : raw.slice(q + 1)) : raw);
  const fromHash = hash.get("token");
  if (fromHash) {
    sessionStorage.setItem(KEY, fromHash);
    hash.delete("token");
    const rest = hash.toString();
    const fragment = route ? `#${route}${rest ? `?${rest}` : ""}` : rest ? `#${rest}` : "";
    history.replaceState(null, "", location.pathname + location.search + fragment);
    return fromHash;
  }
  return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY) ?? "";
}

/** Keeps this page's token for later visits (a browser page, once the core said so). */
export function keepToken() {
  const token = sessionStorage.getItem(KEY);
  if (token) localStorage.setItem(KEY, token);
}

/** The core made a new token and gave it to this page. @param {string} token */
export function replaceToken(token) {
  sessionStorage.setItem(KEY, token);
  if (localStorage.getItem(KEY)) localStorage.setItem(KEY, token);
}
