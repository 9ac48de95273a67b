// @ts-check
/** The input box: Enter sends, Shift+Enter adds a line; Stop (or Esc) while a reply runs. */
import { useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { abort, notice, send } from "../state/actions.js";
import { activeSessionId, statusOf } from "../state/store.js";

export function Composer() {
  const [text, setText] = useState("");
  const sending = useRef(false);
  const busy = activeSessionId.value ? statusOf(activeSessionId.value) !== "idle" : false;

  const submit = async () => {
    const value = text.trim();
    if (!value || sending.current) return;
    sending.current = true;
    setText("");
    const ok = await send(value);
    sending.current = false;
    if (!ok) setText(value); // keep what they typed: nothing is lost on a failed send
  };

  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    } else if (e.key === "Escape" && busy) {
      e.preventDefault();
      abort();
    }
  };

  return html`
    <form class="composer" onSubmit=${(/** @type {Event} */ e) => {
      e.preventDefault();
      submit();
    }}>
      ${notice.value ? html`<div class="notice" role="alert">${notice.value}</div>` : null}
      <div class="row">
        <textarea aria-label="Message" placeholder="Ask the agent… (Enter to send, Shift+Enter for a new line)"
          rows="3" value=${text}
          onInput=${(/** @type {InputEvent} */ e) =>
            setText(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}
          onKeyDown=${onKeyDown}></textarea>
        <div class="buttons">
          ${busy
            ? html`<button type="button" class="stop" aria-label="Stop" onClick=${abort}>Stop</button>`
            : null}
          <button type="submit" class="send" aria-label="Send" disabled=${!text
            .trim()}>Send</button>
        </div>
      </div>
    </form>
  `;
}
