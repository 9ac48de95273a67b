// @ts-check
/**
 * The input box: Enter sends, Shift+Enter adds a line; Stop (or Esc) while a reply runs. Below
 * the text, the tab's agent, model and variant (sent with every message). Images come in by
 * paste, drop or the Attach button and wait above the text until sent. Each tab keeps its own
 * unsent draft and images. `/` and `@` open menus, `!` runs a shell command, Up recalls sent
 * prompts (composer_assist.js, state/compose.js).
 */
import { coarsePointer } from "../lib/surface.js";
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { CloseIcon } from "./icons.js";
import { readImages } from "../lib/attach.js";
import { abort, notice } from "../state/actions.js";
import { sendComposed } from "../state/compose.js";
import { useComposerAssist } from "./composer_assist.js";
import { activeSessionId, settings } from "../state/store.js";
import { statusOf } from "../state/sessions.js";
import { currentModel } from "../state/catalog.js";
import { comboLabel } from "../lib/keys.js";
import { AgentPicker } from "./agent_picker.js";
import { ModelPicker } from "./model_picker.js";
import { VariantPicker } from "./variant_picker.js";
import { AttachButton, AttachmentTray } from "./attachments.js";
import { SendKey } from "../state/words.js";
import { VoiceButton } from "./voice_button.js";
import { insertAt } from "../lib/voice/insert.js";

/** @typedef {import("../lib/attach.js").Attachment} Attachment */

/** Unsent text per session ("" key: no tab open yet). */
const drafts = new Map();
/** Unsent images per session. @type {Map<string, Attachment[]>} */
const attached = new Map();
const MAX_HEIGHT_PX = 320;

/** No images: one constant, so an empty tray is the same value from render to render. */
const NONE = /** @type {Attachment[]} */ ([]);

/**
 * One per-tab value of the composer (its draft text, its images), kept in `store` by session id
 * across tab switches. `now` holds what is shown this instant: a second Enter before the next
 * render must already see it cleared. What was typed or attached before any tab existed ("" key)
 * goes along to the first tab.
 * @template T
 * @param {Map<string, T>} store
 * @param {string} id
 * @param {T} empty
 * @param {(v: T) => boolean} isEmpty
 */
function useTabValue(store, id, empty, isEmpty) {
  const [value, setState] = useState(() => store.get(id) ?? empty);
  const now = useRef(value);
  const shownFor = useRef(id);
  if (shownFor.current !== id) {
    if (shownFor.current === "" && id) {
      const early = store.get("");
      if (early !== undefined && !store.has(id)) store.set(id, early);
      store.delete("");
    }
    shownFor.current = id;
    const v = store.get(id) ?? empty;
    now.current = v;
    if (v !== value) setState(v);
  }
  /** @param {T} v @param {string} [forId] */
  const set = (v, forId = id) => {
    if (isEmpty(v)) store.delete(forId);
    else store.set(forId, v);
    if (forId === shownFor.current) {
      now.current = v;
      setState(v);
    }
  };
  return { value, now, set, shownFor };
}

