/**
 * The token browsers present, kept next to state.json (mode 0600) so a phone's bookmark and an
 * open tab keep working after the app restarts. Revoking makes a new one; whoever held the old
 * one is refused from then on. The app's own window gets a token of its own per launch, which is
 * never written down and never revoked.
 */
import { dirname, join } from "node:path";
import { newToken } from "./auth.ts";

const WELL_FORMED = /^[A-Za-z0-9_-]{43}$/;

/** The browser token of this state directory, read from disk or made and saved. */
export class TokenStore {
  readonly path: string | null;
  #token: string;
  /** Why the token cannot be kept on disk, or null while it is. */
  warning: string | null = null;

  private constructor(path: string | null, token: string) {
    this.path = path;
    this.#token = token;
  }

  /**
   * Reads the token saved next to `statePath`, or makes one and saves it. Where nothing can be
   * written the token lives in memory for this run and {@link TokenStore.warning} says so.
   * `statePath` null: never saved (tests that want a fresh token per start).
   */
  static async open(statePath: string | null): Promise<TokenStore> {
    if (statePath === null) return new TokenStore(null, newToken());
    const path = join(dirname(statePath), "token");
    try {
      const saved = (await Deno.readTextFile(path)).trim();
      if (WELL_FORMED.test(saved)) return new TokenStore(path, saved);
    } catch (err) {
      // No token yet; or no state directory (a file in its place): make one for this run.
      if (!(err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory)) {
        throw err;
      }
    }
    const store = new TokenStore(path, newToken());
    await store.#save();
    return store;
  }

  /** The token browsers must present now. */
  get current(): string {
    return this.#token;
  }

  /** Makes and saves a new token; the old one is refused from now on. */
  async revoke(): Promise<string> {
    this.#token = newToken();
    await this.#save();
    return this.#token;
  }

  async #save(): Promise<void> {
    if (!this.path) return;
    const tmp = `${this.path}.tmp-${crypto.randomUUID()}`;
    try {
      await Deno.mkdir(dirname(this.path), { recursive: true });
      await Deno.writeTextFile(tmp, this.#token + "\n", { mode: 0o600 });
      if (Deno.build.os !== "windows") await Deno.chmod(tmp, 0o600);
      await Deno.rename(tmp, this.path);
      this.warning = null;
    } catch (err) {
      // A file-system refusal (read-only, permission, no such directory) carries an OS code.
      if (!(err instanceof Error && "code" in err)) throw err;
      await Deno.remove(tmp).catch(() => {}); // there may be no temp file to clean up
      this.warning = `Cannot save the browser token in ${this.path}: ${
        (err as Error).message
      }; browsers will need the new URL after a restart`;
    }
  }
}
