// @ts-check
/**
 * The whole window: the session history on the left; tabs, transcript and input on the right;
 * the status bar below. Also the window-wide keyboard shortcuts.
 */
import { useEffect } from "preact/hooks";
import { html } from "../lib/html.js";
import { comboLabel, installShortcuts } from "../lib/keys.js";
import { BROWSER_FORMS } from "../lib/surface.js";
import { focusActiveTab, focusComposer, tabDomId } from "../lib/focus.js";
import { closeTab, newSession, openSession } from "../state/actions.js";
import { activeSessionId, workspace } from "../state/store.js";
import { titleOf } from "../state/sessions.js";
import {
  deleting,
  settingsOpen,
  shortcutsOpen,
  sidebarOpen,
  startRename,
  toggleSidebar,
} from "../state/view.js";
import { Announcer } from "./announcer.js";
import { Attention } from "./attention.js";
import { Composer } from "./composer.js";
import { Notices } from "./notices.js";
import { Palette, PALETTE_KEYS, togglePalette } from "./palette.js";
import { ServerQuestion } from "./server_question.js";
import { DeleteDialog } from "./delete_dialog.js";
import { Sidebar } from "./sidebar.js";
import { installHelpKey, ShortcutsDialog } from "./shortcuts_dialog.js";
import { SettingsButton, SettingsDialog } from "./settings.js";
import { StatusBar } from "./status_bar.js";
import { Tabs } from "./tabs.js";
import { Transcript } from "./transcript.js";
import { SessionBar } from "./session_bar.js";
import { TodoDock } from "./todo_dock.js";
import { ChangesDialog } from "./changes_view.js";
import { useDrawer } from "./drawer.js";
import { InsecureNote } from "./insecure_note.js";
import { PairButton, PairDialog, pairOpen } from "./pair_dialog.js";
import { SessionSwitcher } from "./session_switcher.js";
import { StaleToken } from "./stale_token.js";

/** @returns {string[]} */
const tabIds = () => (workspace.value.tabs ?? []).map((t) => t.sessionId ?? "");

/** Shows the tab `by` places from the active one (wrapping). @param {number} by */
function cycleTabs(by) {
  const ids = tabIds();
  if (!ids.length) return;
  const at = ids.indexOf(activeSessionId.value);
  switchTo(ids[(at + by + ids.length) % ids.length]);
}

/** Shows a tab; keyboard focus follows when it was on the tab strip. @param {string | undefined} id */
function switchTo(id) {
  if (!id) return;
  const onStrip = !!document.activeElement?.closest('[role="tablist"]');
  openSession(id);
  if (onStrip) focusActiveTab();
}

/** @type {import("../lib/keys.js").Binding[]} */
const BINDINGS = [
  { combo: "Mod+T", run: () => newSession().then((id) => id && focusComposer()) },
  {
    combo: "Mod+W",
    run: () => {
      const id = activeSessionId.value;
      if (!id) return;
      const onStrip = !!document.activeElement?.closest('[role="tablist"]');
      closeTab(id).then(() => onStrip && focusActiveTab());
    },
  },
  { combo: "Ctrl+Tab", run: () => cycleTabs(1) },
  { combo: "Ctrl+Shift+Tab", run: () => cycleTabs(-1) },
  { combo: "Ctrl+PageDown", run: () => cycleTabs(1) },
  { combo: "Ctrl+PageUp", run: () => cycleTabs(-1) },
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({
    combo: `Mod+${n}`,
    run: () => switchTo(tabIds()[n - 1]),
  })),
  { combo: "Mod+9", run: () => switchTo(tabIds().at(-1)) },
  { combo: "Mod+B", run: () => toggleSidebar() },
  ...PALETTE_KEYS.map((combo) => ({ combo, run: togglePalette })),
  { combo: "Mod+,", run: () => (settingsOpen.value = true) },
  {
    combo: "F2",
    run: () => startRename(activeSessionId.value),
    when: () => !!activeSessionId.value,
  },
];
/** No window shortcut runs while a dialog is open. Each has a form a browser tab lets through. */
const SHORTCUTS = [
  ...BINDINGS,
  ...BINDINGS.filter((b) => BROWSER_FORMS[b.combo]).map((b) => ({
    ...b,
    combo: BROWSER_FORMS[b.combo],
  })),
].map((b) => ({
  ...b,
  when: (/** @type {KeyboardEvent} */ e) =>
    !deleting.value && !settingsOpen.value && !shortcutsOpen.value && !pairOpen.value &&
    (!b.when || b.when(e)),
}));

