// @ts-check
/**
 * What a session changed on disk, for review: a dialog listing the files with their +/- counts,
 * each diff opening under its file. For the whole session (read from the core) or for one turn
 * (its user message's diffs, which the transcript already holds). The chip on a user message
 * says what its turn changed and opens the dialog for that turn.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { transcriptOf } from "../state/store.js";
import { changesShown } from "../state/history_store.js";
import { readChanges } from "../state/history_actions.js";
import { titleOf } from "../state/sessions.js";
import { DiffStat, DiffView } from "./diff.js";

/** @typedef {import("../../proto/envelope.js").ipc.FileDiff.$Properties} FileDiff */

/** Opens the Changes dialog. @param {string} sessionId @param {string} [messageId] one turn */
export function showChanges(sessionId, messageId = "") {
  if (sessionId) changesShown.value = { sessionId, messageId };
}

/** @param {FileDiff[]} files */
const totals = (files) => ({
  additions: files.reduce((n, f) => n + (f.additions ?? 0), 0),
  deletions: files.reduce((n, f) => n + (f.deletions ?? 0), 0),
});

/** One changed file; its diff opens under it. @param {{ file: FileDiff }} props */
function FileRow({ file }) {
  const [open, setOpen] = useState(false);
  const name = file.file || "(unnamed)";
  return html`
    <li class="changes-file" data-file=${name} data-status=${file.status || null}>
      <button type="button" class="changes-file-head" aria-expanded=${open ? "true" : "false"}
        onClick=${() => setOpen(!open)}>
        <span class="changes-file-name">${name}</span>
        ${file.status && file.status !== "modified"
          ? html`<span class="changes-file-status">${file.status}</span>`
          : null}
        <${DiffStat} additions=${file.additions ?? 0} deletions=${file.deletions ?? 0} />
      </button>
      ${open
        ? file.patch
          ? html`<${DiffView} text=${file.patch} label=${`Changes to ${name}`} />`
          : html`<p class="changes-note">The server keeps no diff of this file.</p>`
        : null}
    </li>
  `;
}

/** The Changes dialog, while `changesShown` names a session. */
export function ChangesDialog() {
  const shown = changesShown.value;
  const ref = useRef(/** @type {HTMLDialogElement | null} */ (null));
  const returnTo = useRef(/** @type {HTMLElement | null} */ (null));
  const [files, setFiles] = useState(/** @type {FileDiff[] | null} */ (null));
  const [failed, setFailed] = useState(false);
  const sessionId = shown?.sessionId ?? "";
  const messageId = shown?.messageId ?? "";
  useEffect(() => {
    const el = ref.current;
    if (!shown || !el) return;
    returnTo.current = /** @type {HTMLElement | null} */ (document.activeElement);
    if (!el.open) el.showModal();
    setFiles(null);
    setFailed(false);
    if (messageId) {
      const m = transcriptOf(sessionId).messageIndex.get(messageId);
      setFiles(m?.info.value.diffs ?? []);
      return;
    }
    let live = true;
    readChanges(sessionId).then((list) => {
      if (!live) return;
      if (list) setFiles(list);
      else setFailed(true);
    });
    return () => {
      live = false;
    };
  }, [sessionId, messageId]);
  if (!shown) return null;
  const close = () => {
    changesShown.value = null;
    const back = returnTo.current;
    requestAnimationFrame(() => back?.isConnected && back.focus());
  };
  const sum = files ? totals(files) : null;
  const what = messageId ? "this turn" : `“${titleOf(sessionId)}”`;
  return html`
    <dialog class="dialog changes-dialog" ref=${ref} aria-labelledby="changes-title"
      onKeyDown=${(/** @type {KeyboardEvent} */ e) => e.stopPropagation()}
      onCancel=${(/** @type {Event} */ e) => {
        e.preventDefault();
        close();
      }}>
      <div class="changes-title-row">
        <h2 id="changes-title">Changes in ${what}</h2>
        ${sum && files?.length
          ? html`<${DiffStat} additions=${sum.additions} deletions=${sum.deletions} />`
          : null}
      </div>
      ${failed
        ? html`<p class="dialog-error" role="alert">The changes could not be read.</p>`
        : !files
        ? html`<p class="changes-note" role="status">Reading the changes…</p>`
        : !files.length
        ? html`<p class="changes-note" role="status">No file changed.</p>`
        : html`
          <ul class="changes-files" aria-label="Changed files">
            ${files.map((f) => html`<${FileRow} key=${f.file} file=${f} />`)}
          </ul>
        `}
      <div class="dialog-buttons">
        <button type="button" onClick=${close}>Close</button>
      </div>
    </dialog>
  `;
}

/**
 * What a turn changed, on its user message: "2 files +3 −1", opening the dialog for that turn.
 * @param {{ message: import("../state/store.js").MessageModel }} props
 */
export function TurnChanges({ message }) {
  const info = message.info.value;
  const files = info.diffs ?? [];
  if (!files.length) return null;
  const sum = totals(files);
  const n = files.length === 1 ? "1 file" : `${files.length} files`;
  return html`
    <button type="button" class="turn-changes"
      aria-label=${`This turn changed ${n}: ${sum.additions} added, ${sum.deletions} removed. Review`}
      onClick=${() => showChanges(info.sessionId ?? "", info.id ?? "")}>
      <span>${n} changed</span>
      <${DiffStat} additions=${sum.additions} deletions=${sum.deletions} />
    </button>
  `;
}
