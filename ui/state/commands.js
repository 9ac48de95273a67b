// @ts-check
/**
 * Every action of the app by name: one list that the command palette (components/palette.js) and
 * the composer's `/` menu both show. An entry is `{ id, title, keys?, slash?, run }`: `keys` is
 * its shortcut as components/app.js binds it (shown next to the title), `slash` the name it has
 * after `/` in the message box. Adding an action is one more entry (`addCommands`). Also the
 * server's own commands (`GET /command`: init, review, the project's `.opencode/command/`), read
 * through the core when a menu opens.
 */
import { signal } from "@preact/signals";
import { focusComposer } from "../lib/focus.js";
import { call, closeTab, newSession, notice, saveSettings } from "./actions.js";
import { compact, exportMarkdown, forkFrom, redoLast, share, undoLast } from "./history_actions.js";
import { activeSessionId, transcriptOf } from "./store.js";
import { focusSearch, settingsOpen, shortcutsOpen, toggleSidebar } from "./view.js";
import { roleOf, Theme } from "./words.js";

/**
 * @typedef {{
 *   id: string,
 *   title: string,
 *   keys?: string,
 *   slash?: string,
 *   run: () => unknown,
 * }} AppCommand
 * @typedef {import("../../proto/envelope.js").ipc.CommandInfo.$Properties} ServerCommand
 */

/** Opens one of the composer's pickers, as a click on it would. @param {string} which */
function openPicker(which) {
  const button = /** @type {HTMLElement | null} */ (
    document.querySelector(`.composer .${which}-picker .picker-button`)
  );
  button?.click();
}

/** The text of the last reply in the session shown, to the clipboard. */
async function copyLastReply() {
  const id = activeSessionId.value;
  const last = id
    ? transcriptOf(id).messages.value.findLast((m) => roleOf(m.info.value) === "assistant")
    : undefined;
  const text = (last?.parts.value ?? [])
    .filter((p) => p.info.value.type === "text" && !p.info.value.synthetic)
    .map((p) => p.text.value).join("\n\n").trim();
  if (!text) {
    notice.value = "Cannot copy the last reply: there is none in this session yet.";
    return;
  }
  try {
    await navigator.clipboard.writeText(text);
  } catch (err) {
    notice.value = `Cannot copy the last reply: ${err instanceof Error ? err.message : err}`;
  }
}

/** @param {"system" | "light" | "dark"} word */
const setTheme = (word) => saveSettings({ theme: Theme.value(word) });

/**
 * Runs a session action on the session shown, or says there is none.
 * @param {string} what @param {(id: string) => unknown} action
 */
function onShown(what, action) {
  return () => {
    const id = activeSessionId.value;
    if (id) return action(id);
    notice.value = `Cannot ${what}: no session is shown.`;
  };
}

/** @type {AppCommand[]} */
const list = [
  {
    id: "new-tab",
    title: "New session",
    keys: "Mod+T",
    slash: "new",
    run: () => newSession().then((id) => id && focusComposer()),
  },
  {
    id: "close-tab",
    title: "Close tab",
    keys: "Mod+W",
    run: () => activeSessionId.value && closeTab(activeSessionId.value),
  },
  { id: "pick-model", title: "Pick model…", slash: "model", run: () => openPicker("model") },
  { id: "pick-agent", title: "Pick agent…", slash: "agent", run: () => openPicker("agent") },
  {
    id: "settings",
    title: "Settings",
    keys: "Mod+,",
    slash: "settings",
    run: () => (settingsOpen.value = true),
  },
  {
    id: "shortcuts",
    title: "Keyboard shortcuts",
    keys: "?",
    slash: "keys",
    run: () => (shortcutsOpen.value = true),
  },
  { id: "theme-light", title: "Theme: light", run: () => setTheme("light") },
  { id: "theme-dark", title: "Theme: dark", run: () => setTheme("dark") },
  { id: "theme-system", title: "Theme: as the system", run: () => setTheme("system") },
  { id: "undo", title: "Undo last turn", slash: "undo", run: onShown("undo", undoLast) },
  { id: "redo", title: "Redo", slash: "redo", run: onShown("redo", redoLast) },
  {
    id: "fork",
    title: "Fork session into a new tab",
    slash: "fork",
    run: onShown("fork", (id) => forkFrom(id, "")),
  },
  { id: "compact", title: "Compact session", slash: "compact", run: onShown("compact", compact) },
  { id: "share", title: "Share session (copy link)", slash: "share", run: onShown("share", share) },
  {
    id: "export",
    title: "Export session as Markdown",
    slash: "export",
    run: onShown("export", exportMarkdown),
  },
  { id: "copy-last-reply", title: "Copy last reply", slash: "copy", run: copyLastReply },
  { id: "search-sessions", title: "Search session history", run: () => focusSearch() },
  {
    id: "toggle-sidebar",
    title: "Show or hide session history",
    keys: "Mod+B",
    run: () => toggleSidebar(),
  },
];

/** Every action of the app, in the order the palette lists them. */
export const appCommands = signal(list);

/** Adds actions (e.g. undo, fork); an entry with an id already listed replaces it. @param {AppCommand[]} more */
export function addCommands(...more) {
  const ids = new Set(more.map((c) => c.id));
  appCommands.value = [...appCommands.value.filter((c) => !ids.has(c.id)), ...more];
}

/** The server's commands, as last read. @type {import("@preact/signals").Signal<ServerCommand[]>} */
export const serverCommands = signal([]);
let readAt = -Infinity;
/** @type {Promise<void> | null} */
let reading = null;
/** How long a read list is fresh enough for another menu. */
const FRESH_MS = 10_000;

/**
 * Reads the server's commands through the core, unless they were read moments ago (a project
 * command added meanwhile shows the next time a menu opens).
 * @param {boolean} [force]
 */
export function loadServerCommands(force = false) {
  if (reading) return reading;
  if (!force && performance.now() - readAt < FRESH_MS) return Promise.resolve();
  reading = call({ listCommands: {} }).then((reply) => {
    if (reply?.commands) {
      serverCommands.value = reply.commands.commands ?? [];
      readAt = performance.now();
    }
  }).finally(() => (reading = null));
  return reading;
}
