// @ts-check
/**
 * A token's time left as a person reads it: "23h 59m" above an hour, "4m 12s" below, and a level
 * that says how worried to be: "ok" above five minutes, "soon" at five minutes or less,
 * "expired" at zero. Pure, so the countdown and the send check agree.
 */

/** Below this, the countdown turns amber. */
export const SOON_MS = 5 * 60_000;

/** @typedef {"ok" | "soon" | "expired"} ExpiryLevel */

/** @param {number} leftMs @returns {ExpiryLevel} */
export function expiryLevel(leftMs) {
  if (leftMs <= 0) return "expired";
  return leftMs <= SOON_MS ? "soon" : "ok";
}

/** "2d 3h", "23h 59m", "4m 12s", "12s"; "expired" at zero or less. @param {number} leftMs */
export function formatLeft(leftMs) {
  if (leftMs <= 0) return "expired";
  const s = Math.floor(leftMs / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor(s / 3600) % 24;
  const m = Math.floor(s / 60) % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/**
 * Milliseconds left on a token expiring at `expiresAt` by the core's clock, which said `coreNow`
 * when this page's clock said `receivedAt`; `pageNow` is this page's clock now. The page's own
 * clock may be off (a phone on the LAN): only its progress counts.
 * @param {number} expiresAt @param {number} coreNow @param {number} receivedAt @param {number} pageNow
 */
export function leftMs(expiresAt, coreNow, receivedAt, pageNow) {
  return expiresAt - (coreNow + (pageNow - receivedAt));
}
