/**
 * One app per state file: the running instance keeps `<state file>.lock` beside it with its
 * process id and URL (with the token: the file is readable by this user only). A second launch
 * finds it, checks that the instance still answers, and hands over to it instead of sharing (and
 * overwriting) the state file; a lock left by an instance that died is taken over.
 * @module
 */
import { dirname } from "node:path";

/** What the lock file says about the instance that holds it. */
export interface InstanceInfo {
  pid: number;
  /** The URL to open (with `#token=`); "" while the instance is still starting. */
  url: string;
  startedAt: number;
}

/** The outcome of {@link claimInstance}. */
export type Claim =
  | { kind: "claimed"; lock: InstanceLock }
  | { kind: "running"; info: InstanceInfo }
  /** No lock can be written there (a read-only directory): nothing else can be written either. */
  | { kind: "unlockable"; reason: string };

/** Whether an error says the directory takes no writes (permission, read-only file system). */
function unwritable(err: unknown): err is Error {
  return err instanceof Deno.errors.PermissionDenied ||
    (err instanceof Error && /os error 30\b|read-only file system/i.test(err.message));
}

/** How long a second launch waits for a starting instance to say its URL. */
const STARTING_WAIT_MS = 20_000;
const POLL_MS = 200;
/** An unreadable lock file older than this was left by an instance killed while writing it. */
const HALF_WRITTEN_MS = 2_000;

/** The lock file of a state file. */
export function lockPath(statePath: string): string {
  return `${statePath}.lock`;
}

/** The lock file's content, or null when it is missing, empty or not the app's (being written). */
export function parseLock(text: string): InstanceInfo | null {
  try {
    const v = JSON.parse(text);
    if (!Number.isInteger(v?.pid) || typeof v?.url !== "string") return null;
    return { pid: v.pid, url: v.url, startedAt: Number(v.startedAt) || 0 };
  } catch (err) {
    if (err instanceof SyntaxError) return null;
    throw err;
  }
}

/** Whether a process runs (Linux: /proc; elsewhere assumed, and the URL check decides). */
function processRuns(pid: number): boolean {
  if (Deno.build.os !== "linux") return true;
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

/** Whether the app at `url` answers (any HTTP answer from its origin within a second). */
async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(new URL(url).origin + "/", { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return true;
  } catch (err) {
    if (err instanceof TypeError || err instanceof DOMException) return false;
    throw err;
  }
}

async function youngerThan(path: string, ms: number): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    return Date.now() - (info.mtime?.getTime() ?? 0) < ms;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

async function readLock(path: string): Promise<InstanceInfo | null | "missing"> {
  try {
    return parseLock(await Deno.readTextFile(path));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return "missing";
    throw err;
  }
}

/**
 * Takes the lock of `statePath`, or says which live instance holds it. A lock whose process is
 * gone, or whose URL no longer answers, is stale and taken over; one whose instance is still
 * starting is waited for until it says its URL.
 */
export async function claimInstance(statePath: string): Promise<Claim> {
  const path = lockPath(statePath);
  try {
    await Deno.mkdir(dirname(path), { recursive: true });
  } catch (err) {
    if (unwritable(err)) return { kind: "unlockable", reason: err.message };
    throw err;
  }
  const deadline = Date.now() + STARTING_WAIT_MS;
  while (true) {
    try {
      const file = await Deno.open(path, { write: true, createNew: true, mode: 0o600 });
      const lock = new InstanceLock(path);
      try {
        await file.write(new TextEncoder().encode(lock.text("")));
      } finally {
        file.close();
      }
      return { kind: "claimed", lock };
    } catch (err) {
      if (unwritable(err)) return { kind: "unlockable", reason: err.message };
      if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
    }
    const info = await readLock(path);
    if (info === "missing") continue; // released meanwhile
    const live = info !== null && info.pid !== Deno.pid && processRuns(info.pid);
    if (live && info.url && await answers(info.url)) return { kind: "running", info };
    // Unreadable: being written now, or left half-written by a killed instance (then it is old).
    const starting = info === null ? await youngerThan(path, HALF_WRITTEN_MS) : live && !info.url;
    if (starting && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      continue;
    }
    await Deno.remove(path).catch((err) => {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    });
  }
}

/** The lock this instance holds: say the URL once it is up, release it on exit. */
export class InstanceLock {
  /** Null: no lock could be written (see {@link Claim}); announce and release do nothing. */
  readonly path: string | null;
  readonly #startedAt = Date.now();
  /** A directory this instance made for its own state, removed on release. */
  readonly #scratch: string | null;

  constructor(path: string | null, scratch: string | null = null) {
    this.path = path;
    this.#scratch = scratch;
  }

  text(url: string): string {
    return JSON.stringify({ pid: Deno.pid, url, startedAt: this.#startedAt }) + "\n";
  }

  /** Writes the URL a second launch hands over to (whole, or not at all). */
  async announce(url: string): Promise<void> {
    if (!this.path) return;
    const tmp = `${this.path}.tmp-${Deno.pid}`;
    await Deno.writeTextFile(tmp, this.text(url), { mode: 0o600 });
    await Deno.rename(tmp, this.path);
  }

  /**
   * Removes the lock if it is still this instance's, and the state directory it made for itself
   * (synchronous: it runs at exit).
   */
  release(): void {
    try {
      if (this.path) {
        const info = parseLock(Deno.readTextFileSync(this.path));
        if (info?.pid === Deno.pid) Deno.removeSync(this.path);
      }
      if (this.#scratch) Deno.removeSync(this.#scratch, { recursive: true });
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
}
