// @ts-check
/**
 * Where keyboard focus goes after an action: the selected tab, one tab, the message box. Each
 * waits for the next frame, so the element it looks for has been rendered.
 */

/** The DOM id of a tab, for `aria-labelledby` of the panel. @param {string} id */
export const tabDomId = (id) => `tab-${id}`;

/** Moves keyboard focus to the selected tab once the strip has re-rendered. */
export function focusActiveTab() {
  requestAnimationFrame(() => {
    const el = /** @type {HTMLElement | null} */ (
      document.querySelector('[role="tablist"] [role="tab"][aria-selected="true"]')
    );
    el?.focus();
  });
}

/** Moves keyboard focus to one tab once the strip has re-rendered. @param {string} id */
export function focusTab(id) {
  requestAnimationFrame(() => document.getElementById(tabDomId(id))?.focus());
}

/** Focuses the message box (after a new tab opens, for example). */
export function focusComposer() {
  requestAnimationFrame(() => {
    /** @type {HTMLTextAreaElement | null} */ (document.querySelector(".composer textarea"))
      ?.focus();
  });
}

/** Focuses an element by its DOM id once it is rendered. @param {string} domId */
export function focusById(domId) {
  requestAnimationFrame(() => document.getElementById(domId)?.focus());
}
