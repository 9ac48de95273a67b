// @ts-check
/**
 * The transcript: a `role="log"` region that follows the reply as it streams, unless the person
 * scrolled up to read; then a "Jump to latest" button brings them back.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { transcriptOf } from "../state/store.js";
import { errorText, Message } from "./message.js";

/** @param {{ sessionId: string }} props */
export function Transcript({ sessionId }) {
  const t = transcriptOf(sessionId);
  const ref = useRef(/** @type {HTMLDivElement | null} */ (null));
  const stick = useRef(true);
  const [away, setAway] = useState(false);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Follow growth of any descendant (a token lands in a text node, not in this component).
    const follow = () => {
      if (stick.current) el.scrollTop = el.scrollHeight;
    };
    const mo = new MutationObserver(follow);
    mo.observe(el, { childList: true, subtree: true, characterData: true });
    follow();
    return () => mo.disconnect();
  }, []);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    stick.current = atBottom;
    if (away === atBottom) setAway(!atBottom);
  };

  const jump = () => {
    const el = ref.current;
    if (!el) return;
    stick.current = true;
    el.scrollTop = el.scrollHeight;
    setAway(false);
  };

  const list = t.messages.value;
  const lastError = list.length ? list[list.length - 1].info.value.error : null;
  const err = t.error.value;
  return html`
    <div class="transcript-wrap">
      <div class="transcript" role="log" aria-label="Transcript" aria-live="polite" ref=${ref}
        onScroll=${onScroll} tabindex="0">
        ${list.length === 0 && t.loaded.value
          ? html`<p class="empty">No messages yet. Say hello.</p>`
          : null}
        ${list.map((m) => html`<${Message} key=${m.id} message=${m} />`)}
        ${err && !(lastError && lastError.name === err.name)
          ? html`<div class="error session-error" role="alert">${errorText(err)}</div>`
          : null}
      </div>
      ${away
        ? html`<button class="jump" type="button" onClick=${jump} aria-label="Jump to latest">
          ↓ Latest
        </button>`
        : null}
    </div>
  `;
}
