/**
 * Command-line parsing for opencode-desk: flags first, then environment fallbacks.
 *
 * Hand-written (no @std/cli) so the app stays offline-buildable. Every mistake a user can make on
 * the command line becomes a {@link UsageError}; main.ts prints its message plus a hint and exits 2.
 * @module
 */

import { resolve } from "node:path";

/** Everything the command line (and its environment fallbacks) decides. */
export interface CliOptions {
  /** `--help` / `-h`: print {@link HELP_TEXT} and exit. */
  help: boolean;
  /** `--version` / `-V`: print the version and exit. */
  version: boolean;
  /** `--headless`: serve the UI over HTTP for a browser instead of opening a window. */
  headless: boolean;
  /** Interface the app's own UI server binds to. */
  host: string;
  /** Port of the app's own UI server; 0 picks any free port. */
  port: number;
  /** OpenCode server to attach to (`--server` / `OPENCODE_URL`), without a trailing slash. */
  serverUrl: string | null;
  /** Absolute project directory for a server the app starts (`--dir` / `OPENCODE_DIR` / cwd). */
  dir: string;
  /** Whether `dir` was given (else the directory kept in the settings, if any, is used). */
  dirGiven: boolean;
  /** False with `--no-open`: open neither a window nor a browser. */
  open: boolean;
  /** `--allow-host a,b`: more Host names a browser may use when serving beyond loopback. */
  allowHosts: string[];
  /** `--new-instance` / `OPENCODE_DESK_NEW_INSTANCE=1`: run beside another instance, with own state. */
  newInstance: boolean;
  /** `--tls-cert` / `--tls-key`: serve https with this certificate and key (PEM files). */
  tls: { certFile: string; keyFile: string } | null;
}

/** A command-line mistake; its message is fit to show the user as is. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Usage text listing every flag and environment variable. */
export const HELP_TEXT = `opencode-desk: a desktop client for the OpenCode AI agent

Usage: opencode-desk [options]

Options:
  -h, --help          Show this help and exit
  -V, --version       Show the version and exit
      --headless      Do not open a window; serve the UI for a browser instead
      --host HOST     Interface the UI server binds to (default 127.0.0.1)
      --port N        Port of the UI server, 0-65535 (default 0 = any free port)
      --server URL    Attach to a running OpenCode server (http:// or https://)
      --dir PATH      Project directory for an OpenCode server the app starts
                      (default: the current directory)
      --no-open       Open nothing: no window, no browser; just print the URL
      --allow-host NAMES
                      With --host beyond loopback: more host names (comma-separated)
                      that browsers may use to reach the app, e.g. a DNS name of this
                      machine; its own addresses are always allowed
      --new-instance  When the app already runs on the same state file, run beside it
                      with a state of its own (default: hand over to the running one)
      --tls-cert FILE, --tls-key FILE
                      Serve https with this certificate and private key (PEM), so a
                      browser on another machine gets the microphone, notifications
                      and "install app"; both or neither (see README: making one)

Values may be given as "--flag value" or "--flag=value".

Environment (flags win):
  OPENCODE_URL        Same as --server
  OPENCODE_DIR        Same as --dir
  OPENCODE_DESK_HOST  Same as --host
  OPENCODE_DESK_PORT  Same as --port (PORT is also read)
  OPENCODE_DESK_ALLOW_HOST  Same as --allow-host
  OPENCODE_DESK_TLS_CERT, OPENCODE_DESK_TLS_KEY  Same as --tls-cert, --tls-key
  OPENCODE_BIN        The opencode binary to start (default: found on PATH)
  OPENCODE_DESK_NO_DISCOVERY=1: always start a server of our own
  OPENCODE_DESK_NEW_INSTANCE=1: same as --new-instance
  <PROVIDER>_API_KEY  Provider keys (e.g. ANTHROPIC_API_KEY) handed to the OpenCode server;
                      also read from a .env file next to the app
`;

const DEFAULT_HOST = "127.0.0.1";
const BOOLEAN_FLAGS = new Set(["--help", "--version", "--headless", "--no-open", "--new-instance"]);
const VALUE_FLAGS = new Set([
  "--host",
  "--port",
  "--server",
  "--dir",
  "--allow-host",
  "--tls-cert",
  "--tls-key",
]);
const SHORT_FLAGS: Record<string, string> = { "-h": "--help", "-V": "--version" };

/**
 * Parses `argv` (without the program name) into {@link CliOptions}, falling back to `env`.
 *
 * Empty environment values count as unset. `--dir` must name an existing directory, so this reads
 * the file system. Throws {@link UsageError} for unknown flags, missing or invalid values.
 */
