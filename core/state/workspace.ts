/**
 * The app's own state: the open tabs every window shares, the tab each window shows, and the
 * person's settings. Windows send intents (open, close, move, change, show; a settings field);
 * this applies them in order to its own state, so two windows acting at once never overwrite each
 * other, and pushes the result: the tabs to every window (each with the tab *it* shows), the
 * settings to all. Which tab a window shows after its tab closed is decided here too.
 */
import { ipc } from "../../proto/gen/ipc.js";
import {
  addRecent,
  cleanSettings,
  type SavedTabs,
  type Settings,
  type SettingsStore,
  type Tab,
} from "../config/settings.ts";
import { NotFoundError } from "./errors.ts";
import { applyModelPrefs } from "./model_prefs.ts";
import type { Push } from "./push.ts";

/** What a new tab of a session starts with: the agent and model the session last used. */
export type TabDefaults = Omit<Tab, "sessionId">;

export interface WorkspaceOptions {
  /** Where tabs and settings persist; in memory only when absent. */
  persist?: SettingsStore;
  emit: (push: Push) => void;
  /** A window now shows this tab (its project follows it, projects.ts). */
  onShow?: (win: number, sessionId: string) => void;
}

/** A change to one tab: only the fields present change. */
export interface TabPatch {
  agent?: string | null;
  model?: ipc.ModelRef.$Properties | null;
  variant?: string | null;
}

export class Workspace {
  #opts: WorkspaceOptions;
  #dir = "";
  #tabs: Tab[] = [];
  /** The tab shown last by any window: where the next start begins. */
  #lastShown = "";
  /** window id -> the session it shows */
  #windows = new Map<number, string>();
  #settings: Settings;

  constructor(opts: WorkspaceOptions) {
    this.#opts = opts;
    this.#settings = opts.persist?.settings ?? cleanSettings({});
  }

  /** Loads the tabs saved for a project directory. */
  load(dir: string): void {
    this.#dir = dir;
    const saved = this.#opts.persist?.tabs(dir) ?? { tabs: [], shown: "" };
    this.#tabs = saved.tabs.map((t) => ({ ...t }));
    this.#lastShown = saved.shown;
    this.#tell();
  }

