// @ts-check
/**
 * The input box: Enter sends, Shift+Enter adds a line; Stop (or Esc) while a reply runs. Below
 * the text, the tab's agent, model and variant (sent with every message). Each tab keeps its own
 * unsent draft.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { abort, notice, send } from "../state/actions.js";
import { activeSessionId, statusOf } from "../state/store.js";
import { AgentPicker, ModelPicker, VariantPicker } from "./pickers.js";

/** Unsent text per session ("" key: no tab open yet). */
const drafts = new Map();
const MAX_HEIGHT_PX = 320;

/** Focuses the input (after a new tab opens, for example). */
export function focusComposer() {
  requestAnimationFrame(() => {
    /** @type {HTMLTextAreaElement | null} */ (document.querySelector(".composer textarea"))
      ?.focus();
  });
}

export function Composer() {
  const id = activeSessionId.value;
  const [text, setTextState] = useState(() => drafts.get(id) ?? "");
  const shownFor = useRef(id);
  /** What the box holds right now (a second Enter before the next render must see it empty). */
  const current = useRef(text);
  const area = useRef(/** @type {HTMLTextAreaElement | null} */ (null));
  const busy = id ? statusOf(id) !== "idle" : false;

  /** @param {string} value @param {string} [forId] */
  const setText = (value, forId = id) => {
    if (value) drafts.set(forId, value);
    else drafts.delete(forId);
    if (forId === shownFor.current) {
      current.current = value;
      setTextState(value);
    }
  };

  // Another tab: show its draft.
  if (shownFor.current !== id) {
    shownFor.current = id;
    const draft = drafts.get(id) ?? "";
    current.current = draft;
    if (draft !== text) setTextState(draft);
  }

  // The window opens with the cursor in the input, ready to type.
  useEffect(() => {
    if (!document.activeElement || document.activeElement === document.body) area.current?.focus();
  }, []);

  // Grow with the text, up to a limit (then it scrolls).
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight + 2, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const submit = async () => {
    const value = current.current.trim();
    const from = id;
    if (!value) return;
    setText("", from);
    const ok = await send(value);
    // Keep what they typed: nothing is lost on a failed send.
    if (!ok && !drafts.get(from)) setText(value, from);
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
      ${notice.value
        ? html`
          <div class="notice" role="alert">
            <span>${notice.value}</span>
            <button type="button" class="icon-button" aria-label="Dismiss"
              onClick=${() => (notice.value = "")}>
              <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
                <path d="M4 4l8 8M12 4l-8 8" />
              </svg>
            </button>
          </div>
        `
        : null}
      <div class="composer-box" onClick=${(/** @type {MouseEvent} */ e) => {
        if (e.target === e.currentTarget) area.current?.focus();
      }}>
        <textarea aria-label="Message" ref=${area} rows="2"
          placeholder="Ask the agent…  (Enter to send, Shift+Enter for a new line)"
          value=${text}
          onInput=${(/** @type {InputEvent} */ e) =>
            setText(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}
          onKeyDown=${onKeyDown}></textarea>
        <div class="composer-bar">
          <${AgentPicker} sessionId=${id} />
          <${ModelPicker} sessionId=${id} />
          <${VariantPicker} sessionId=${id} />
          <span class="spacer"></span>
          ${busy
            ? html`
              <button type="button" class="stop" aria-label="Stop" title="Stop (Esc)"
                onClick=${abort}>
                            <svg viewBox="0 0 16 16" width="10" height="10" aria-hidden="true">
                              <rect x="3" y="3" width="10" height="10" rx="1.5" />
                            </svg>
                            Stop
                          </button>
            `
            : null}
          <button type="submit" class="send" aria-label="Send" title="Send (Enter)"
            disabled=${!text.trim()}>
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <path d="M8 13V3M3.5 7.5L8 3l4.5 4.5" />
            </svg>
          </button>
        </div>
      </div>
    </form>
  `;
}