function SidebarToggle() {
  const open = sidebarOpen.value;
  return html`
    <button type="button" class="icon-button sidebar-toggle" aria-label="Toggle sidebar"
      aria-expanded=${open ? "true" : "false"} aria-controls="session-sidebar"
      title=${`${open ? "Hide" : "Show"} session history (${comboLabel("Mod+B")})`}
      onClick=${() => toggleSidebar()}>
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
        <rect x="1.5" y="2.5" width="13" height="11" rx="2" />
        <path d="M6 2.5v11" />
      </svg>
    </button>
  `;
}

function EmptyState() {
  return html`
    <div class="transcript-wrap">
      <div class="empty-state">
        <h1>No session open</h1>
        <p>Type below to start one, or pick a session from the history.</p>
        <dl class="shortcuts">
          <dt><kbd>${comboLabel("Mod+T")}</kbd></dt>
          <dd>New session</dd>
          <dt><kbd>${comboLabel("Mod+B")}</kbd></dt>
          <dd>Session history</dd>
          <dt><kbd>${comboLabel("Mod+K")}</kbd></dt>
          <dd>Command palette: every action, every session</dd>
          <dt><kbd>${comboLabel("Ctrl+Tab")}</kbd></dt>
          <dd>Next tab</dd>
          <dt><kbd>${comboLabel("Mod+,")}</kbd></dt>
          <dd>Settings</dd>
          <dt><kbd>?</kbd></dt>
          <dd>Every shortcut</dd>
        </dl>
      </div>
    </div>
  `;
}

/** @param {{ conn: import("../lib/connection.js").Connection, hasToken: boolean }} props */
export function App({ conn, hasToken }) {
  useEffect(() => (hasToken ? installShortcuts(SHORTCUTS) : undefined), [hasToken]);
  useEffect(
    () => (hasToken ? installHelpKey(() => !!deleting.value || settingsOpen.value) : undefined),
    [hasToken],
  );
  useDrawer();
  if (hasToken && conn.state.value === "refused") return html`<${StaleToken} />`;
  if (!hasToken) {
    return html`
      <main class="no-token" role="alert">
        <h1>OpenCode Desk</h1>
        <p>This page needs the link the app printed when it started (it ends in <code>#token=…</code>).</p>
      </main>
    `;
  }
  const active = activeSessionId.value;
  return html`
    <div class="app" data-sidebar=${sidebarOpen.value ? "open" : "closed"}>
      <${Sidebar} />
      <div class="sidebar-backdrop" aria-hidden="true" onClick=${() => toggleSidebar(false)}></div>
      <div class="main-column">
        <header class="top-bar">
          <${SidebarToggle} />
          <${Tabs} />
          <${SessionSwitcher} />
          <${Attention} />
          <${PairButton} />
          <${SettingsButton} />
        </header>
        <${Notices} />
        <${ServerQuestion} banner />
        <${InsecureNote} />
        <main class="chat">
          ${active ? html`<h1 class="visually-hidden">${titleOf(active)}</h1>` : null}
          <div class="session-panel" id="session-panel" role="tabpanel"
            aria-labelledby=${active ? tabDomId(active) : undefined}
            aria-label=${active ? undefined : "No session"}>
            ${active ? html`<${SessionBar} key=${active} sessionId=${active} />` : null}
            ${active
              ? html`<${Transcript} key=${active} sessionId=${active} />`
              : html`<${EmptyState} />`}
          </div>
          <${TodoDock} />
          <${Composer} />
        </main>
      </div>
      <${StatusBar} conn=${conn} />
      <${Announcer} />
      <${DeleteDialog} />
      <${SettingsDialog} />
      <${Palette} />
      <${ChangesDialog} />
      <${ShortcutsDialog} />
      <${PairDialog} />
    </div>
  `;
}
