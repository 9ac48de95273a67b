// @ts-check
/** Numbers and durations as a person reads them: tokens, dollars, context sizes, elapsed time. */

const count = new Intl.NumberFormat();

/** "1,234" in the person's locale. @param {number} n */
export function formatTokens(n) {
  return count.format(Math.round(n));
}

/** "$0.00", "$0.0042", "$1.37". @param {number} usd */
export function formatCost(usd) {
  const digits = usd !== 0 && Math.abs(usd) < 0.01 ? 4 : 2;
  return `$${usd.toFixed(digits)}`;
}

/** "128k", "1M": a context window at a glance. @param {number} n */
export function tokensShort(n) {
  if (!n) return "";
  if (n >= 1_000_000) return `${+(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1000) return `${Math.round(n / 1000)}k`;
  return String(n);
}

/**
 * How long something took ("420 ms", "2.5 s", "1 min 5 s"), or, `live`, how long it has been
 * running, in whole seconds.
 * @param {number} ms @param {boolean} live
 */
export function formatDuration(ms, live) {
  const s = Math.max(0, ms) / 1000;
  if (live) {
    return s < 60 ? `${Math.floor(s)} s` : `${Math.floor(s / 60)} min ${Math.floor(s % 60)} s`;
  }
  if (s < 1) return `${Math.round(ms)} ms`;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
