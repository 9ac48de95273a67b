// @ts-check
/**
 * Relative times for lists ("5 min ago", "yesterday") and the day groups of the session history.
 * `now` ticks every 30 s so every relative time on screen stays true without a reload.
 */
import { signal } from "@preact/signals";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TICK_MS = 30_000;

/** The current time in epoch ms, updated every 30 s while the page is open. */
export const now = signal(Date.now());
setInterval(() => (now.value = Date.now()), TICK_MS);

/** Midnight (local time) of the day that holds `ms`. @param {number} ms */
function startOfDay(ms) {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Whole calendar days between two instants (0: same day, 1: yesterday). @param {number} ms @param {number} at */
function daysBetween(ms, at) {
  return Math.round((startOfDay(at) - startOfDay(ms)) / DAY);
}

/**
 * A short relative time: "just now", "5 min ago", "3 h ago", "yesterday", "Tuesday", "12 Mar",
 * "12 Mar 2023". Times slightly in the future (clock skew) read as "just now".
 * @param {number} ms epoch ms
 * @param {number} [at] the present, epoch ms
 */
export function relativeTime(ms, at = now.value) {
  if (!ms) return "";
  const diff = at - ms;
  if (diff < MINUTE) return "just now";
  if (diff < HOUR) return `${Math.floor(diff / MINUTE)} min ago`;
  const days = daysBetween(ms, at);
  if (days === 0) return `${Math.floor(diff / HOUR)} h ago`;
  if (days === 1) return "yesterday";
  const d = new Date(ms);
  if (days < 7) return d.toLocaleDateString(undefined, { weekday: "long" });
  const sameYear = d.getFullYear() === new Date(at).getFullYear();
  return d.toLocaleDateString(undefined, {
    day: "numeric",
    month: "short",
    ...(sameYear ? {} : { year: "numeric" }),
  });
}

/** The full date and time, for a tooltip. @param {number} ms */
export function fullTime(ms) {
  return ms ? new Date(ms).toLocaleString() : "";
}

/**
 * The history group a time belongs to: "Today", "Yesterday", "Previous 7 days",
 * "Previous 30 days" or "Older".
 * @param {number} ms
 * @param {number} [at]
 */
export function dayGroup(ms, at = now.value) {
  const days = daysBetween(ms, at);
  if (days <= 0) return "Today";
  if (days === 1) return "Yesterday";
  if (days < 7) return "Previous 7 days";
  if (days < 30) return "Previous 30 days";
  return "Older";
}