export function parseArgs(
  argv: string[],
  env: Record<string, string | undefined>,
): CliOptions {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-") || arg === "-" || arg === "--") {
      throw new UsageError(`Unexpected argument: ${JSON.stringify(arg)}`);
    }
    const eq = arg.indexOf("=");
    const name = SHORT_FLAGS[arg] ?? (eq > 0 ? arg.slice(0, eq) : arg);
    if (BOOLEAN_FLAGS.has(name)) {
      if (eq > 0) {
        throw new UsageError(`Flag ${name} does not take a value`);
      }
      flags.set(name, true);
    } else if (VALUE_FLAGS.has(name)) {
      let value: string;
      if (eq > 0) {
        value = arg.slice(eq + 1);
      } else {
        const next = argv[i + 1];
        if (next === undefined || next.startsWith("--")) {
          throw new UsageError(`Missing value for ${name}`);
        }
        value = next;
        i++;
      }
      flags.set(name, value);
    } else {
      throw new UsageError(`Unknown flag: ${name}`);
    }
  }

  const pick = (flag: string, ...envNames: string[]): [string, string] | null => {
    const value = flags.get(flag);
    if (typeof value === "string") return [value, flag];
    for (const envName of envNames) {
      const fromEnv = env[envName];
      if (fromEnv !== undefined && fromEnv !== "") return [fromEnv, envName];
    }
    return null;
  };

  const host = pick("--host", "OPENCODE_DESK_HOST");
  const port = pick("--port", "OPENCODE_DESK_PORT", "PORT");
  const server = pick("--server", "OPENCODE_URL");
  const dir = pick("--dir", "OPENCODE_DIR");
  const allowHosts = pick("--allow-host", "OPENCODE_DESK_ALLOW_HOST");
  const cert = pick("--tls-cert", "OPENCODE_DESK_TLS_CERT");
  const key = pick("--tls-key", "OPENCODE_DESK_TLS_KEY");
  if (!cert !== !key) {
    throw new UsageError(
      `${cert ? "--tls-cert" : "--tls-key"} needs ${cert ? "--tls-key" : "--tls-cert"} too`,
    );
  }
  return {
    help: flags.has("--help"),
    version: flags.has("--version"),
    headless: flags.has("--headless"),
    host: host ? parseHost(...host) : DEFAULT_HOST,
    port: port ? parsePort(...port) : 0,
    serverUrl: server ? parseServerUrl(...server) : null,
    dir: dir ? parseDir(...dir) : Deno.cwd(),
    dirGiven: dir !== null,
    open: !flags.has("--no-open"),
    allowHosts: allowHosts ? parseHostList(...allowHosts) : [],
    newInstance: flags.has("--new-instance") || env.OPENCODE_DESK_NEW_INSTANCE === "1",
    tls: cert && key ? { certFile: parseFile(...cert), keyFile: parseFile(...key) } : null,
  };
}

function invalid(source: string, value: string, expected: string): UsageError {
  return new UsageError(
    `Invalid value for ${source}: ${JSON.stringify(value)} (expected ${expected})`,
  );
}

function parseHost(value: string, source: string): string {
  if (value === "" || /[\s/]/.test(value)) throw invalid(source, value, "a host name or IP");
  return value;
}

function parseHostList(value: string, source: string): string[] {
  const names = value.split(",").map((n) => n.trim().toLowerCase()).filter(Boolean);
  const name = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/;
  if (!names.length || names.some((n) => !name.test(n))) {
    throw invalid(source, value, "host names separated by commas, without ports");
  }
  return names;
}

function parsePort(value: string, source: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535)) throw invalid(source, value, "0-65535");
  return port;
}

function parseServerUrl(value: string, source: string): string {
  const expected = "an http:// or https:// URL";
  if (!URL.canParse(value)) throw invalid(source, value, expected);
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid(source, value, expected);
  if (url.search || url.hash) throw invalid(source, value, `${expected} without ? or #`);
  return url.href.replace(/\/+$/, "");
}

function parseFile(value: string, source: string): string {
  const path = resolve(value);
  try {
    if (Deno.statSync(path).isFile) return path;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied)) {
      throw error;
    }
  }
  throw invalid(source, value, "a readable PEM file");
}

function parseDir(value: string, source: string): string {
  if (value === "") throw invalid(source, value, "an existing directory");
  const path = resolve(value);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw invalid(source, value, "an existing directory; it does not exist");
    }
    if (error instanceof Deno.errors.PermissionDenied) {
      throw invalid(source, value, "an existing directory; permission denied");
    }
    throw error;
  }
  if (!info.isDirectory) throw invalid(source, value, "an existing directory; it is not one");
  return path;
}
