// @ts-check
/**
 * The per-launch token arrives in the URL fragment (`#token=…`, never sent to a server). It is
 * moved to sessionStorage and removed from the address bar, so it stays out of history, bookmarks
 * and Referer headers, yet a reload of the same tab still works.
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
  return sessionStorage.getItem(KEY) ?? "";
}