export function Composer() {
  const id = activeSessionId.value;
  const draft = useTabValue(drafts, id, "", (v) => !v);
  const images = useTabValue(attached, id, NONE, (v) => !v.length);
  const text = draft.value;
  const items = images.value;
  const area = useRef(/** @type {HTMLTextAreaElement | null} */ (null));
  const [dragging, setDragging] = useState(false);
  const busy = id ? statusOf(id) !== "idle" : false;
  const assist = useComposerAssist({ id, area, draft, submit: () => submit() });

  /** Reads dropped, pasted or picked files into this tab's images. @param {Iterable<File>} files */
  const attach = async (files) => {
    const forId = id;
    const { added, refused } = await readImages(files, attached.get(forId) ?? NONE);
    if (added.length) images.set([...(attached.get(forId) ?? NONE), ...added], forId);
    if (refused.length) notice.value = refused.join("\n");
    if (forId === images.shownFor.current) area.current?.focus();
  };

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

  /** Dictated text goes in at the cursor of the tab it was spoken for (never sent). */
  const insertVoice = (/** @type {string} */ said, /** @type {string} */ forId) => {
    const el = area.current;
    const shown = forId === draft.shownFor.current && el;
    const current = shown ? draft.now.current : drafts.get(forId) ?? "";
    const start = shown ? el.selectionStart : current.length;
    const end = shown ? el.selectionEnd : current.length;
    const { text: next, caret } = insertAt(current, start, end, said);
    draft.set(next, forId);
    if (shown) {
      requestAnimationFrame(() => {
        el.focus();
        el.setSelectionRange(caret, caret);
      });
    }
  };

  const submit = async () => {
    const value = draft.now.current.trim();
    const sending = images.now.current;
    const from = id;
    if (!value && !sending.length) return;
    draft.set("", from);
    images.set(NONE, from);
    const files = sending.map(({ mime, filename, url }) => ({ mime, filename, url }));
    const ok = await sendComposed(value, files, assist.mentionsFor(value));
    if (ok) assist.clearMentions(from);
    // Keep what they typed and attached: nothing is lost on a failed send.
    if (!ok && !drafts.get(from)) draft.set(value, from);
    if (!ok && !attached.get(from)?.length) images.set(sending, from);
  };

  /** A pasted image is attached; pasted text still goes into the box. @param {ClipboardEvent} e */
  const onPaste = (e) => {
    const files = [...(e.clipboardData?.files ?? [])];
    if (!files.length) return;
    if (!e.clipboardData?.types.includes("text/plain")) e.preventDefault();
    attach(files);
  };

  /** @param {DragEvent} e */
  const onDragOver = (e) => {
    if (!e.dataTransfer?.types.includes("Files")) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    if (!dragging) setDragging(true);
  };
  /** @param {DragEvent} e */
  const onDrop = (e) => {
    setDragging(false);
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    attach(e.dataTransfer.files);
  };
  const model = items.length ? currentModel(id) : null;
  const blind = model && !model.attachment
    ? `${model.name || model.id} does not take images; choose another model to send these.`
    : "";

  // The person's choice: Enter sends (Shift+Enter: new line), or Ctrl/Cmd+Enter sends.
  // On a touch screen the keyboard has no Shift+Enter: Enter makes a new line, Send sends.
  const modEnter = SendKey.word(settings.value.sendKey) === "mod-enter" || coarsePointer();
  const sendCombo = modEnter ? comboLabel("Mod+Enter") : "Enter";
  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    if (assist.onKeyDown(e)) return;
    const mod = e.ctrlKey || e.metaKey;
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && (mod || !modEnter)) {
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
              <${CloseIcon} />
            </button>
          </div>
        `
        : null}
      <div class="composer-box${dragging ? " dragging" : ""}" onClick=${(
        /** @type {MouseEvent} */ e,
      ) => {
        if (e.target === e.currentTarget) area.current?.focus();
      }} onDragOver=${onDragOver} onDragLeave=${() => setDragging(false)} onDrop=${onDrop}>
        ${items.length
          ? html`
            <${AttachmentTray} items=${items} warning=${blind}
              onRemove=${(/** @type {string} */ key) => {
                images.set(items.filter((a) => a.id !== key));
                area.current?.focus();
              }} />
          `
          : null}
        ${assist.popup} ${assist.chips}
        <textarea aria-label="Message" ref=${area} rows="2" ...${assist.aria}
          placeholder=${coarsePointer()
            ? "Ask the agent…"
            : modEnter
            ? `Ask the agent…  (${sendCombo} to send, Enter for a new line)`
            : "Ask the agent…  (Enter to send, Shift+Enter for a new line)"}
          value=${text}
          onInput=${(/** @type {InputEvent} */ e) => {
            draft.set(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value);
            assist.onCaret();
          }}
          onKeyUp=${assist.onCaret} onClick=${assist.onCaret}
          onKeyDown=${onKeyDown} onPaste=${onPaste}></textarea>
        <div class="composer-bar">
          <${AttachButton} onFiles=${attach} />
          <${VoiceButton} sessionId=${id} onText=${insertVoice} />
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
          <button type="submit" class="send" aria-label="Send" title=${`Send (${sendCombo})`}
            disabled=${!text.trim() && !items.length}>
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <path d="M8 13V3M3.5 7.5L8 3l4.5 4.5" />
            </svg>
          </button>
        </div>
      </div>
    </form>
  `;
}
