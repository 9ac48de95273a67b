// @ts-check
/**
 * The quiet line under an assistant turn: tokens in, out, reasoning, cache, and cost, summed over
 * the turn's assistant messages (each step of a tool loop is its own message, same parent).
 */
import { computed } from "@preact/signals";
import { useMemo } from "preact/hooks";
import { html } from "../lib/html.js";
import { formatCost, formatTokens } from "../lib/format.js";
import { transcriptOf } from "../state/store.js";
import { usageOf } from "../state/messages.js";
import { roleOf } from "../state/words.js";

/**
 * @typedef {import("../state/store.js").MessageModel} MessageModel
 * @typedef {import("../state/store.js").TranscriptModel} TranscriptModel
 */

/** Tokens and cost of one assistant turn. @param {{ messages: MessageModel[] }} props */
export function TurnFooter({ messages }) {
  const u = usageOf(messages);
  if (!u.input && !u.output && !u.reasoning && !u.cacheRead && !u.cacheWrite && !u.cost) {
    return null; // e.g. stopped before the model answered: nothing to account for
  }
  /** @param {string} key @param {number} n @param {string} label @param {boolean} [always] */
  const item = (key, n, label, always = false) =>
    n || always
      ? html`<span class="usage" data-usage=${key} data-value=${n}>${
        formatTokens(n)
      } ${label}</span>`
      : null;
  return html`
    <div class="turn-footer" role="note" aria-label="Turn usage">
      ${item("input", u.input, "in", true)} ${item("output", u.output, "out", true)}
      ${item("reasoning", u.reasoning, "reasoning")} ${item(
        "cache-read",
        u.cacheRead,
        "cache read",
      )}
      ${item("cache-write", u.cacheWrite, "cache write")}
      <span class="usage cost" data-usage="cost" data-value=${u
        .cost} title="Cost of this turn">${formatCost(u.cost)}</span>
    </div>
  `;
}

/** @type {WeakMap<TranscriptModel, import("@preact/signals").ReadonlySignal<Map<string, number>>>} */
const positions = new WeakMap();

/** Message id -> index in its transcript, recomputed once per list change. @param {TranscriptModel} t */
function positionsOf(t) {
  let p = positions.get(t);
  if (!p) {
    p = computed(() => new Map(t.messages.value.map((m, i) => [m.id, i])));
    positions.set(t, p);
  }
  return p;
}

/**
 * The ids of the turn `message` completes ("" when it does not end one): it is a completed
 * assistant message and the next message is not another step of the same turn.
 * @param {MessageModel} message
 */
function turnEndingAt(message) {
  const info = message.info.value;
  if (roleOf(info) !== "assistant" || !info.timeCompleted) return "";
  const t = transcriptOf(info.sessionId ?? "");
  const i = positionsOf(t).value.get(message.id);
  if (i === undefined) return "";
  const list = t.messages.value;
  const next = list[i + 1]?.info.value;
  if (roleOf(next) === "assistant" && next.parentId === info.parentId) return "";
  const ids = [message.id];
  for (let j = i - 1; j >= 0; j--) {
    const m = list[j].info.value;
    if (roleOf(m) !== "assistant" || m.parentId !== info.parentId) break;
    ids.unshift(list[j].id);
  }
  return ids.join(" ");
}

/**
 * Placed after every assistant message; shows the turn's footer when this message ends the turn.
 * Re-renders only when that answer changes, not when other messages do.
 * @param {{ message: MessageModel }} props
 */
export function TurnEnd({ message }) {
  const ids = useMemo(() => computed(() => turnEndingAt(message)), [message]).value;
  if (!ids) return null;
  const index = transcriptOf(message.info.peek().sessionId ?? "").messageIndex;
  const messages = ids.split(" ").map((id) => index.get(id)).filter((m) => !!m);
  return html`<${TurnFooter} messages=${/** @type {MessageModel[]} */ (messages)} />`;
}
