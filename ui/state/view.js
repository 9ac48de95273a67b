// @ts-check
/**
 * This window's own view state, which no other window shares and the core never sees: whether
 * the history is shown and what it searches for, which dialog is open, which tab is being
 * renamed.
 */
import { signal } from "@preact/signals";
import { focusById } from "../lib/focus.js";

const OPEN_KEY = "opencode-desk.sidebar";

function initiallyOpen() {
  const saved = localStorage.getItem(OPEN_KEY);
  if (saved) return saved === "open";
  return globalThis.innerWidth >= 900;
}

/** Whether the history is shown (remembered per browser profile). */
export const sidebarOpen = signal(initiallyOpen());
/** The history's search text. */
export const query = signal("");
/** The session the person asked to delete; the dialog is open while this is set. */
export const deleting = signal("");
/** The session whose tab shows an inline title editor, if any. */
export const renaming = signal("");
/** Whether the settings dialog is open (window shortcuts pause meanwhile). */
export const settingsOpen = signal(false);

/** Whether the keyboard-shortcut list is open. */
export const shortcutsOpen = signal(false);

/** Shows, hides (`force`) or toggles the history. @param {boolean} [force] */
export function toggleSidebar(force) {
  sidebarOpen.value = force ?? !sidebarOpen.value;
  localStorage.setItem(OPEN_KEY, sidebarOpen.value ? "open" : "closed");
}

/** Opens the history and puts the cursor in its search box. */
export function focusSearch() {
  toggleSidebar(true);
  focusById("session-search");
}

/** Whether the history floats over the chat (a narrow window); see workspace.css. */
/** The width below which the session history is a drawer over the chat (styles/phone.css). */
export const NARROW_QUERY = "(max-width: 720px)";
export const isNarrow = () => globalThis.matchMedia?.(NARROW_QUERY).matches ?? false;

/** Asks the person to confirm deleting a session. @param {string} id */
export function askDelete(id) {
  if (id) deleting.value = id;
}

/** Opens the inline title editor on a tab (F2, double-click, the tab menu). @param {string} id */
export function startRename(id) {
  if (id) renaming.value = id;
}