  /** A window said hello; it shows `hint` (its tab before a reload) if that is still open. */
  attach(win: number, hint: string): void {
    const shown = [hint, this.#lastShown].find((id) => this.isOpen(id)) ??
      this.#tabs[0]?.sessionId ?? "";
    this.#windows.set(win, shown);
  }

  detach(win: number): void {
    this.#windows.delete(win);
  }

  /** The tabs, with the one this window shows. */
  view(win: number): ipc.Workspace.$Properties {
    return { tabs: this.#tabs, shownSessionId: this.#windows.get(win) ?? "" };
  }

  isOpen(sessionId: string): boolean {
    return !!sessionId && this.#tabs.some((t) => t.sessionId === sessionId);
  }

  tab(sessionId: string): Tab | undefined {
    return this.#tabs.find((t) => t.sessionId === sessionId);
  }

  /** The project directories of the open tabs ("" for a tab of the startup project). */
  directories(): string[] {
    return [...new Set(this.#tabs.map((t) => t.directory ?? ""))];
  }

  /** Opens a tab (at `index`, or at the end) unless there is one, and shows it in `win`. */
  openTab(win: number, sessionId: string, index: number, defaults: TabDefaults): void {
    if (!this.isOpen(sessionId)) {
      const at = index < 0 || index > this.#tabs.length ? this.#tabs.length : index;
      this.#tabs = [
        ...this.#tabs.slice(0, at),
        { ...defaults, sessionId },
        ...this.#tabs.slice(at),
      ];
    }
    this.#show(win, sessionId);
    this.#publish();
  }

  /** Whether some window shows this session now. */
  isShown(sessionId: string): boolean {
    for (const shown of this.#windows.values()) if (shown === sessionId) return true;
    return false;
  }

  /** Closes a tab everywhere; every window that showed it shows the tab now in its place. */
  closeTab(sessionId: string): boolean {
    const at = this.#tabs.findIndex((t) => t.sessionId === sessionId);
    if (at < 0) return false;
    this.#tabs = this.#tabs.filter((t) => t.sessionId !== sessionId);
    const neighbour = this.#tabs[Math.min(at, this.#tabs.length - 1)]?.sessionId ?? "";
    for (const [win, shown] of this.#windows) {
      if (shown === sessionId) this.#windows.set(win, neighbour);
    }
    if (this.#lastShown === sessionId) this.#lastShown = neighbour;
    this.#publish();
    return true;
  }

  moveTab(sessionId: string, index: number): void {
    const tab = this.tab(sessionId);
    if (!tab) throw notOpen(sessionId);
    const rest = this.#tabs.filter((t) => t !== tab);
    const at = Math.max(0, Math.min(index, rest.length));
    this.#tabs = [...rest.slice(0, at), tab, ...rest.slice(at)];
    this.#publish();
  }

  updateTab(sessionId: string, patch: TabPatch): void {
    const tab = this.tab(sessionId);
    if (!tab) throw notOpen(sessionId);
    const next = { ...tab };
    if (patch.agent != null) next.agent = patch.agent;
    if (patch.variant != null) next.variant = patch.variant;
    if (patch.model != null) {
      const { providerId = "", modelId = "" } = patch.model;
      if (!providerId !== !modelId) {
        throw new TypeError("Cannot change the model: provider_id and model_id go together");
      }
      next.providerId = providerId;
      next.modelId = modelId;
    }
    this.#tabs = this.#tabs.map((t) => t === tab ? next : t);
    this.#publish();
  }

  showTab(win: number, sessionId: string): void {
    if (!this.isOpen(sessionId)) throw notOpen(sessionId);
    this.#show(win, sessionId);
    this.#publish();
  }

  #show(win: number, sessionId: string): void {
    this.#windows.set(win, sessionId);
    this.#lastShown = sessionId;
    this.#opts.onShow?.(win, sessionId);
  }

  get settings(): Settings {
    return this.#settings;
  }

  /** Applies the fields present in `patch`; the result goes to every window. */
  updateSettings(patch: ipc.UpdateSettings.$Properties): Settings {
    const s = { ...this.#settings };
    if (patch.showSubagents != null) s.showSubagents = patch.showSubagents;
    if (patch.theme != null) s.theme = patch.theme;
    if (patch.sendKey != null) s.sendKey = patch.sendKey;
    if (patch.textSize != null) s.textSize = patch.textSize;
    if (patch.voice != null) s.voice = patch.voice;
    if (patch.anthropicAuth != null) s.anthropicAuth = patch.anthropicAuth;
    if (patch.neverStartServer != null) s.neverStartServer = patch.neverStartServer;
    if (patch.muteReplies != null) s.muteReplies = patch.muteReplies;
    if (patch.muteRequests != null) s.muteRequests = patch.muteRequests;
    return this.#setSettings(applyModelPrefs(s, patch));
  }

  /** Fields only the core decides (the kept server): saved and sent like any change. */
  setCoreSettings(fields: Partial<Settings>): Settings {
    return this.#setSettings({ ...this.#settings, ...fields });
  }

  /** A model was used to send: it moves to the front of the recent list. */
  noteUsed(model: ipc.ModelRef.$Properties): void {
    this.#setSettings(addRecent(this.#settings, model));
  }

  #setSettings(s: Settings): Settings {
    this.#settings = cleanSettings(s);
    if (this.#opts.persist) this.#opts.persist.settings = this.#settings;
    this.#opts.emit({ settings: this.#settings });
    return this.#settings;
  }

  /** Saves the tabs and tells every window. */
  #publish(): void {
    const saved: SavedTabs = { tabs: this.#tabs, shown: this.#lastShown };
    if (this.#dir) this.#opts.persist?.setTabs(this.#dir, saved);
    this.#tell();
  }

  /** Tells every window the tabs, each with the one it shows. */
  #tell(): void {
    for (const win of this.#windows.keys()) {
      this.#opts.emit({ client: win, workspace: this.view(win) });
    }
  }
}

/** An intent named a tab that is not open (another window closed it, or it never was). */
function notOpen(sessionId: string): NotFoundError {
  return new NotFoundError(`Cannot change tab: session ${sessionId} is not open in a tab`);
}
