// @ts-check
/**
 * What waits. For the person: the global indicator in the top bar (how many permissions and
 * questions are pending in every session; its button opens the session of the oldest one and
 * focuses it) and the requests that match no tool block on screen (shown after their message, or
 * at the end of the transcript). For the agent: the "Queued" marker of a prompt sent while the
 * previous turn still runs (the server answers it after that turn).
 */
import { html } from "../lib/html.js";
import { openSession } from "../state/actions.js";
import { transcriptOf } from "../state/store.js";
import { pendingOf, sessionOf } from "../state/indexes.js";
import { pendingOldestFirst, statusOf } from "../state/sessions.js";
import { PermissionRequest } from "./permission.js";
import { QuestionRequest } from "./question.js";
import { roleOf } from "../state/words.js";

/** @typedef {import("../../proto/envelope.js").ipc.Permission.$Properties} Permission */
/** @typedef {import("../../proto/envelope.js").ipc.Question.$Properties} Question */
/** @typedef {import("../state/store.js").MessageModel} MessageModel */

/** Focuses a request once it is on screen (the transcript may still be loading). @param {string} id */
function focusRequest(id) {
  const until = performance.now() + 3000;
  const attempt = () => {
    const el = document.querySelector(`[data-request-id="${CSS.escape(id)}"]`);
    if (el instanceof HTMLElement) {
      const first = el.matches(".question") ? el.querySelector("input") : null;
      (first ?? el).focus();
      el.scrollIntoView({ block: "nearest" });
    } else if (performance.now() < until) requestAnimationFrame(attempt);
  };
  attempt();
}

/** The top bar's count of requests waiting for the person, in any session. */
export function Attention() {
  const list = pendingOldestFirst();
  const n = list.length;
  const oldest = list[0];
  const title = oldest ? sessionOf(oldest.sessionId)?.title || "a session" : "";
  // The name starts with what the button shows ("2 waiting"), then says what it does.
  const words = n === 1 ? "a request waits for you" : "requests wait for you";
  return html`
    <div class="attention-wrap">
      ${oldest
        ? html`
          <button type="button" class="attention" data-count=${n}
            aria-label=${`${n} waiting, ${words}: open the oldest, in ${title}`}
            title=${`Open the oldest request, in ${title}`}
            onClick=${async () => {
              await openSession(oldest.sessionId);
              focusRequest(oldest.id);
            }}>
            <span class="attention-icon" aria-hidden="true">!</span>
            <span class="attention-count">${n}</span>${" "}<span class="attention-text">waiting</span>
          </button>
        `
        : null}
    </div>
  `;
}

/**
 * Whether a request belongs to a tool block of its message (then the block shows it).
 * @param {MessageModel | undefined} m @param {string} callId
 */
function hasTool(m, callId) {
  return !!callId &&
    !!m?.parts.value.some((p) => p.info.value.type === "tool" && p.info.value.callId === callId);
}

/**
 * The requests of a message's session that no tool block shows: those of this message, and, after
 * the last message, those whose message is not on screen.
 * @param {{ message: MessageModel }} props
 */
export function DetachedRequests({ message }) {
  const sessionId = message.info.value.sessionId ?? "";
  const pending = pendingOf(sessionId);
  const mine = [
    ...pending.permissions.map((r) => ({ r, permission: /** @type {Permission | null} */ (r) })),
    ...pending.questions.map((r) => ({ r, permission: null })),
  ];
  if (!sessionId || !mine.length) return null;
  const t = transcriptOf(sessionId);
  const list = t.messages.value;
  const last = list[list.length - 1]?.id === message.id;
  const shown = mine.filter(({ r }) => {
    const owner = t.messageIndex.get(r.messageId ?? "");
    if (owner) return owner.id === message.id && !hasTool(owner, r.callId ?? "");
    return last;
  });
  if (!shown.length) return null;
  return html`
    <div class="detached-requests">
      ${shown.map(({ r, permission }) =>
        permission
          ? html`<${PermissionRequest} key=${r.id} permission=${permission} />`
          : html`<${QuestionRequest} key=${r.id} question=${r} />`
      )}
    </div>
  `;
}

/**
 * Whether a user message waits behind a turn still running: the session is busy, nothing answers
 * it yet, and the turn before it had not finished when it was sent.
 * @param {MessageModel} message
 */
export function isQueued(message) {
  const info = message.info.value;
  if (roleOf(info) !== "user" || !info.sessionId || statusOf(info.sessionId) === "idle") {
    return false;
  }
  const list = transcriptOf(info.sessionId).messages.value;
  const at = list.indexOf(message);
  if (at < 0) return false;
  if (list.slice(at + 1).some((m) => roleOf(m.info.value) === "assistant")) return false;
  const before = list.slice(0, at).findLast((m) => roleOf(m.info.value) === "assistant")?.info
    .value;
  if (!before) return false;
  const sent = info.timeCreated ?? 0;
  return !before.timeCompleted || before.timeCompleted > sent;
}

/** "Queued" on a prompt the server will answer after the running turn. @param {{ message: MessageModel }} props */
export function QueuedMarker({ message }) {
  if (!isQueued(message)) return null;
  return html`
    <div class="queued-marker" data-queued="true">
      <span class="queued-icon" aria-hidden="true">⏳</span>
      <span class="queued-label">Queued</span>
      <span class="queued-note">· runs after the current reply</span>
    </div>
  `;
}
