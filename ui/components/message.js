// @ts-check
/**
 * One message and its parts. Text is bound as a signal in text position, so each token patches
 * a single text node without re-rendering this component.
 */
import { html } from "../lib/html.js";

/** @param {{ part: import("../state/store.js").PartModel }} props */
function Part({ part }) {
  const info = part.info.value;
  switch (info.type) {
    case "text":
      if (info.synthetic) return null;
      return html`<div class="part text" data-part-id=${part.id}>${part.text}</div>`;
    case "reasoning":
      return html`
        <details class="part reasoning" data-part-id=${part.id} open=${!info.timeEnd}>
          <summary>Thinking</summary>
          <div class="text">${part.text}</div>
        </details>
      `;
    case "tool": {
      const st = info.state ?? {};
      return html`<div class="part tool" data-part-id=${part.id} data-status=${st.status}>
        <span class="tool-name">${info.tool}</span>
        <span class="tool-status">${st.status}</span>
        ${st.title ? html`<span class="tool-title">${st.title}</span>` : null}
      </div>`;
    }
    case "file":
      return html`<div class="part file" data-part-id=${part.id}>📎 ${
        info.filename || info.mime
      }</div>`;
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
