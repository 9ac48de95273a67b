/**
 * Several projects in one app: one OpenCode server serves many directories (docs/opencode-api.md
 * §4.1). This keeps which project each window shows (its own, like the tab it shows; it follows
 * the tab a window shows, so it is kept across restarts with the tabs), the directories the
 * person opened (most recent first, in the settings), and the projects the server knows; and
 * words what a window can switch to. `Sessions` holds the sessions of every opened project.
 */
import type { ipc } from "../../proto/gen/ipc.js";
import { type OcProject, OpencodeError } from "../opencode/client.ts";
import type { Push } from "./push.ts";
import type { Sessions } from "./sessions.ts";
import type { Workspace } from "./workspace.ts";
import { cleanDir, isDirectory } from "./folders.ts";

/** Recent directories kept in the settings. */
export const RECENT_PROJECTS = 12;

export interface ProjectsOptions {
  sessions: Sessions;
  workspace: Workspace;
  emit: (push: Push) => void;
  /** Whether `dir` is a directory on this machine (Deno.stat in the app, a stub in tests). */
  isDirectory?: (dir: string) => Promise<boolean>;
}

/** The last part of a path: a project's short name. */
export function baseName(path: string): string {
  return path.replace(/\/+$/, "").split("/").pop() || path;
}

/** A directory first in the recent list, once, the list cut to {@linkcode RECENT_PROJECTS}. */
export function addRecentProject(recent: readonly string[], dir: string): string[] {
  return [dir, ...recent.filter((d) => d !== dir)].slice(0, RECENT_PROJECTS);
}

/**
 * What a window can switch to: its current project, the startup one, the server's projects
 * (not its shared `global` one, worktree `/`), the recent directories; each once, in that order.
 */
export function projectList(
  current: string,
  startup: string,
  server: readonly OcProject[],
  recent: readonly string[],
  open: ReadonlySet<string>,
): ipc.Project.$Properties[] {
  const names = new Map<string, string>();
  for (const p of server) if (p.name) names.set(cleanDir(p.worktree), p.name);
  const dirs = [
    current,
    startup,
    ...server.filter((p) => p.worktree && p.worktree !== "/").map((p) => cleanDir(p.worktree)),
    ...recent,
  ].filter(Boolean);
  return [...new Set(dirs)].map((directory) => ({
    directory,
    name: names.get(directory) ?? baseName(directory),
    startup: directory === startup,
    open: open.has(directory),
  }));
}

export class Projects {
  #opts: ProjectsOptions;
  /** window id -> the project directory it shows */
  #windows = new Map<number, string>();
  /** Every window that said hello. */
  #attached = new Set<number>();
  #server: OcProject[] = [];

  constructor(opts: ProjectsOptions) {
    this.#opts = opts;
  }

  /** The project the app started in (the server's, or the settings' directory). */
  get startup(): string {
    return this.#opts.sessions.directory;
  }

  /** The project a window shows: that of the tab it shows, else the startup one. */
  shown(win: number): string {
    return this.#windows.get(win) || this.startup;
  }

  /**
   * Where a window's message box works (its commands, its @-mentioned files): the directory of
   * the session it shows, else its project.
   */
  composing(win: number): string {
    const shown = this.#opts.workspace.view(win).shownSessionId ?? "";
    return shown ? this.#opts.sessions.dirOf(shown) : this.shown(win);
  }

  /** A window said hello: it shows the project of the tab it shows. */
  attach(win: number): void {
    this.#attached.add(win);
    this.#windows.delete(win);
    const shown = this.#opts.workspace.view(win).shownSessionId ?? "";
    if (shown) this.#follow(win, shown, false);
  }

  detach(win: number): void {
    this.#attached.delete(win);
    this.#windows.delete(win);
  }

  /** A window shows a tab: it shows that tab's project too (its sidebar lists its sessions). */
  followTab(win: number, sessionId: string): void {
    this.#follow(win, sessionId, true);
  }

  #follow(win: number, sessionId: string, tell: boolean): void {
    const tab = this.#opts.workspace.tab(sessionId);
    const dir = tab?.directory || this.#opts.sessions.dirOf(sessionId);
    if (!dir || dir === this.shown(win)) return;
    this.#windows.set(win, dir);
    if (tell) this.#opts.emit({ client: win, projects: this.view(win) });
  }

  /**
   * Shows a project in a window: `dir` must be an absolute path to a directory. Its sessions are
   * read the first time; it becomes the most recent project.
   * @throws {TypeError} when `dir` is not an absolute path to a directory
   */
  async show(win: number, dir: string): Promise<ipc.ProjectsView.$Properties> {
    const clean = cleanDir(dir.trim());
    if (!clean.startsWith("/")) {
      throw new TypeError(`Cannot open ${clean || "a project"}: give an absolute path`);
    }
    const isDir = this.#opts.isDirectory ?? isDirectory;
    if (!(await isDir(clean))) {
      throw new TypeError(`Cannot open ${clean}: it is not a directory`);
    }
    await this.#opts.sessions.openProject(clean);
    this.#windows.set(win, clean);
    const ws = this.#opts.workspace;
    const recent = ws.settings.recentProjects ?? [];
    if (recent[0] !== clean) {
      ws.setCoreSettings({ recentProjects: addRecentProject(recent, clean) });
    }
    return this.view(win);
  }

  /**
   * Re-reads the projects the server knows (a failure keeps the last); windows are told when the
   * list changed.
   */
  async refreshServer(): Promise<void> {
    let server: OcProject[];
    try {
      server = await this.#opts.sessions.client.projects();
    } catch (err) {
      if (!(err instanceof OpencodeError)) throw err;
      console.warn(`opencode-desk: ${err.message}`);
      return;
    }
    const dirs = (list: OcProject[]) => list.map((p) => `${p.worktree}\n${p.name ?? ""}`).join();
    const changed = dirs(server) !== dirs(this.#server);
    this.#server = server;
    if (!changed) return;
    for (const win of this.#attached) this.#opts.emit({ client: win, projects: this.view(win) });
  }

  /** What this window shows and can switch to. */
  view(win: number): ipc.ProjectsView.$Properties {
    const sessions = this.#opts.sessions;
    const startup = this.startup;
    const open = new Set(sessions.directories().map((d) => d || startup));
    const recent = this.#opts.workspace.settings.recentProjects ?? [];
    return {
      current: this.shown(win),
      projects: projectList(this.shown(win), startup, this.#server, recent, open),
    };
  }
}
