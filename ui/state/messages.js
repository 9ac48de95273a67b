// @ts-check
/** Facts derived from a transcript's messages and parts: ownership, completion, usage. */
import { transcriptOf } from "./store.js";
import { roleOf } from "./words.js";

/**
 * @typedef {import("./store.js").MessageModel} MessageModel
 * @typedef {import("./store.js").PartModel} PartModel
 * @typedef {{ input: number, output: number, reasoning: number, cacheRead: number, cacheWrite: number, cost: number }} Usage
 */

/** The message a part belongs to, if the store has it. @param {PartModel} part */
export function messageOf(part) {
  const info = part.info.peek();
  return transcriptOf(info.sessionId ?? "").messageIndex.get(info.messageId ?? "");
}

/** Whether a part will not grow any more: it ended, or its message did. @param {PartModel} part */
export function partDone(part) {
  return !!part.info.value.timeEnd || !!messageOf(part)?.info.value.timeCompleted;
}

/** Sums tokens and cost of assistant messages. @param {MessageModel[]} messages @returns {Usage} */
export function usageOf(messages) {
  const u = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0, cost: 0 };
  for (const m of messages) {
    const info = m.info.value;
    if (roleOf(info) !== "assistant") continue;
    const t = info.tokens ?? {};
    u.input += t.input ?? 0;
    u.output += t.output ?? 0;
    u.reasoning += t.reasoning ?? 0;
    u.cacheRead += t.cacheRead ?? 0;
    u.cacheWrite += t.cacheWrite ?? 0;
    u.cost += info.cost ?? 0;
  }
  return u;
}
