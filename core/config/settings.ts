/**
 * What the app remembers between runs: the open tabs per project directory and the person's
 * settings (favourite and recent models, whether subagents show, theme, send key, text size). One JSON file,
 * `$XDG_CONFIG_HOME/opencode-desk/state.json` (or `OPENCODE_DESK_STATE`), written atomically.
 * A file that cannot be parsed is moved aside (never overwritten) and the app starts fresh; where it
 * cannot be moved (a read-only directory), it stays as it is and nothing is saved this run.
 */
import { dirname, join } from "node:path";
import { ipc } from "../../proto/envelope.js";
import { cleanVoiceSettings } from "../voice/voice_settings.ts";
import { MODEL_IDS } from "../voice/whisper_models.ts";

export type Settings = ipc.Settings.$Properties;
export type Tab = ipc.Tab.$Properties;

/** The tabs of one project, and the one shown last (for the next start). */
export interface SavedTabs {
  tabs: Tab[];
  shown: string;
}

interface FileShape {
  version: 1;
  settings: Settings;
  projects: Record<string, { workspace: SavedTabs }>;
}

/** The file keeps enums as words, so a person can read and edit it. */
const THEMES: Record<string, ipc.Theme> = {
  system: ipc.Theme.THEME_SYSTEM,
  light: ipc.Theme.THEME_LIGHT,
  dark: ipc.Theme.THEME_DARK,
};
const SEND_KEYS: Record<string, ipc.SendKey> = {
  enter: ipc.SendKey.SEND_KEY_ENTER,
  "mod-enter": ipc.SendKey.SEND_KEY_MOD_ENTER,
};
const TEXT_SIZES: Record<string, ipc.TextSize> = {
  normal: ipc.TextSize.TEXT_SIZE_NORMAL,
  small: ipc.TextSize.TEXT_SIZE_SMALL,
  large: ipc.TextSize.TEXT_SIZE_LARGE,
};

const RECENT_LIMIT = 10;

/** Where the state file lives for this environment. */
export function statePath(env: Record<string, string | undefined>): string {
  if (env.OPENCODE_DESK_STATE) return env.OPENCODE_DESK_STATE;
  const base = env.XDG_CONFIG_HOME ||
    (env.APPDATA ?? (env.HOME ? join(env.HOME, ".config") : "."));
  return join(base, "opencode-desk", "state.json");
}

function cleanModel(m: unknown): ipc.ModelRef.$Properties | null {
  const r = m as { providerId?: unknown; modelId?: unknown } | null;
  if (typeof r?.providerId !== "string" || typeof r?.modelId !== "string") return null;
  return { providerId: r.providerId, modelId: r.modelId };
}

/**
 * Keeps only well-formed fields: the file is edited by people and older versions. Enums may be
 * words (the file) or numbers (the protocol); anything else is the default.
 */
export function cleanSettings(raw: unknown): Settings {
  const r = (raw ?? {}) as Record<string, unknown>;
  const models = (v: unknown) =>
    (Array.isArray(v) ? v : []).map(cleanModel).filter((m): m is ipc.ModelRef.$Properties => !!m);
  return {
    favoriteModels: models(r.favoriteModels),
    recentModels: models(r.recentModels).slice(0, RECENT_LIMIT),
    showSubagents: r.showSubagents === true,
    theme: oneOf(r.theme, THEMES),
    sendKey: oneOf(r.sendKey, SEND_KEYS),
    textSize: oneOf(r.textSize, TEXT_SIZES),
    voice: cleanVoiceSettings(r.voice, MODEL_IDS),
  };
}

/** The value of `v` (a word or the number itself) in `table`, else the table's first value. */
function oneOf<T extends number>(v: unknown, table: Record<string, T>): T {
  const values = Object.values(table);
  if (typeof v === "string" && v in table) return table[v];
  if (typeof v === "number" && values.includes(v as T)) return v as T;
  return values[0];
}

function wordOf<T extends number>(v: T | null | undefined, table: Record<string, T>): string {
  return Object.keys(table).find((k) => table[k] === v) ?? Object.keys(table)[0];
}

/** Settings as the file keeps them (enums as words). */
function settingsToFile(s: Settings): Record<string, unknown> {
  return {
    ...s,
    theme: wordOf(s.theme, THEMES),
    sendKey: wordOf(s.sendKey, SEND_KEYS),
    textSize: wordOf(s.textSize, TEXT_SIZES),
  };
}

