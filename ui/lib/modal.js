// @ts-check
/**
 * A `<dialog>` shown as a modal while `open` is true: opening remembers where focus was and moves
 * it into the dialog (`focusFirst`); closing gives it back.
 */
import { useEffect, useRef } from "preact/hooks";

/**
 * @param {boolean} open
 * @param {(dialog: HTMLDialogElement) => void} focusFirst
 */
export function useModal(open, focusFirst) {
  const ref = useRef(/** @type {HTMLDialogElement | null} */ (null));
  const returnTo = useRef(/** @type {HTMLElement | null} */ (null));
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      returnTo.current = /** @type {HTMLElement | null} */ (document.activeElement);
      d.showModal();
      focusFirst(d);
    } else if (!open && d.open) {
      d.close();
      returnTo.current?.focus();
    }
  }, [open]);
  return ref;
}
