// @ts-check
/**
 * What the person can do with one of their messages: "Undo to here" and "Fork from here" (shown
 * on hover and on keyboard focus), what its turn changed, and, once undone, the folded row that
 * stands for the undone turns with "Redo" until the next prompt makes the undo permanent.
 */
import { computed } from "@preact/signals";
import { html } from "../lib/html.js";
import { sessionOf } from "../state/indexes.js";
import { statusOf } from "../state/sessions.js";
import { forkFrom, promptText, redoLast, undoTo } from "../state/history_actions.js";
import { transcriptOf } from "../state/store.js";
import { roleOf } from "../state/words.js";
import { TurnChanges } from "./changes_view.js";

/** @typedef {import("../state/store.js").MessageModel} MessageModel */

/**
 * Per session, where it is undone to and whether it is idle, as computed signals: a message
 * re-renders when these change, not whenever the session list does.
 * @type {Map<string, { from: import("@preact/signals").ReadonlySignal<string>, idle: import("@preact/signals").ReadonlySignal<boolean> }>}
 */
const facts = new Map();

/** @param {string} sessionId */
function factsOf(sessionId) {
  let f = facts.get(sessionId);
  if (!f) {
    f = {
      from: computed(() => sessionOf(sessionId)?.revert?.messageId ?? ""),
      idle: computed(() => statusOf(sessionId) === "idle"),
    };
    facts.set(sessionId, f);
  }
  return f;
}

/** The message the session is undone to ("" when nothing is undone). @param {string} sessionId */
export function undoneFrom(sessionId) {
  return factsOf(sessionId).from.value;
}

/** Whether a message is undone (folded away). @param {MessageModel} message */
export function isUndone(message) {
  const from = undoneFrom(message.info.value.sessionId ?? "");
  return !!from && message.id >= from;
}

/** The actions under a user message. @param {{ message: MessageModel }} props */
export function UserMessageActions({ message }) {
  const info = message.info.value;
  const sessionId = info.sessionId ?? "";
  const busy = !factsOf(sessionId).idle.value;
  return html`
    <div class="user-actions">
      <${TurnChanges} message=${message} />
      <span class="user-actions-hover">
        <button type="button" disabled=${busy} onClick=${() => undoTo(sessionId, message.id)}
          aria-label="Undo to here" title="Undo this message and everything after it">
          ↶ Undo to here
        </button>
        <button type="button" onClick=${() => forkFrom(sessionId, message.id)}
          aria-label="Fork from here" title="A new session with the conversation up to here">
          ⑂ Fork from here
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
