/**
 * What the app remembers between runs: the open tabs per project directory and the person's
 * settings (favourite and recent models, whether subagents show, theme, send key, text size). One JSON file,
 * `$XDG_CONFIG_HOME/opencode-desk/state.json` (or `OPENCODE_DESK_STATE`), written atomically.
 * A file that cannot be parsed is moved aside (never overwritten) and the app starts fresh.
 */
import { dirname, join } from "node:path";
import { ipc } from "../../proto/envelope.js";
import { cleanVoiceSettings } from "../voice/voice_settings.ts";
import { MODEL_IDS } from "../voice/whisper_models.ts";

export type Workspace = ipc.Workspace.$Properties;
export type Settings = ipc.Settings.$Properties;

interface FileShape {
  version: 1;
  settings: Settings;
  projects: Record<string, { workspace: Workspace }>;
}

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

/** Keeps only well-formed fields: the file is edited by people and older versions. */
export function cleanSettings(raw: unknown): Settings {
  const r = (raw ?? {}) as Record<string, unknown>;
  const models = (v: unknown) =>
    (Array.isArray(v) ? v : []).map(cleanModel).filter((m): m is ipc.ModelRef.$Properties => !!m);
  return {
    favoriteModels: models(r.favoriteModels),
    recentModels: models(r.recentModels).slice(0, RECENT_LIMIT),
    showSubagents: r.showSubagents === true,
    theme: oneOf(r.theme, ["system", "light", "dark"]),
    sendKey: oneOf(r.sendKey, ["enter", "mod-enter"]),
    textSize: oneOf(r.textSize, ["normal", "small", "large"]),
    voice: cleanVoiceSettings(r.voice, MODEL_IDS),
  };
}

/** `v` when it is one of `allowed`, else the first (the default). */
function oneOf(v: unknown, allowed: string[]): string {
  return typeof v === "string" && allowed.includes(v) ? v : allowed[0];
}

export function cleanWorkspace(raw: unknown): Workspace {
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
      renamed: (t as { renamed?: unknown }).renamed === true,
    });
  }
  const active = typeof r.activeSessionId === "string" && seen.has(r.activeSessionId)
    ? r.activeSessionId
    : tabs[0]?.sessionId ?? "";
  return { tabs, activeSessionId: active };
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
        projects[dir] = { workspace: cleanWorkspace((p as { workspace?: unknown })?.workspace) };
      }
      this.#data = { version: 1, settings: cleanSettings(raw.settings), projects };
      return null;
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      const aside = `${this.path}.bad-${Date.now()}`;
      await Deno.rename(this.path, aside);
      return `Cannot parse ${this.path} (${err.message}); kept it as ${aside} and started fresh`;
    }
  }

  get settings(): Settings {
    return this.#data.settings;
  }

  set settings(s: Settings) {
    this.#data.settings = cleanSettings(s);
    this.#scheduleSave();
  }

  workspace(dir: string): Workspace {
    return this.#data.projects[dir]?.workspace ?? { tabs: [], activeSessionId: "" };
  }

  setWorkspace(dir: string, w: Workspace): Workspace {
    const clean = cleanWorkspace(w);
    this.#data.projects[dir] = { workspace: clean };
    this.#scheduleSave();
    return clean;
  }

  #scheduleSave(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), 100);
  }

  /** Writes now (atomically: a temp file renamed over the old one). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const text = JSON.stringify(this.#data, null, 2);
    this.#writing = this.#writing.then(async () => {
      await Deno.mkdir(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.tmp-${Deno.pid}`;
      await Deno.writeTextFile(tmp, text);
      await Deno.rename(tmp, this.path);
    }).catch((err) => {
      console.error(`opencode-desk: Cannot save ${this.path}: ${(err as Error).message}`);
    });
    return this.#writing;
  }
}
