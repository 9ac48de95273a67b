// @ts-check
/**
 * Per session, for the status bar: how full the model's context window is (the last answer's
 * tokens against the model's limit), what the session has cost so far, and a live countdown
 * while the server waits to retry a failed request.
 */
import { useEffect, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { ipc } from "../../proto/envelope.js";
import { formatCost, formatTokens } from "../lib/format.js";
import { transcriptOf } from "../state/store.js";
import { sessionOf } from "../state/indexes.js";
import { contextLimit } from "../state/catalog.js";
import { usageOf } from "../state/messages.js";
import { roleOf } from "../state/words.js";

const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });

/** The context window use and total cost of a session. @param {{ sessionId: string }} props */
export function ContextMeter({ sessionId }) {
  const t = transcriptOf(sessionId);
  const list = t.messages.value;
  let last = null;
  for (let i = list.length - 1; i >= 0 && !last; i--) {
    const info = list[i].info.value;
    if (roleOf(info) === "assistant" && (info.tokens?.input || info.tokens?.output)) last = info;
  }
  const cost = t.loaded.value ? usageOf(list).cost : sessionOf(sessionId)?.cost ?? 0;
  if (!last) {
    return cost
      ? html`<span class="session-cost" title="Session cost">${formatCost(cost)}</span>`
      : null;
  }
  const k = last.tokens ?? {};
  const used = (k.input ?? 0) + (k.output ?? 0) + (k.reasoning ?? 0) + (k.cacheRead ?? 0) +
    (k.cacheWrite ?? 0);
  const limit = contextLimit(last.providerId ?? "", last.modelId ?? "");
  const pct = limit ? Math.min(100, (used / limit) * 100) : 0;
  const pctText = pct && pct < 1 ? "<1%" : `${Math.round(pct)}%`;
  const valueText = limit
    ? `${formatTokens(used)} of ${formatTokens(limit)} tokens (${pctText})`
    : `${formatTokens(used)} tokens`;
  return html`
    <span class="context-meter" data-used=${used} data-limit=${limit}>
      <span role="meter" aria-label="Context window" aria-valuemin="0"
        aria-valuemax=${limit || used} aria-valuenow=${used} aria-valuetext=${valueText}
        title=${`Context window: ${valueText}`} class="meter" data-level=${pct >= 90
          ? "high"
          : pct >= 70
          ? "mid"
          : "low"}>
        ${limit
          ? html`<span class="meter-bar" aria-hidden="true"><span style=${`width:${pct}%`}></span></span>`
          : null}
        <span class="meter-text">${compact.format(used)}${limit
          ? ` / ${compact.format(limit)}`
          : " tokens"}</span>
      </span>
      <span class="session-cost" title="Session cost" data-value=${cost}>${formatCost(cost)}</span>
    </span>
  `;
}

/** "Retrying (attempt 2) in 7s", counting down, while the session waits to retry. */
/** @param {{ sessionId: string }} props */
export function RetryNotice({ sessionId }) {
  const status = sessionOf(sessionId)?.status;
  const retrying = status?.type === ipc.SessionStatusType.SESSION_STATUS_TYPE_RETRY;
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!retrying) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [retrying, status?.next]);
  if (!retrying || !status) return null;
  const left = Math.ceil(((status.next ?? 0) - now) / 1000);
  const when = left > 0 ? `in ${left}s` : "now";
  return html`
    <span class="retry-notice" data-attempt=${status.attempt} title=${status.message || ""}>
      <span class="visually-hidden">Retrying, attempt ${status.attempt}${status.message
        ? `: ${status.message}`
        : ""}</span>
      <span aria-hidden="true">Retrying (attempt ${status.attempt}) ${when}</span>
      ${status.message
        ? html`<span class="retry-reason" aria-hidden="true">${status.message}</span>`
        : null}
    </span>
  `;
}
