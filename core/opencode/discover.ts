/**
 * Finding an OpenCode server: an explicit URL, one already running on this machine, or one the app
 * starts itself (and stops on exit). The only place that knows how `opencode serve` is launched.
 * @module
 */

import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { passwordHeaders } from "./basic_auth.ts";
import { identifyServer, incompatibility } from "./server_kind.ts";
import { type OwnedServer, OWNER_ENV, type ServerExit, spawnServer } from "./server_process.ts";

export {
  installExitHandlers,
  type OwnedServer,
  OWNER_ENV,
  type ServerExit,
  type SpawnOptions,
  spawnServer,
} from "./server_process.ts";

/** The port `opencode serve` and the TUI use when none is given. */
export const DEFAULT_PORT = 4096;
const MIN_BINARY_SIZE = 1024 * 1024;

/**
 * The opencode executable to start: `OPENCODE_BIN`, else `opencode` on `PATH`, else the npm
 * package that ships with the app (`build/tools/node_modules` of the repo, or next to a compiled
 * binary). npm's 479-byte placeholder (left when its postinstall did not run) is skipped: a
 * candidate must be a native executable or larger than 1 MB. Returns null when none is found;
 * throws when `OPENCODE_BIN` names something unusable, since falling back would surprise.
 */
export function findOpencodeBinary(
  env: Record<string, string | undefined>,
  options: { standalone?: boolean; execPath?: string; bundleDirs?: string[] } = {},
): string | null {
  const explicit = env.OPENCODE_BIN;
  if (explicit) {
    if (isUsableBinary(explicit)) return explicit;
    throw new Error(`Cannot use OPENCODE_BIN: ${explicit} is not an opencode executable`);
  }
  const exe = Deno.build.os === "windows" ? "opencode.exe" : "opencode";
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && isUsableBinary(join(dir, exe))) return join(dir, exe);
  }
  for (const base of options.bundleDirs ?? defaultBundleDirs(options)) {
    for (const candidate of bundleCandidates(base, exe)) {
      if (isUsableBinary(candidate)) return candidate;
    }
  }
  return null;
}

function defaultBundleDirs(options: { standalone?: boolean; execPath?: string }): string[] {
  if (options.standalone ?? Deno.build.standalone) {
    return [dirname(options.execPath ?? Deno.execPath())];
  }
  const here = new URL("../../build/tools", import.meta.url);
  return here.protocol === "file:" ? [fileURLToPath(here)] : [];
}

function bundleCandidates(base: string, exe: string): string[] {
  const modules = join(base, "node_modules");
  const platform = `opencode-${Deno.build.os}-${Deno.build.arch === "aarch64" ? "arm64" : "x64"}`;
  let natives: string[] = [];
  try {
    natives = [...Deno.readDirSync(modules)]
      .filter((entry) => entry.name.startsWith(platform))
      .map((entry) => join(modules, entry.name, "bin", exe))
      .sort();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
      throw error;
    }
  }
  return [join(base, exe), join(modules, "opencode-ai", "bin", "opencode.exe"), ...natives];
}

const NATIVE_MAGIC = [
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0xcf, 0xfa, 0xed, 0xfe], // Mach-O 64
  [0xca, 0xfe, 0xba, 0xbe], // Mach-O universal
  [0x4d, 0x5a], // PE ("MZ")
];

/** True for a regular, executable file that is a native binary or larger than 1 MB. */
export function isUsableBinary(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    if (!info.isFile) return false;
    if (info.mode !== null && (info.mode & 0o111) === 0) return false;
    if (info.size > MIN_BINARY_SIZE) return true;
    using file = Deno.openSync(path);
    const head = new Uint8Array(4);
    const n = file.readSync(head) ?? 0;
    return NATIVE_MAGIC.some((magic) => magic.length <= n && magic.every((b, i) => head[i] === b));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied) {
      return false;
    }
    throw error;
  }
}

/**
 * Asks `GET <url>/global/health` (and, for a server that is not OpenCode 1.x, its 2.x routes) what
 * answers, within `timeoutMs`. Returns the version an OpenCode server reports, or null for
 * anything else: a refused or hanging connection, a 401, or a page of another program.
 */
export async function probeServer(
  url: string,
  timeoutMs = 1500,
  headers?: HeadersInit,
): Promise<{ version: string } | null> {
  const kind = await identifyServer(url, { timeoutMs, headers });
  return kind.kind === "opencode1" || (kind.kind === "opencode-other" && kind.version)
    ? { version: kind.version }
    : null;
}

/** A server found by {@link listRunningServers}. */
export interface RunningServer {
  url: string;
  version: string;
  /** The process, when found through /proc. */
  pid: number | null;
}

/**
 * Every healthy OpenCode 1.x server on this machine: the default port first, then (on Linux) each
 * `opencode` process started with `--port N`. Servers started by another live opencode-desk
 * (marked with {@link OWNER_ENV}) are skipped: they go away when that app quits.
 */
export async function listRunningServers(
  options: { defaultPort?: number; timeoutMs?: number; headers?: HeadersInit } = {},
): Promise<RunningServer[]> {
  const candidates = new Map<string, number | null>();
  candidates.set(`http://127.0.0.1:${options.defaultPort ?? DEFAULT_PORT}`, null);
  for (const found of scanProcesses()) {
    if (!candidates.has(found.url)) candidates.set(found.url, found.pid);
  }
  const probes = await Promise.all(
    [...candidates].map(async ([url, pid]) => {
      const kind = await identifyServer(url, {
        timeoutMs: options.timeoutMs ?? 1500,
        headers: options.headers,
      });
      // Only a server this app can speak to: OpenCode 2.x on the default port is left alone.
      return kind.kind === "opencode1" ? { url, version: kind.version, pid } : null;
    }),
  );
  return probes.filter((server) => server !== null);
}

