// @ts-check
/**
 * The confirmation before deleting a session on the server (`askDelete` opens it): the one place
 * the UI deletes. Focus stays inside while it is open and goes back where it was after.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { focusActiveTab } from "../lib/focus.js";
import { deleteSession, notice } from "../state/actions.js";
import { titleOf } from "../state/sessions.js";
import { deleting } from "../state/view.js";

/** The elements Tab can reach inside a container. @param {HTMLElement} root */
function focusables(root) {
  return /** @type {HTMLElement[]} */ ([
    ...root.querySelectorAll(
      'button:not([disabled]), input:not([disabled]), [href], [tabindex]:not([tabindex="-1"])',
    ),
  ]);
}

/** The confirmation before deleting a session on the server. */
export function DeleteDialog() {
  const id = deleting.value;
  const ref = useRef(/** @type {HTMLDialogElement | null} */ (null));
  const cancelRef = useRef(/** @type {HTMLButtonElement | null} */ (null));
  const returnTo = useRef(/** @type {HTMLElement | null} */ (null));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  useEffect(() => {
    const el = ref.current;
    if (!id || !el) return;
    returnTo.current = /** @type {HTMLElement | null} */ (document.activeElement);
    setError("");
    setBusy(false);
    if (!el.open) el.showModal();
    cancelRef.current?.focus();
  }, [id]);

  if (!id) return null;
  const title = titleOf(id);

  const close = () => {
    deleting.value = "";
    const back = returnTo.current;
    requestAnimationFrame(() => {
      if (back && back.isConnected) back.focus();
      else focusActiveTab();
    });
  };
  const confirm = async () => {
    setBusy(true);
    notice.value = "";
    const ok = await deleteSession(id);
    setBusy(false);
    if (ok) close();
    else setError(notice.value || "The server did not delete the session.");
  };
  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    e.stopPropagation(); // no window shortcuts while the dialog is open
    if (e.key !== "Tab" || !ref.current) return;
    const list = focusables(ref.current);
    if (!list.length) return;
    const first = list[0];
    const last = list[list.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };
  return html`
    <dialog class="dialog" ref=${ref} role="dialog" aria-modal="true"
      aria-labelledby="delete-title" aria-describedby="delete-desc" onKeyDown=${onKeyDown}
      onCancel=${(/** @type {Event} */ e) => {
        e.preventDefault();
        close();
      }}>
      <h2 id="delete-title">Delete “${title}”?</h2>
      <p id="delete-desc">
        The session and all its messages are removed from the OpenCode server, for every app
        that uses it. This cannot be undone.
      </p>
      ${error ? html`<p class="dialog-error" role="alert">${error}</p>` : null}
      <div class="dialog-buttons">
        <button type="button" ref=${cancelRef} onClick=${close}>Cancel</button>
        <button type="button" class="danger-button" disabled=${busy} onClick=${confirm}>
          ${busy ? "Deleting…" : "Delete"}
        </button>
      </div>
    </dialog>
  `;
}
