/**
 * Which server the app talks to at start: `--server` / `OPENCODE_URL`, else the server kept in the
 * settings (if it still answers), else one found running here, else one the app starts (unless the
 * settings say not to). A found server that works in another project directory is attached, but
 * the person is told and may start one here instead (`choice` "foreign-directory").
 * @module
 */
import { passwordHeaders } from "./basic_auth.ts";
import { discover, type Discovered, NoServerError, type ServerExit } from "./discover.ts";
import { checkServer } from "./server_check.ts";

/** What {@link chooseServer} settled on. */
export interface Chosen {
  /** Null: no server (none found, and starting one is turned off). */
  found: Discovered | null;
  /** The password for it, if any (a secret: never logged). */
  password?: string;
  /** What went wrong on the way, as a sentence, for the settings. */
  lastError: string;
  /** "foreign-directory" when the found server works elsewhere; `otherDirectory` says where. */
  choice: string;
  otherDirectory: string;
}

export interface ChooseOptions {
  serverUrl: string | null;
  dir: string;
  env: Record<string, string | undefined>;
  kept: { url: string; password?: string; neverStart: boolean };
  onExit: (exit: ServerExit) => void;
  log: (line: string) => void;
}

/** Finds the server to start with; see the module comment for the order. */
export async function chooseServer(o: ChooseOptions): Promise<Chosen> {
  const explicit = o.serverUrl || o.env.OPENCODE_URL;
  const user = o.env.OPENCODE_SERVER_USERNAME;
  let lastError = "";
  if (!explicit && o.kept.url) {
    try {
      const headers = passwordHeaders(o.kept.password, user);
      const version = await checkServer(o.kept.url, headers);
      const found = { url: o.kept.url, version, owned: null, headers };
      return { found, password: o.kept.password, lastError, choice: "", otherDirectory: "" };
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      lastError = `${err.message}; looked for another server instead`;
      o.log(lastError);
    }
  }
  let found: Discovered;
  try {
    found = await discover({
      serverUrl: o.serverUrl ?? undefined,
      dir: o.dir,
      env: o.env,
      onExit: o.onExit,
      start: !o.kept.neverStart,
    });
  } catch (err) {
    if (!(err instanceof NoServerError)) throw err;
    o.log(err.message);
    return { found: null, lastError: err.message, choice: "", otherDirectory: "" };
  }
  const password = o.env.OPENCODE_SERVER_PASSWORD;
  if (found.owned || explicit) {
    return { found, password, lastError, choice: "", otherDirectory: "" };
  }
  const other = await serverDirectory(found.url, found.headers);
  if (other === null || samePath(other, o.dir)) {
    return { found, password, lastError, choice: "", otherDirectory: "" };
  }
  o.log(
    `the OpenCode server at ${found.url} works in ${other}, not in ${o.dir}; attached to it ` +
      "(Settings → Server offers to start one here instead)",
  );
  return { found, password, lastError, choice: "foreign-directory", otherDirectory: other };
}

/** The directory a server works in (`GET /path`), or null when it does not say. */
export async function serverDirectory(
  url: string,
  headers: Record<string, string>,
): Promise<string | null> {
  try {
    const res = await fetch(`${url}/path`, { headers, signal: AbortSignal.timeout(3000) });
    if (!res.ok) {
      await res.body?.cancel();
      return null;
    }
    const dir = (await res.json())?.directory;
    return typeof dir === "string" && dir ? dir : null;
  } catch (err) {
    if (err instanceof TypeError || err instanceof SyntaxError || err instanceof DOMException) {
      return null;
    }
    throw err;
  }
}

/** Whether two paths name the same directory (symlinks resolved where they exist). */
export function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return Deno.realPathSync(p);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
      return p.replace(/\/+$/, "");
    }
  };
  return real(a) === real(b);
}
