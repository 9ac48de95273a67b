// @ts-check
/**
 * The subscription token's countdown: "23h 59m", then "4m 12s", then "expired". Green above five
 * minutes, amber under, red once expired, and the words say the same for whoever cannot see the
 * colour. Shown next to the model picker and in the settings while the subscription is chosen.
 */
import { useEffect } from "preact/hooks";
import { html } from "../lib/html.js";
import { clock, countdown, subscriptionChosen } from "../state/subscription.js";

const WORDS = { ok: "", soon: "expires soon", expired: "" };

/** @param {{ compact?: boolean }} props */
export function ExpiryCountdown({ compact = false }) {
  const shown = subscriptionChosen.value && !!countdown.value;
  useEffect(() => {
    if (!shown) return;
    // The clock ticks only while a countdown is on screen.
    const timer = setInterval(() => (clock.value = Date.now()), 1000);
    return () => clearInterval(timer);
  }, [shown]);
  const c = countdown.value;
  if (!subscriptionChosen.value || !c) return null;
  const text = c.level === "expired"
    ? "Subscription token expired"
    : `Subscription token: ${c.text} left${WORDS[c.level] ? `, ${WORDS[c.level]}` : ""}`;
  return html`
    <span class="expiry-countdown" data-level=${c.level} data-compact=${compact ? "true" : "false"}
      role="timer" aria-live="off" aria-label=${text} title=${text}>
      <span class="expiry-dot" aria-hidden="true"></span>
      <span aria-hidden="true">${compact ? c.level === "expired" ? "expired" : c.text : text}</span>
    </span>
  `;
}
