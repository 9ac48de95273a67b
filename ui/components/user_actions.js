// @ts-check
/**
 * What the person can do with one of their messages: "Undo to here" and "Fork from here" (shown
 * on hover and on keyboard focus), what its turn changed, and, once undone, the folded row that
 * stands for the undone turns with "Redo" until the next prompt makes the undo permanent.
 */
import { computed } from "@preact/signals";
import { html } from "../lib/html.js";
import { sessionOf } from "../state/indexes.js";
import { forkFrom, promptText, redoLast, undoTo } from "../state/history_actions.js";
import { transcriptOf } from "../state/store.js";
import { roleOf } from "../state/words.js";
import { TurnChanges } from "./changes_view.js";

/** @typedef {import("../state/store.js").MessageModel} MessageModel */

/**
 * Per session, where it is undone to, as a computed signal: a message re-renders when that
 * changes, not whenever the session list does.
 * @type {Map<string, import("@preact/signals").ReadonlySignal<string>>}
 */
const undonePoints = new Map();

/** The message the session is undone to ("" when nothing is undone). @param {string} sessionId */
export function undoneFrom(sessionId) {
  let from = undonePoints.get(sessionId);
  if (!from) {
    from = computed(() => sessionOf(sessionId)?.revert?.messageId ?? "");
    undonePoints.set(sessionId, from);
  }
  return from.value;
}

/** Whether a message is undone (folded away). @param {MessageModel} message */
export function isUndone(message) {
  const from = undoneFrom(message.info.value.sessionId ?? "");
  return !!from && message.id >= from;
}

/**
 * The actions of a user message. The hover buttons' words are drawn by the stylesheet (their
 * names are in aria-label): the message's text stays exactly what the person wrote, and nothing
 * here changes when the session starts or ends a turn, so a new turn touches no earlier row (the
 * core refuses an undo while the agent works, in a sentence).
 * @param {{ message: MessageModel }} props
 */
export function UserMessageActions({ message }) {
  const info = message.info.value;
  const sessionId = info.sessionId ?? "";
  return html`
    <div class="user-actions">
      <${TurnChanges} message=${message} />
      <span class="user-actions-hover">
        <button type="button" class="undo-to" onClick=${() => undoTo(sessionId, message.id)}
          aria-label="Undo to here" title="Undo this message and everything after it"></button>
        <button type="button" class="fork-from" onClick=${() => forkFrom(sessionId, message.id)}
          aria-label="Fork from here" title="A new session with the conversation up to here">
        </button>
      </span>
    </div>
  `;
}

/**
 * The row of an undone message: the first undone one says what was undone and offers Redo; the
 * ones after it take no room.
 * @param {{ message: MessageModel }} props
 */
export function UndoneRow({ message }) {
  const sessionId = message.info.value.sessionId ?? "";
  const from = undoneFrom(sessionId);
  if (message.id !== from) return html`<div class="undone-more" data-undone="true"></div>`;
  const later =
    transcriptOf(sessionId).messages.value.filter((m) =>
      m.id >= from && roleOf(m.info.value) === "user"
    ).length;
  const text = promptText(sessionId, from).split("\n")[0];
  return html`
    <div class="undone" data-undone="true" data-message-id=${message.id} role="note"
      aria-label="Undone">
      <span class="undone-icon" aria-hidden="true">↶</span>
      <span class="undone-text">
        Undone${later > 1 ? ` (${later} messages)` : ""}: <q>${text}</q>
      </span>
      <button type="button" class="undone-redo" onClick=${() => redoLast(sessionId)}
        aria-label="Redo: bring the undone messages and their changes back">Redo</button>
    </div>
  `;
}
