// @ts-check
/**
 * The per-launch token arrives in the URL fragment (`#token=…`, never sent to a server), or after
 * a session's route in a deep link (`#/s/<id>?token=…`, lib/route.js). It is moved to
 * sessionStorage and removed from the address bar, so it stays out of history, bookmarks and
 * Referer headers, yet a reload of the same tab still works; the route stays.
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
  return sessionStorage.getItem(KEY) ?? "";
}
