// @ts-check
/** The inline title editor of a tab (F2, double-click, the tab menu's Rename). */
import { useEffect, useRef } from "preact/hooks";
import { html } from "../lib/html.js";
import { focusTab } from "../lib/focus.js";
import { renameSession } from "../state/actions.js";
import { renaming } from "../state/view.js";

/** Edits a tab's title in place; Enter or Tab saves, Escape cancels. @param {{ id: string, title: string }} props */
export function TitleEditor({ id, title }) {
  const ref = useRef(/** @type {HTMLInputElement | null} */ (null));
  const done = useRef(false);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  /** @param {boolean} save @param {boolean} [refocus] back to the tab (not after a click away) */
  const finish = async (save, refocus = true) => {
    if (done.current) return;
    done.current = true;
    const value = ref.current?.value.trim() ?? "";
    renaming.value = "";
    if (refocus) focusTab(id);
    if (save && value && value !== title) await renameSession(id, value);
  };
  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    e.stopPropagation();
    if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      finish(true);
    } else if (e.key === "Escape") {
      e.preventDefault();
      finish(false);
    }
  };
  return html`
    <input class="tab-rename" ref=${ref} aria-label="Session title" value=${title}
      maxlength="200" onKeyDown=${onKeyDown} onBlur=${() => finish(true, false)} />
  `;
}
