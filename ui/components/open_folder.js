// @ts-check
/**
 * "Open folder…": a path typed, or picked by walking the folders the core lists (names of
 * sub-directories only, ui/state/projects.js `listDirectory`), opens that project in this window.
 * A path that is not a directory gets the core's sentence, right under the field.
 */
import { signal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { useModal } from "../lib/modal.js";
import { listDirectory, showProject } from "../state/projects.js";

/** Whether the dialog is open. */
export const folderDialogOpen = signal(false);

/** @typedef {import("../../proto/envelope.js").ipc.DirectoryListing.$Properties} DirectoryListing */

/** A path inside a directory. @param {string} dir @param {string} name */
const join = (dir, name) => `${dir === "/" ? "" : dir}/${name}`;

export function OpenFolderDialog() {
  const open = folderDialogOpen.value;
  const input = useRef(/** @type {HTMLInputElement | null} */ (null));
  const ref = useModal(open, () => input.current?.focus());
  const [path, setPath] = useState("");
  const [listing, setListing] = useState(/** @type {DirectoryListing | null} */ (null));
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  /** Bumped by typing: a listing asked for before is not put over what the person typed. */
  const typed = useRef(0);

  /** Lists a folder and puts its path in the field. @param {string} p */
  const browse = async (p) => {
    const asked = typed.current;
    const r = await listDirectory(p);
    if (asked !== typed.current) return;
    if (typeof r === "string") return setError(r);
    setListing(r);
    setPath(r.path ?? "");
    setError("");
  };
  useEffect(() => {
    if (!open) return;
    setError("");
    setBusy(false);
    setListing(null);
    setPath("");
    browse(""); // starts at the project on screen
  }, [open]);

  const close = () => (folderDialogOpen.value = false);
  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    const why = await showProject(path.trim());
    setBusy(false);
    if (why) setError(why);
    else close();
  };
  const dirs = listing?.directories ?? [];
  return html`
    <dialog class="dialog open-folder-dialog" ref=${ref} aria-labelledby="open-folder-title"
      onKeyDown=${(/** @type {KeyboardEvent} */ e) => e.stopPropagation()}
      onCancel=${(/** @type {Event} */ e) => {
        e.preventDefault();
        close();
      }}>
      <h2 id="open-folder-title">Open folder</h2>
      ${open
        ? html`
          <form onSubmit=${submit}>
            <label class="open-folder-field">Folder
              <input type="text" ref=${input} value=${path} spellcheck="false"
                autocomplete="off" aria-invalid=${error ? "true" : "false"}
                aria-describedby=${error ? "open-folder-error" : undefined}
                onInput=${(/** @type {InputEvent} */ e) => {
                  typed.current++;
                  setPath(/** @type {HTMLInputElement} */ (e.currentTarget).value);
                  setError("");
                }} />
            </label>
            ${error
              ? html`<p id="open-folder-error" class="open-folder-error" role="alert">${error}</p>`
              : null}
            <div class="open-folder-nav">
              <button type="button" disabled=${!listing?.parent}
                onClick=${() => browse(listing?.parent ?? "")}>Up</button>
              <button type="button" disabled=${!listing?.home}
                onClick=${() => browse(listing?.home ?? "")}>Home</button>
              <button type="button" disabled=${!path.trim()} onClick=${() => browse(path.trim())}>
                List folders
              </button>
            </div>
            ${listing
              ? html`
                <ul class="open-folder-list" aria-label=${`Folders in ${listing.path}`}>
                  ${dirs.map((name) =>
                    html`
                      <li key=${name}>
                        <button type="button" onClick=${() =>
                          browse(join(listing.path ?? "/", name))}>${name}</button>
                      </li>
                    `
                  )}
                </ul>
                ${!dirs.length ? html`<p class="open-folder-empty">No folders in here.</p>` : null}
                ${listing.truncated
                  ? html`<p class="open-folder-empty">Only the first ${dirs.length} are listed.</p>`
                  : null}
              `
              : null}
            <div class="dialog-buttons">
              <button type="button" onClick=${close}>Cancel</button>
              <button type="submit" disabled=${busy || !path.trim()}>Open</button>
            </div>
          </form>
        `
        : null}
    </dialog>
  `;
}
