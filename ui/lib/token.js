// @ts-check
/**
 * The per-launch token arrives in the URL fragment (`#token=…`, never sent to a server). It is
 * moved to sessionStorage and removed from the address bar, so it stays out of history, bookmarks
 * and Referer headers, yet a reload of the same tab still works. A browser page (not the app's
 * own window, whose token lasts one launch) also keeps it in localStorage, so a bookmark of the
 * app or the installed app opens without the link; revoking the token in the settings ends that.
 */
const KEY = "opencode-desk.token";

/** @returns {string} the token, or "" when this tab was never given one */
export function takeToken() {
  const hash = new URLSearchParams(location.hash.slice(1));
  const fromHash = hash.get("token");
  if (fromHash) {
    sessionStorage.setItem(KEY, fromHash);
    hash.delete("token");
    const rest = hash.toString();
    history.replaceState(null, "", location.pathname + location.search + (rest ? `#${rest}` : ""));
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
