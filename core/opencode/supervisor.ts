/**
 * Looks after a server the app started: when it exits on its own, it is started again on the same
 * port (so the event stream and every client simply reconnect), a few times with growing pauses.
 * It reports what happened as facts (restarting after exit code N, restarted N times, could not
 * restart); the status bar words them.
 */
import { findOpencodeBinary, type OwnedServer, type ServerExit, spawnServer } from "./discover.ts";

const RESTART_DELAYS_MS = [0, 500, 2000, 5000];

export type SupervisorEvent =
  | { kind: "restarting"; exitCode: number }
  | { kind: "restarted"; restarts: number; url: string }
  | { kind: "failed" };

export interface SupervisorOptions {
  dir: string;
  env: Record<string, string | undefined>;
  log: (line: string) => void;
  onEvent: (event: SupervisorEvent) => void;
}

export class Supervisor {
  #opts: SupervisorOptions;
  #owned: OwnedServer | null = null;
  #restarts = 0;
  #restarting: Promise<void> | null = null;
  #closing = false;
  /** The port of the last server looked after: Start after Stop comes back on it. */
  #port = 0;

  constructor(opts: SupervisorOptions) {
    this.#opts = opts;
  }

  /** The server being looked after (the current one, after restarts), or null. */
  get owned(): OwnedServer | null {
    return this.#owned;
  }

  /** Starts looking after `server` (spawned with {@link onExit} as its exit callback). */
  adopt(server: OwnedServer | null): void {
    this.#owned = server;
    if (server) this.#port = Number(new URL(server.url).port);
  }

  /** Servers start in `dir` from now on. */
  moveTo(dir: string): void {
    this.#opts = { ...this.#opts, dir };
  }

  /** The project directory servers start in. */
  get dir(): string {
    return this.#opts.dir;
  }

  /** Stops the server on request (no restart follows); {@link launch} starts one again. */
  async halt(): Promise<void> {
    await this.#restarting;
    const server = this.#owned;
    this.#owned = null;
    await server?.stop();
  }

  /**
   * Starts a server (in `dir` if given, which later restarts use too) on the port of the last one,
   * so the event stream and other clients find it again; `freshPort` picks any free port.
   */
  async launch(dir?: string, freshPort = false): Promise<OwnedServer> {
    await this.halt();
    const bin = findOpencodeBinary(this.#opts.env);
    if (!bin) throw new Error("Cannot start OpenCode server: no opencode binary found");
    if (dir) this.#opts = { ...this.#opts, dir };
    const port = freshPort || !this.#port ? undefined : this.#port;
    this.adopt(
      await spawnServer({
        bin,
        dir: this.#opts.dir,
        env: serverEnv(this.#opts.env),
        port,
        onExit: this.onExit,
      }),
    );
    return this.#owned!;
  }

  /** Pass as `onExit` when spawning: an exit nobody asked for starts a restart. */
  readonly onExit = (exit: ServerExit): void => {
    if (exit.requested || this.#closing) return;
    this.#opts.log(`OpenCode exited unexpectedly (code ${exit.code}); restarting it`);
    this.#opts.onEvent({ kind: "restarting", exitCode: exit.code });
    const port = this.#owned ? Number(new URL(this.#owned.url).port) : 0;
    this.#restarting = this.#restart(port);
  };

  async #restart(port: number): Promise<void> {
    for (const delay of RESTART_DELAYS_MS) {
      await new Promise((r) => setTimeout(r, delay));
      if (this.#closing) return;
      const bin = findOpencodeBinary(this.#opts.env);
      if (!bin) break;
      try {
        this.#owned = await spawnServer({
          bin,
          dir: this.#opts.dir,
          env: serverEnv(this.#opts.env),
          port,
          onExit: this.onExit,
        });
        if (this.#closing) {
          // The app began to quit while the server started: it must not outlive the app.
          await this.#owned.stop();
          return;
        }
        this.#restarts++;
        this.#opts.log(`restarted OpenCode at ${this.#owned.url}`);
        this.#opts.onEvent({ kind: "restarted", restarts: this.#restarts, url: this.#owned.url });
        return;
      } catch (err) {
        if (!(err instanceof Error)) throw err;
        this.#opts.log(`could not restart OpenCode: ${err.message}`);
      }
    }
    this.#opts.onEvent({ kind: "failed" });
  }

  /** Stops the server (waiting for a restart under way first); no restart follows. */
  async stop(): Promise<void> {
    this.#closing = true;
    await this.#restarting;
    await this.#owned?.stop();
  }
}

/** The variables set on a server the app starts: the app's own, unset ones left out. */
function serverEnv(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
  );
}
