// @ts-check
/**
 * The input box: Enter sends, Shift+Enter adds a line; Stop (or Esc) while a reply runs. Below
 * the text, the tab's agent, model and variant (sent with every message). Images come in by
 * paste, drop or the Attach button and wait above the text until sent. Each tab keeps its own
 * unsent draft and images.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { CloseIcon } from "./icons.js";
import { readImages } from "../lib/attach.js";
import { abort, notice, send } from "../state/actions.js";
import { activeSessionId, settings, statusOf } from "../state/store.js";
import { comboLabel } from "../lib/keys.js";
import { AgentPicker, currentModel, ModelPicker, VariantPicker } from "./pickers.js";
import { AttachButton, AttachmentTray } from "./attachments.js";

/** @typedef {import("../lib/attach.js").Attachment} Attachment */

/** Unsent text per session ("" key: no tab open yet). */
const drafts = new Map();
/** Unsent images per session. @type {Map<string, Attachment[]>} */
const attached = new Map();
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
  const [items, setItemsState] = useState(() => attached.get(id) ?? []);
  const currentItems = useRef(items);
  const [dragging, setDragging] = useState(false);
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

  /** @param {Attachment[]} value @param {string} [forId] */
  const setItems = (value, forId = id) => {
    if (value.length) attached.set(forId, value);
    else attached.delete(forId);
    if (forId === shownFor.current) {
      currentItems.current = value;
      setItemsState(value);
    }
  };

  // Another tab: show its draft. What was typed or attached before any tab existed goes along
  // to the first one.
  if (shownFor.current !== id) {
    if (shownFor.current === "" && id) {
      if (!drafts.has(id) && drafts.has("")) drafts.set(id, drafts.get(""));
      if (!attached.has(id) && attached.has("")) attached.set(id, attached.get("") ?? []);
      drafts.delete("");
      attached.delete("");
    }
    shownFor.current = id;
    const draft = drafts.get(id) ?? "";
    current.current = draft;
    if (draft !== text) setTextState(draft);
    const images = attached.get(id) ?? [];
    currentItems.current = images;
    if (images !== items) setItemsState(images);
  }

  /** Reads dropped, pasted or picked files into this tab's images. @param {Iterable<File>} files */
  const attach = async (files) => {
    const forId = id;
    const { added, refused } = await readImages(files, attached.get(forId) ?? []);
    if (added.length) setItems([...(attached.get(forId) ?? []), ...added], forId);
    if (refused.length) notice.value = refused.join("\n");
    if (forId === shownFor.current) area.current?.focus();
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

  const submit = async () => {
    const value = current.current.trim();
    const images = currentItems.current;
    const from = id;
    if (!value && !images.length) return;
    setText("", from);
    setItems([], from);
    const files = images.map(({ mime, filename, url }) => ({ mime, filename, url }));
    const ok = await send(value, files);
    // Keep what they typed and attached: nothing is lost on a failed send.
    if (!ok && !drafts.get(from)) setText(value, from);
    if (!ok && !attached.get(from)?.length) setItems(images, from);
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
  const modEnter = settings.value.sendKey === "mod-enter";
  const sendCombo = modEnter ? comboLabel("Mod+Enter") : "Enter";
  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
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
                setItems(items.filter((a) => a.id !== key));
                area.current?.focus();
              }} />
          `
          : null}
        <textarea aria-label="Message" ref=${area} rows="2"
          placeholder=${modEnter
            ? `Ask the agent…  (${sendCombo} to send, Enter for a new line)`
            : "Ask the agent…  (Enter to send, Shift+Enter for a new line)"}
          value=${text}
          onInput=${(/** @type {InputEvent} */ e) =>
            setText(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}
          onKeyDown=${onKeyDown} onPaste=${onPaste}></textarea>
        <div class="composer-bar">
          <${AttachButton} onFiles=${attach} />
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
