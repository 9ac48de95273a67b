/**
 * The store owner: one per app. It composes the OpenCode side (`sessions.ts`), the app's own tabs
 * and settings (`workspace.ts`) and the server's status (`server_status.ts`), carries out what
 * needs more than one of them (a new session opens in a tab; a deleted one closes its tab; a
 * model used to send becomes recent), and hands every change to its listeners: the OpenCode
 * changes coalesced by the batcher, the rest at once but never ahead of changes already queued.
 */
import { ipc } from "../../proto/gen/ipc.js";
import type { OpencodeClient, PromptInput } from "../opencode/client.ts";
import type { SettingsStore } from "../config/settings.ts";
import { Batcher } from "./batcher.ts";
import { Notices } from "./notices.ts";
import type { Push } from "./push.ts";
import { type ServerStatus, ServerStatusKeeper } from "./server_status.ts";
import { Sessions } from "./sessions.ts";
import { Subscription } from "./subscription.ts";
import type { OAuthTokens } from "../opencode/anthropic_auth.ts";
import { type TabPatch, Workspace } from "./workspace.ts";
import { Projects } from "./projects.ts";

const Busy = ipc.SessionStatusType;

export type { Push } from "./push.ts";
export type { ServerStatus } from "./server_status.ts";
export type { Transcript } from "./sessions.ts";

export interface StoreOptions {
  client: OpencodeClient;
  /** Whether this app started the server (and will stop it). */
  owned: boolean;
  version?: string;
  /** The project directory; defaults to the server's own (`GET /path`). */
  directory?: string;
  /** Where tabs and settings persist; in memory only when absent. */
  settings?: SettingsStore;
  watchdogMs?: number;
  /** The environment (API key, subscription tokens) and the server's auth store, if local. */
  auth?: {
    env: Record<string, string | undefined>;
    storePath: string | null;
    /** OAuth tokens the server held before the app's API keys went there. */
    held?: OAuthTokens | null;
  };
}

export class Store {
  readonly sessions: Sessions;
  readonly workspace: Workspace;
  readonly status: ServerStatusKeeper;
  /** What the person must be told outside any session (settings that cannot be kept, …). */
  readonly notices: Notices;
  /** Anthropic's credential on the server: API key or subscription (subscription.ts). */
  readonly subscription: Subscription;
  /** Which project each window shows, and the ones it can switch to (projects.ts). */
  readonly projects: Projects;
  #listeners = new Set<(push: Push) => void>();
  #batcher: Batcher;
  #persist?: SettingsStore;

  constructor(opts: StoreOptions) {
    this.#persist = opts.settings;
    this.#batcher = new Batcher((events) => this.#emit({ events: { events } }));
    const emitNow = (push: Push) => {
      this.flush();
      this.#emit(push);
    };
    this.status = new ServerStatusKeeper(
      { url: opts.client.baseUrl, version: opts.version ?? "", owned: opts.owned },
      (serverStatus) => emitNow({ serverStatus }),
    );
    this.workspace = new Workspace({
      persist: opts.settings,
      emit: emitNow,
      onShow: (win, id) => this.projects.followTab(win, id),
    });
    this.notices = new Notices((notice) => emitNow({ notice }));
    opts.settings?.onNotice((n) => this.notices.add(n));
    this.sessions = new Sessions({
      client: opts.client,
      status: this.status,
      directory: opts.directory,
      watchdogMs: opts.watchdogMs,
      onChanges: (changes) => this.#batcher.push(changes),
      flush: () => this.flush(),
      onCatalog: (catalog) => emitNow({ catalog }),
      onDirectory: (dir) => this.workspace.load(dir),
      isShown: (id) => this.workspace.isShown(id),
      wanted: () => (this.workspace.view(-1).tabs ?? []).map((t) => t.sessionId ?? ""),
      directories: () => this.workspace.directories(),
    });
    this.projects = new Projects({
      sessions: this.sessions,
      workspace: this.workspace,
      emit: emitNow,
    });
    this.subscription = new Subscription({
      client: opts.client,
      env: opts.auth?.env ?? {},
      storePath: opts.auth?.storePath ?? null,
      held: opts.auth?.held ?? null,
      whenIdle: () => this.#whenIdle(),
      emit: (subscriptionStatus) => emitNow({ subscriptionStatus }),
    });
  }

