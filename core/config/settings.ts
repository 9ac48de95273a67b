/**
 * What the app remembers between runs: the open tabs per project directory and the person's
 * settings (favourite, recent and default models, whether subagents show, theme, send key, text
 * size, chat density, Anthropic's API key or subscription). One
 * JSON file, `$XDG_CONFIG_HOME/opencode-desk/state.json` (or `OPENCODE_DESK_STATE`), in the
 * versioned shape of `settings_migrate.ts`.
 *
 * Nothing is lost: every change is written at once (a temp file, synced, renamed over the old
 * one, the directory synced) and {@linkcode SettingsStore.saved} says when it is on disk; changes
 * that come while a write runs go together in the next one. A file that cannot be parsed is moved
 * aside (never overwritten) and the app starts fresh; one that cannot be read or moved stays as it
 * is and nothing is saved this run; where nothing can be written (a read-only directory) the
 * settings live in memory. Each of these becomes a notice for the person (`AppNotice`).
 */
import { dirname, join } from "node:path";
import { ipc } from "../../proto/envelope.js";
import { AnthropicAuth, Density, SendKey, TextSize, Theme } from "../../proto/words.js";
import { cleanVoiceSettings } from "../voice/voice_settings.ts";
import { MODEL_IDS } from "../voice/whisper_models.ts";
import { FILE_VERSION, migrate } from "./settings_migrate.ts";
import { cleanServerSettings } from "./server_settings.ts";

export type Settings = ipc.Settings.$Properties;
export type Tab = ipc.Tab.$Properties;
export type Notice = ipc.AppNotice.$Properties;

const Kind = ipc.NoticeKind;

/** The tabs of one project, and the one shown last (for the next start). */
export interface SavedTabs {
  tabs: Tab[];
  shown: string;
}

interface Data {
  settings: Settings;
  projects: Record<string, SavedTabs>;
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
  if (!r.providerId || !r.modelId) return null;
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
    theme: oneOf(r.theme, Theme),
    sendKey: oneOf(r.sendKey, SendKey),
    textSize: oneOf(r.textSize, TextSize),
    voice: cleanVoiceSettings(r.voice, MODEL_IDS),
    defaultModel: cleanModel(r.defaultModel),
    density: oneOf(r.density, Density),
    anthropicAuth: oneOf(r.anthropicAuth, AnthropicAuth),
    ...cleanServerSettings(r),
    muteReplies: r.muteReplies === true,
    muteRequests: r.muteRequests === true,
    // [projects] directories opened, most recent first
    recentProjects: (Array.isArray(r.recentProjects) ? r.recentProjects : [])
      .filter((d): d is string => typeof d === "string" && d.startsWith("/")).slice(0, 12),
  };
}

/**
 * The value of `v` (a word, as the file keeps it, or the protocol's number) in an enum, else the
 * enum's first (its default).
 */
function oneOf(
  v: unknown,
  e: typeof Theme | typeof SendKey | typeof TextSize | typeof Density | typeof AnthropicAuth,
): number {
  return e.value(v) ?? (e.has(v) ? v as number : e.value(e.words[0])!);
}

/** Settings as the file keeps them (enums as words, so a person can read and edit it). */
function settingsToFile(s: Settings): Record<string, unknown> {
  return {
    ...s,
    theme: Theme.word(s.theme),
    sendKey: SendKey.word(s.sendKey),
    textSize: TextSize.word(s.textSize),
    density: Density.word(s.density),
    anthropicAuth: AnthropicAuth.word(s.anthropicAuth),
  };
}

/** The tabs of one project as the file keeps them (`tabs`, `shownSessionId`), checked. */
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
      // [projects] the tab's project, kept only when it is not the startup one
      ...(s("directory") ? { directory: s("directory") } : {}),
    });
  }
  const shown = typeof r.shownSessionId === "string" && seen.has(r.shownSessionId)
    ? r.shownSessionId
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

/** The file's text: enums as words, a person can read and edit it. */
function fileText(data: Data): string {
  const projects = Object.fromEntries(
    Object.entries(data.projects).map(([dir, p]) => [
      dir,
      { tabs: p.tabs, shownSessionId: p.shown },
    ]),
  );
  return JSON.stringify(
    { version: FILE_VERSION, settings: settingsToFile(data.settings), projects },
    null,
    2,
  ) + "\n";
}

/** What went wrong, as the system said it, without the operation and path Deno adds. */
function osReason(err: Error): string {
  return err.message.match(/^.*?\(os error \d+\)/)?.[0] ?? err.message;
}