/** The URL of the first server {@link listRunningServers} finds, or null. */
export async function findRunningServer(
  options: { defaultPort?: number; timeoutMs?: number; headers?: HeadersInit } = {},
): Promise<string | null> {
  return (await listRunningServers(options))[0]?.url ?? null;
}

function scanProcesses(procDir = "/proc"): { url: string; pid: number }[] {
  if (Deno.build.os !== "linux") return [];
  const found: { url: string; pid: number }[] = [];
  for (const entry of Deno.readDirSync(procDir)) {
    if (!/^\d+$/.test(entry.name)) continue;
    const pid = Number(entry.name);
    const args = readNulSeparated(`${procDir}/${pid}/cmdline`);
    if (!args || !args.slice(0, 2).some((a) => /^opencode(\.exe)?$/.test(a.split("/").pop()!))) {
      continue;
    }
    const port = Number(flagValue(args, "--port"));
    if (!Number.isInteger(port) || port <= 0 || port > 65535) continue;
    const owner = readNulSeparated(`${procDir}/${pid}/environ`)
      ?.find((v) => v.startsWith(`${OWNER_ENV}=`))?.slice(OWNER_ENV.length + 1);
    if (owner && owner !== String(Deno.pid) && isAlive(`${procDir}/${owner}`)) continue;
    let host = flagValue(args, "--hostname") ?? "127.0.0.1";
    if (host === "0.0.0.0" || host === "::" || host === "") host = "127.0.0.1";
    found.push({ url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`, pid });
  }
  return found.sort((a, b) => a.pid - b.pid);
}

function readNulSeparated(path: string): string[] | null {
  try {
    return new TextDecoder().decode(Deno.readFileSync(path)).split("\0").filter((a) => a !== "");
  } catch (error) {
    // Processes come and go, and other users' environ is unreadable.
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied) {
      return null;
    }
    throw error;
  }
}

function flagValue(args: string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) return args[i + 1];
    if (args[i].startsWith(`${flag}=`)) return args[i].slice(flag.length + 1);
  }
  return undefined;
}

function isAlive(procPath: string): boolean {
  try {
    Deno.statSync(procPath);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** `Authorization` for a server protected by `OPENCODE_SERVER_PASSWORD` (user `opencode`). */
export function serverAuthHeaders(
  env: Record<string, string | undefined>,
): Record<string, string> {
  return passwordHeaders(env.OPENCODE_SERVER_PASSWORD, env.OPENCODE_SERVER_USERNAME);
}

/** No server was found and the settings say not to start one. */
export class NoServerError extends Error {}

/** Where {@link discover} found the server. */
export interface Discovered {
  url: string;
  version: string;
  /** The server the app started, or null when it attached to one. */
  owned: OwnedServer | null;
  /** Headers every request to the server needs (Basic auth when a password is set). */
  headers: Record<string, string>;
}

/**
 * Finds the server to use: the explicit `serverUrl` (or `OPENCODE_URL`; an unreachable one is an
 * error, not a reason to start another), else a healthy server already running here (unless
 * `OPENCODE_DESK_NO_DISCOVERY=1`), else a new one started in `dir` with `env` set over the app's
 * environment.
 */
export async function discover(options: {
  serverUrl?: string | null;
  dir: string;
  env: Record<string, string | undefined>;
  onExit?: (exit: ServerExit) => void;
  probeTimeoutMs?: number;
  /** False: when no server is found, start none ({@link NoServerError}). */
  start?: boolean;
}): Promise<Discovered> {
  const { env } = options;
  const headers = serverAuthHeaders(env);
  const timeoutMs = options.probeTimeoutMs ?? 3000;
  const explicit = options.serverUrl || env.OPENCODE_URL;
  if (explicit) {
    const kind = await identifyServer(explicit, { timeoutMs, headers });
    if (kind.kind !== "opencode1") {
      throw new Error(`Cannot attach to the server at ${explicit}: ${incompatibility(kind)}`);
    }
    return { url: explicit.replace(/\/+$/, ""), version: kind.version, owned: null, headers };
  }
  // OPENCODE_DESK_NO_DISCOVERY=1: always start a server of our own.
  const running = env.OPENCODE_DESK_NO_DISCOVERY === "1"
    ? []
    : await listRunningServers({ timeoutMs: Math.min(timeoutMs, 1500), headers });
  if (running.length > 0) {
    return { url: running[0].url, version: running[0].version, owned: null, headers };
  }

  if (options.start === false) {
    throw new NoServerError(
      "Cannot find an OpenCode server: none is running, and starting one is turned off in Settings",
    );
  }
  const bin = findOpencodeBinary(env);
  if (!bin) {
    throw new Error(
      "Cannot start OpenCode server: no opencode binary found (set OPENCODE_BIN, " +
        "put opencode on PATH, or run `npm install` in build/tools)",
    );
  }
  const serverEnv = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const owned = await spawnServer({
    bin,
    dir: options.dir,
    env: serverEnv,
    onExit: options.onExit,
  });
  const kind = await identifyServer(owned.url, { timeoutMs, headers });
  if (kind.kind !== "opencode1") {
    await owned.stop();
    throw new Error(
      `Cannot use the started OpenCode server at ${owned.url}: ${incompatibility(kind)}`,
    );
  }
  return { url: owned.url, version: kind.version, owned, headers };
}
