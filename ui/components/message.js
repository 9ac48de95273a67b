// @ts-check
/**
 * Messages and turns. A user message is one article; an assistant turn (every step of the tool
 * loop is its own message, all with the same parent) is one article holding each step's parts in
 * order, so a reply reads as one. Text is bound as a signal in text position, so each token
 * patches a single text node without re-rendering these components.
 */
import { html } from "../lib/html.js";
import { FilePart } from "./parts/file.js";
import { ReasoningPart } from "./parts/reasoning.js";
import { TextPart } from "./parts/text.js";
import { ToolPart } from "./parts/tool.js";
import { TurnEnd } from "./turn_footer.js";
import { DetachedRequests, QueuedMarker } from "./attention.js";
import { errorText, roleOf } from "../state/words.js";
import { SubagentPart } from "./subagent.js";
import { TodoWritePart } from "./todo_dock.js";
import { isUndone, UndoneRow, UserMessageActions } from "./user_actions.js";

/** @param {{ part: import("../state/store.js").PartModel }} props */
function Part({ part }) {
  switch (part.info.value.type) {
    case "text":
      return html`<${TextPart} part=${part} />`;
    case "reasoning":
      return html`<${ReasoningPart} part=${part} />`;
    case "tool":
      switch (part.info.value.tool) {
        case "task":
          return html`<${SubagentPart} part=${part} />`;
        case "todowrite":
          return html`<${TodoWritePart} part=${part} />`;
        default:
          return html`<${ToolPart} part=${part} />`;
      }
    case "file":
      return html`<${FilePart} part=${part} />`;
    case "compaction":
      return html`<div class="part compaction" role="note" data-part-id=${part.id}>
        Session compacted: the replies after this start from the summary below.
      </div>`;
    default:
      return null; // step-start, step-finish, snapshot, patch: bookkeeping, not content
  }
}

/**
 * @typedef {import("../state/store.js").MessageModel} MessageModel
 * @typedef {number | import("@preact/signals").ReadonlySignal<number>} Count
 */

/**
 * One message. As a step of a turn (`step`) it is part of the turn's article, not one of its own.
 * `pos` and `size` place it among the transcript's rows for assistive technology.
 * @param {{ message: MessageModel, step?: boolean, pos?: number, size?: Count }} props
 */
export function Message({ message, step = false, pos, size }) {
  const info = message.info.value;
  const role = roleOf(info) || "assistant";
  const err = info.error;
  if (!step && isUndone(message)) return html`<${UndoneRow} message=${message} />`;
  return html`
    <article class="message ${role}${step ? " step" : ""}" data-message-id=${message.id}
      data-role=${role} role=${step ? "none" : undefined}
      aria-label=${step ? undefined : role === "user" ? "You" : "Assistant"}
      aria-posinset=${pos} aria-setsize=${size}>
      ${message.parts.value.map((p) => html`<${Part} key=${p.id} part=${p} />`)}
      <${QueuedMarker} message=${message} />
      <${DetachedRequests} message=${message} />
      ${err
        ? html`<div class="error" role="alert" data-error=${err.name}>${errorText(err)}</div>`
        : null}
      ${role === "assistant" ? html`<${TurnEnd} message=${message} />` : null}
      ${role === "user" && !step ? html`<${UserMessageActions} message=${message} />` : null}
    </article>
  `;
}

/**
 * An assistant turn: its messages (the steps of one reply, same parent) as one article.
 * @param {{ messages: MessageModel[], pos?: number, size?: Count }} props
 */
export function Turn({ messages, pos, size }) {
  if (messages[0] && isUndone(messages[0])) return html`<${UndoneRow} message=${messages[0]} />`;
  return html`
    <div class="turn" role="article" aria-label="Assistant" data-turn-id=${messages[0]?.id}
      aria-posinset=${pos} aria-setsize=${size}>
      ${messages.map((m) => html`<${Message} key=${m.id} message=${m} step=${true} />`)}
    </div>
  `;
}
