// @ts-check
/**
 * Anthropic's subscription as this window knows it: the core's facts (which credential is chosen
 * and live, when the token expires, where it came from, the core's clock) and a clock that ticks
 * each second for the countdown. No token ever reaches the page.
 */
import { computed, signal } from "@preact/signals";
import { expiryLevel, formatLeft, leftMs } from "../lib/expiry.js";
import { AnthropicAuth } from "./words.js";
import { call } from "./actions.js";

/** @typedef {import("../../proto/envelope.js").ipc.SubscriptionStatus.$Properties} Status */

/** The last status from the core, with this page's clock when it came. */
export const subscription = signal(
  /** @type {{ status: Status, receivedAt: number } | null} */ (null),
);

/** This page's clock, a tick a second while a countdown shows (`useClockTick`). */
export const clock = signal(Date.now());

/** @param {Status | null | undefined} status */
export function applySubscription(status) {
  if (!status) return;
  const now = Date.now();
  clock.value = now;
  subscription.value = { status, receivedAt: now };
}

/** Whether the person chose the subscription for Anthropic. */
export const subscriptionChosen = computed(() =>
  AnthropicAuth.word(subscription.value?.status.chosen) === "subscription"
);

/**
 * The countdown of the live OAuth token, or null when there is none: what is left (words) and
 * how worried to be.
 */
export const countdown = computed(() => {
  const s = subscription.value;
  if (!s || !s.status.expiresAt) return null;
  const left = leftMs(s.status.expiresAt, s.status.now ?? s.receivedAt, s.receivedAt, clock.value);
  return { left, text: formatLeft(left), level: expiryLevel(left) };
});

/**
 * Whether a message to `providerId` would go out with an expired subscription token (checked
 * against a fresh clock, not the last tick). @param {string} providerId
 */
export function expiredFor(providerId) {
  clock.value = Date.now();
  return providerId === "anthropic" && subscriptionChosen.value &&
    countdown.value?.level === "expired";
}

/** Asks the core for the status; `reread` re-reads the server's stored tokens. */
export async function loadSubscription(reread = false) {
  const reply = await call({ getSubscription: { reread } });
  applySubscription(reply?.subscriptionStatus);
}
