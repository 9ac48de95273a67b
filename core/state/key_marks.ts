/**
 * Which provider keys on the server came from this app: for each key it stored, where it came
 * from and a SHA-256 digest of it (never the key), kept in a file beside the state that only its
 * owner can read. The settings compare them with the server's own copy, so after a restart a key
 * entered in the app still reads "key entered here", and a key replaced by another client no
 * longer does.
 */
import type { KnownKeys } from "../opencode/provider_keys.ts";
import { lastFour } from "../opencode/provider_keys.ts";

export type KeyOrigin = "dotenv" | "entered";
type Marks = Record<string, { from: KeyOrigin; digest: string }>;

/** The file the marks of the state file `statePath` are kept in. */
export function keyMarksPath(statePath: string): string {
  return `${statePath}.key-marks`;
}

/** Hex SHA-256 of a key. */
export async function keyDigest(key: string): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key.trim()));
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export class KeyMarks {
  #path: string | null;
  #marks: Marks = {};

  /** `path` null: kept in memory only (a state file that is not saved, and tests). */
  constructor(path: string | null) {
    this.#path = path;
    if (!path) return;
    try {
      const parsed = JSON.parse(Deno.readTextFileSync(path));
      if (parsed && typeof parsed === "object") this.#marks = parsed as Marks;
    } catch (err) {
      // Missing or unreadable marks only cost the "entered here" label.
      if (!(err instanceof Deno.errors.NotFound) && !(err instanceof SyntaxError)) {
        console.warn(`opencode-desk: Cannot read ${path}: ${(err as Error).message}`);
      }
    }
  }

  /** Notes that the app stored `key` for `providerId`. */
  async mark(providerId: string, key: string, from: KeyOrigin): Promise<void> {
    this.#marks[providerId] = { from, digest: await keyDigest(key) };
    await this.#save();
  }

  /** The app removed the key of `providerId`. */
  async unmark(providerId: string): Promise<void> {
    if (!(providerId in this.#marks)) return;
    delete this.#marks[providerId];
    await this.#save();
  }

  /**
   * The providers whose key on the server is one the app stored (compared by digest), with the
   * last four characters of the server's copy. `serverKeys` maps a provider to the key the server
   * holds for it.
   */
  async known(serverKeys: Map<string, string>): Promise<KnownKeys> {
    const known: KnownKeys = new Map();
    for (const [id, key] of serverKeys) {
      const mark = this.#marks[id];
      if (!mark || !key || mark.digest !== await keyDigest(key)) continue;
      known.set(id, { from: mark.from, lastFour: lastFour(key) });
    }
    return known;
  }

  async #save(): Promise<void> {
    if (!this.#path) return;
    await Deno.writeTextFile(this.#path, JSON.stringify(this.#marks), { mode: 0o600 });
    await Deno.chmod(this.#path, 0o600).catch(() => {});
  }
}