export function cleanTabs(raw: unknown): SavedTabs {
  const r = (raw ?? {}) as Record<string, unknown>;
  const seen = new Set<string>();
  const tabs: ipc.Tab.$Properties[] = [];
  for (const t of Array.isArray(r.tabs) ? r.tabs : []) {
    const id = (t as { sessionId?: unknown })?.sessionId;
    if (typeof id !== "string" || !id || seen.has(id)) continue;
    seen.add(id);
    const s = (k: string) => {
      const v = (t as Record<string, unknown>)[k];
      return typeof v === "string" ? v : "";
    };
    tabs.push({
      sessionId: id,
      agent: s("agent"),
      providerId: s("providerId"),
      modelId: s("modelId"),
      variant: s("variant"),
    });
  }
  const shown = typeof r.activeSessionId === "string" && seen.has(r.activeSessionId)
    ? r.activeSessionId
    : tabs[0]?.sessionId ?? "";
  return { tabs, shown };
}

/** Moves a model to the front of the recent list. */
export function addRecent(s: Settings, m: ipc.ModelRef.$Properties): Settings {
  const rest = (s.recentModels ?? []).filter((r) =>
    !(r.providerId === m.providerId && r.modelId === m.modelId)
  );
  return { ...s, recentModels: [m, ...rest].slice(0, RECENT_LIMIT) };
}

export class SettingsStore {
  readonly path: string;
  #data: FileShape = { version: 1, settings: cleanSettings({}), projects: {} };
  #writing: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Why nothing is saved this run (a bad file that could not be set aside), or null. */
  #noSave: string | null = null;
  /** Whether the last save failed (said once, until a save works again). */
  #failing = false;

  constructor(path: string) {
    this.path = path;
  }

  /** Reads the file; returns a warning when it had to be set aside. */
  async load(): Promise<string | null> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return null;
      return `Cannot read ${this.path}: ${(err as Error).message}; starting with defaults`;
    }
    try {
      const raw = JSON.parse(text) as Partial<FileShape>;
      if (!raw || typeof raw !== "object") throw new SyntaxError("not an object");
      const projects: FileShape["projects"] = {};
      for (const [dir, p] of Object.entries(raw.projects ?? {})) {
        projects[dir] = { workspace: cleanTabs((p as { workspace?: unknown })?.workspace) };
      }
      this.#data = { version: 1, settings: cleanSettings(raw.settings), projects };
      return null;
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      const reason = err.message;
      const aside = `${this.path}.bad-${Date.now()}`;
      try {
        await Deno.rename(this.path, aside);
      } catch (renameErr) {
        if (!(renameErr instanceof Error)) throw renameErr;
        // Saving would overwrite the only copy of what the person had: keep it, save nothing.
        this.#noSave = `${this.path} cannot be parsed and cannot be set aside ` +
          `(${renameErr.message})`;
        return `Cannot parse ${this.path} (${reason}) nor set it aside (${renameErr.message}); ` +
          "started with defaults, and settings will not be saved this run";
      }
      return `Cannot parse ${this.path} (${reason}); kept it as ${aside} and started fresh`;
    }
  }

  get settings(): Settings {
    return this.#data.settings;
  }

  set settings(s: Settings) {
    this.#data.settings = cleanSettings(s);
    this.#scheduleSave();
  }

  tabs(dir: string): SavedTabs {
    return this.#data.projects[dir]?.workspace ?? { tabs: [], shown: "" };
  }

  setTabs(dir: string, saved: SavedTabs): void {
    this.#data.projects[dir] = { workspace: saved };
    this.#scheduleSave();
  }

  #scheduleSave(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), 100);
  }

  /** Why settings are not being saved, or null while they are. */
  get unsaved(): string | null {
    return this.#noSave;
  }

  /** Writes now (atomically: a temp file renamed over the old one). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#noSave) return this.#writing;
    const projects = Object.fromEntries(
      Object.entries(this.#data.projects).map(([dir, p]) => [
        dir,
        { workspace: { tabs: p.workspace.tabs, activeSessionId: p.workspace.shown } },
      ]),
    );
    const text = JSON.stringify(
      { version: 1, settings: settingsToFile(this.#data.settings), projects },
      null,
      2,
    );
    this.#writing = this.#writing.then(async () => {
      await Deno.mkdir(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.tmp-${Deno.pid}`;
      await Deno.writeTextFile(tmp, text);
      await Deno.rename(tmp, this.path);
      this.#failing = false;
    }).catch((err) => {
      if (!(err instanceof Error)) throw err;
      // Said once: a read-only directory would otherwise repeat this on every change.
      if (!this.#failing) {
        console.error(
          `opencode-desk: Cannot save ${this.path}: ${err.message}; keeping settings in memory`,
        );
      }
      this.#failing = true;
    });
    return this.#writing;
  }
}