/** Writes `text` to `path` so that a crash at any moment leaves the old file or the new one. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = `${path}.tmp-${Deno.pid}`;
  const bytes = new TextEncoder().encode(text);
  const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
    await file.syncData(); // the content is on disk before the name points at it
  } finally {
    file.close();
  }
  await Deno.rename(tmp, path);
  const d = await Deno.open(dir); // and the new name survives a power cut
  try {
    await d.sync();
  } finally {
    d.close();
  }
}

export class SettingsStore {
  readonly path: string;
  #data: Data = { settings: cleanSettings({}), projects: {} };
  /** Why nothing is saved this run (a file that could not be read nor set aside), or null. */
  #noSave: string | null = null;
  /** Whether the last write failed (said once, until a write works again). */
  #failing = false;
  /** Changes made, and how many of them are on disk (or failed to get there). */
  #changes = 0;
  #written = 0;
  /** The write loop while one runs. */
  #writer: Promise<void> | null = null;
  #notices: Notice[] = [];
  #noticeListeners = new Set<(n: Notice) => void>();

  constructor(path: string) {
    this.path = path;
  }

  /**
   * Reads the file (any version), and checks that the directory takes writes. Returns a sentence
   * for the terminal when something is wrong; the same fact is a notice ({@linkcode onNotice}).
   */
  async load(): Promise<string | null> {
    let text: string | null = null;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      if (!(err instanceof Deno.errors.NotFound)) {
        // Writing would replace a file we could not even look at: keep it, save nothing.
        this.#noSave = `${this.path} cannot be read (${err.message})`;
        this.#notice(Kind.NOTICE_KIND_SETTINGS_UNREADABLE, this.path, osReason(err));
        return `Cannot read ${this.path}: ${err.message}; ` +
          "started with defaults, and settings will not be saved this run";
      }
    }
    const said = text === null ? null : await this.#parse(text);
    return said ?? (this.#noSave ? null : await this.#probe());
  }

  async #parse(text: string): Promise<string | null> {
    let from: number;
    try {
      const migrated = migrate(JSON.parse(text));
      from = migrated.from;
      const projects: Data["projects"] = {};
      for (const [dir, p] of Object.entries(migrated.file.projects)) projects[dir] = cleanTabs(p);
      this.#data = { settings: cleanSettings(migrated.file.settings), projects };
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      return await this.#setAside(err.message);
    }
    if (from <= FILE_VERSION) return null;
    // A newer app wrote it: what it added would be dropped by the next write, so keep a copy.
    const copy = `${this.path}.v${from}-${Date.now()}`;
    try {
      await Deno.copyFile(this.path, copy);
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      this.#noSave = `${this.path} was written by a newer version and cannot be copied`;
      this.#notice(Kind.NOTICE_KIND_SETTINGS_UNSAVED, this.path, osReason(err));
      return `Cannot keep a copy of ${this.path} (version ${from}): ${err.message}; ` +
        "settings will not be saved this run";
    }
    this.#notice(Kind.NOTICE_KIND_SETTINGS_NEWER_VERSION, copy, `version ${from}`);
    return `${this.path} was written by a newer version (${from}); kept a copy as ${copy}`;
  }

  async #setAside(reason: string): Promise<string> {
    const aside = `${this.path}.bad-${Date.now()}`;
    try {
      await Deno.rename(this.path, aside);
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      // Saving would overwrite the only copy of what the person had: keep it, save nothing.
      this.#noSave = `${this.path} cannot be parsed and cannot be set aside (${err.message})`;
      this.#notice(Kind.NOTICE_KIND_SETTINGS_UNREADABLE, this.path, reason);
      return `Cannot parse ${this.path} (${reason}) nor set it aside (${err.message}); ` +
        "started with defaults, and settings will not be saved this run";
    }
    this.#notice(Kind.NOTICE_KIND_SETTINGS_SET_ASIDE, aside, reason);
    return `Cannot parse ${this.path} (${reason}); kept it as ${aside} and started fresh`;
  }

  /** Whether a file can be written beside the state file: said now, not at the first change. */
  async #probe(): Promise<string | null> {
    const probe = `${this.path}.tmp-${Deno.pid}`;
    try {
      await Deno.mkdir(dirname(this.path), { recursive: true });
      await Deno.writeTextFile(probe, "");
      await Deno.remove(probe);
      return null;
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      this.#failing = true;
      this.#notice(Kind.NOTICE_KIND_SETTINGS_UNSAVED, this.path, osReason(err));
      return `Cannot save ${this.path}: ${err.message}; keeping settings in memory`;
    }
  }

  get settings(): Settings {
    return this.#data.settings;
  }

  set settings(s: Settings) {
    this.#data.settings = cleanSettings(s);
    this.#changed();
  }

  tabs(dir: string): SavedTabs {
    return this.#data.projects[dir] ?? { tabs: [], shown: "" };
  }

  setTabs(dir: string, saved: SavedTabs): void {
    this.#data.projects[dir] = saved;
    this.#changed();
  }

  /** Why settings are not being saved this run, or null while they are. */
  get unsaved(): string | null {
    return this.#noSave;
  }

  /** Every notice so far, then each new one, to `listener`; returns the unsubscribe. */
  onNotice(listener: (n: Notice) => void): () => void {
    for (const n of this.#notices) listener(n);
    this.#noticeListeners.add(listener);
    return () => this.#noticeListeners.delete(listener);
  }

  #notice(kind: ipc.NoticeKind, path: string, detail: string): void {
    const n: Notice = { kind, path, detail, at: Date.now() };
    this.#notices.push(n);
    for (const l of this.#noticeListeners) l(n);
  }

  #changed(): void {
    if (this.#noSave) return;
    this.#changes++;
    this.#writer ??= this.#drain();
  }

  /** Writes until every change is on disk; changes made during a write go in the next one. */
  async #drain(): Promise<void> {
    await Promise.resolve(); // the changes made in this turn go in one write
    try {
      while (this.#written < this.#changes) {
        const upto = this.#changes;
        await this.#write(fileText(this.#data));
        this.#written = upto;
      }
    } finally {
      this.#writer = null;
    }
  }

  async #write(text: string): Promise<void> {
    try {
      await writeAtomically(this.path, text);
      this.#failing = false;
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      // Said once: a read-only directory would otherwise repeat this on every change.
      if (!this.#failing) {
        console.error(
          `opencode-desk: Cannot save ${this.path}: ${err.message}; keeping settings in memory`,
        );
        this.#notice(Kind.NOTICE_KIND_SETTINGS_UNSAVED, this.path, osReason(err));
      }
      this.#failing = true;
    }
  }

  /**
   * Resolves once every change made so far is on disk (or could not be written, which is a
   * notice): a reply sent after this tells the truth when it says a change is saved.
   */
  saved(): Promise<void> {
    return this.#writer ?? Promise.resolve();
  }

  /** Same as {@linkcode saved}: changes are written as they come. */
  flush(): Promise<void> {
    return this.saved();
  }
}
