// @ts-check
/**
 * One message and its parts. Text is bound as a signal in text position, so each token patches
 * a single text node without re-rendering this component.
 */
import { html } from "../lib/html.js";
import { FilePart } from "./parts/file.js";
import { ReasoningPart } from "./parts/reasoning.js";
import { TextPart } from "./parts/text.js";
import { ToolPart } from "./parts/tool.js";

/** @param {{ part: import("../state/store.js").PartModel }} props */
function Part({ part }) {
  switch (part.info.value.type) {
    case "text":
      return html`<${TextPart} part=${part} />`;
    case "reasoning":
      return html`<${ReasoningPart} part=${part} />`;
    case "tool":
      return html`<${ToolPart} part=${part} />`;
    case "file":
      return html`<${FilePart} part=${part} />`;
    default:
      return null; // step-start, step-finish, snapshot, patch: bookkeeping, not content
  }
}

/** @param {import("../../proto/envelope.js").ipc.ErrorInfo.$Properties} e */
export function errorText(e) {
  if (e.name === "MessageAbortedError") return "Stopped.";
  const code = e.statusCode ? ` (${e.statusCode})` : "";
  return `${e.name}${code}: ${e.message}`;
}

/** @param {{ message: import("../state/store.js").MessageModel }} props */
export function Message({ message }) {
  const info = message.info.value;
  const role = info.role || "assistant";
  const err = info.error;
  return html`
    <article class="message ${role}" data-message-id=${message.id} data-role=${role}
      aria-label=${role === "user" ? "You" : "Assistant"}>
      ${message.parts.value.map((p) => html`<${Part} key=${p.id} part=${p} />`)}
      ${err
        ? html`<div class="error" role="alert" data-error=${err.name}>${errorText(err)}</div>`
        : null}
    </article>
  `;
}