  /** Resolves once no session is busy (or retrying). */
  #whenIdle(): Promise<void> {
    const busy = () =>
      this.sessions.sessions().some((s) =>
        s.status?.type === Busy.SESSION_STATUS_TYPE_BUSY ||
        s.status?.type === Busy.SESSION_STATUS_TYPE_RETRY
      );
    if (!busy()) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.subscribe((push) => {
        if (!("events" in push) || busy()) return;
        off();
        resolve();
      });
    });
  }

  get server(): ServerStatus {
    return this.status.value;
  }

  async start(): Promise<void> {
    await this.sessions.start();
    this.projects.refreshServer(); // the switcher lists them once read
  }

  async close(): Promise<void> {
    this.#batcher.close();
    await this.sessions.close();
    await this.#persist?.flush();
  }

  subscribe(listener: (push: Push) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sends queued changes now; call before any reply so replies never overtake pushes. */
  flush(): void {
    this.#batcher.flush();
  }

  /**
   * Resolves once every change to tabs and settings made so far is on disk (or could not be
   * written, which is a notice): replies to intents wait for it, so a reply means "saved".
   */
  saved(): Promise<void> {
    return this.#persist?.saved() ?? Promise.resolve();
  }

  /** Everything a window needs when it says hello; it shows `hint` if that tab is still open. */
  hello(win: number, hint: string, appVersion: string): ipc.Snapshot.$Properties {
    this.workspace.attach(win, hint);
    this.projects.attach(win);
    return {
      server: this.server,
      sessions: this.sessions.sessions(),
      sessionLists: this.sessions.listStates(),
      appVersion,
      directory: this.sessions.directory,
      permissions: this.sessions.permissions(),
      questions: this.sessions.questions(),
      workspace: this.workspace.view(win),
      settings: this.workspace.settings,
      catalog: this.sessions.catalog,
      notices: this.notices.list(),
      projects: this.projects.view(win),
    };
  }

  /** A window went away. */
  goodbye(win: number): void {
    this.workspace.detach(win);
    this.projects.detach(win);
  }

  /** Opens a session in a tab shown by `win`, with the agent and model it last used. */
  async openTab(win: number, sessionId: string, index: number): Promise<void> {
    const s = await this.sessions.ensureSession(sessionId);
    this.workspace.openTab(win, sessionId, index, {
      agent: s.agent ?? "",
      providerId: s.modelId ? s.providerId ?? "" : "",
      modelId: s.modelId ?? "",
      variant: "",
      ...this.#tabDirectory(s.directory),
    });
  }

  /** Closes a tab everywhere; its transcript leaves the core's memory. */
  closeTab(sessionId: string): void {
    this.workspace.closeTab(sessionId);
    this.sessions.dropTranscript(sessionId);
  }

  updateTab(sessionId: string, patch: TabPatch): void {
    this.workspace.updateTab(sessionId, patch);
  }

  /** A new session on the server, in the project `win` shows, opened in a tab shown by `win`. */
  async createSession(win: number, title?: string): Promise<void> {
    const s = await this.sessions.createSession(title, this.projects.shown(win));
    this.flush();
    const model = this.workspace.settings.defaultModel;
    this.workspace.openTab(win, s.id!, -1, {
      agent: "",
      providerId: model?.modelId ? model.providerId ?? "" : "",
      modelId: model?.modelId ?? "",
      variant: "",
      ...this.#tabDirectory(s.directory),
    });
  }

  /** A tab's project as kept: "" for the startup one (the tabs are kept per startup project). */
  #tabDirectory(dir: string | null | undefined): { directory?: string } {
    return dir && dir !== this.sessions.directory ? { directory: dir } : {};
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.sessions.deleteSession(sessionId);
    this.flush();
    this.workspace.closeTab(sessionId);
  }

  async send(sessionId: string, input: PromptInput): Promise<void> {
    if (this.subscription.expiredFor(input.model?.providerID ?? "")) {
      throw new RangeError(
        "Cannot send: the Anthropic subscription token has expired; refresh it in Settings",
      );
    }
    await this.sessions.send(sessionId, input);
    if (input.model) {
      this.workspace.noteUsed({
        providerId: input.model.providerID,
        modelId: input.model.modelID,
      });
    }
  }

  /** Sends a push no part of the store owns (the settings' server panel), after queued changes. */
  push(push: Push): void {
    this.flush();
    this.#emit(push);
  }

  #emit(push: Push): void {
    for (const l of this.#listeners) {
      try {
        l(push);
      } catch (err) {
        console.error("opencode-desk: a store listener failed:", err);
      }
    }
  }
}
