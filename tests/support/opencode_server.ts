/**
 * A real `opencode serve`, sandboxed and offline, for tests (docs/opencode-api.md §2).
 *
 * Everything opencode writes goes under one temp dir; its only provider is a fake model
 * ({@linkcode FakeModel}) on 127.0.0.1.
 * @module
 */
import { type FakeModel, startFakeModel } from "./fake_model.ts";

/** Where the opencode binary is unless `OPENCODE_BIN` or an option says otherwise. */
export const DEFAULT_OPENCODE_BIN = new URL(
  "../../build/tools/node_modules/opencode-ai/bin/opencode.exe",
  import.meta.url,
).pathname;

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const LOG_LINES = 200;
const LISTENING = /opencode server listening on (http:\/\/\S+)/;
const README = "# Fixture project\n\nhello from the opencode fixture\n";

/**
 * The variables that confine opencode to `home` and keep it offline (docs/opencode-api.md §2.1):
 * its config, data and caches under `home`, no models.dev fetch, no update check, no plugin
 * install.
 */
export function offlineEnv(home: string, configPath: string): Record<string, string> {
  return {
    HOME: home,
    XDG_CONFIG_HOME: `${home}/.config`,
    XDG_DATA_HOME: `${home}/.local/share`,
    XDG_CACHE_HOME: `${home}/.cache`,
    XDG_STATE_HOME: `${home}/.local/state`,
    OPENCODE_CONFIG: configPath,
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
    OPENCODE_DISABLE_SHARE: "1",
    OPENCODE_DISABLE_CLAUDE_CODE: "1",
    OPENCODE_DISABLE_EXTERNAL_SKILLS: "1",
    npm_config_offline: "true",
  };
}

/** Options of {@linkcode createSandbox}. */
export interface SandboxOptions {
  /** The fake model's base URL (without `/v1`). */
  modelUrl: string;
  /** The `permission` config, e.g. `{ bash: "ask" }`. None unless set. */
  permission?: Record<string, unknown>;
}

/** A temp dir holding opencode's HOME/XDG dirs, its config and a project dir. */
export interface Sandbox {
  /** The root temp dir; everything opencode writes is under it. */
  root: string;
  /** The project dir (contains README.md), used as the server's cwd. */
  dir: string;
  /** Path of the generated opencode.json. */
  configPath: string;
  /** The variables to set on top of a process env (HOME, XDG_*, OPENCODE_*, npm_config_offline). */
  env: Record<string, string>;
  /** Removes the temp dir. */
  remove(): Promise<void>;
}

/** Options of {@linkcode startOpencode}. */
export interface OpencodeOptions {
  /** The fake model to use; one is started (and closed on stop) unless set. */
  model?: FakeModel;
  /** Token delay of the fake model started here; 25 ms unless set. */
  tokenDelayMs?: number;
  /** The `permission` config, e.g. `{ bash: "ask" }`. */
  permission?: Record<string, unknown>;
  /** Extra env, e.g. `{ OPENCODE_ENABLE_QUESTION_TOOL: "1" }`. */
  env?: Record<string, string>;
  /** The opencode binary; `OPENCODE_BIN` or {@linkcode DEFAULT_OPENCODE_BIN} unless set. */
  bin?: string;
  /** An existing sandbox to reuse (it is not removed on stop). A new one unless set. */
  sandbox?: Sandbox;
  /** Port to listen on (e.g. to come back where a stopped server was); any free one unless set. */
  port?: number;
}

/** A running opencode server; create it with {@linkcode startOpencode}. */
export interface OpencodeServer {
  /** e.g. `http://127.0.0.1:39123` */
  url: string;
  /** The project dir (the server's cwd). */
  dir: string;
  /** The sandbox root temp dir (HOME is `<sandbox>/home`). */
  sandbox: string;
  /** The full env the server runs with; spawn another process with it and `clearEnv: true`. */
  env: Record<string, string>;
  pid: number;
  /** The fake model answering for the server. */
  model: FakeModel;
  /** Milliseconds from spawn to the "listening" line. */
  startMs: number;
  /** The last lines the server printed (stdout and stderr). */
  logs(): string[];
  /** SIGTERM, then SIGKILL after 5 s; removes the sandbox and closes the model if owned. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The opencode.json for a sandbox whose only provider is the fake model at `modelUrl`. */
export function opencodeConfig(
  modelUrl: string,
  permission?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    $schema: "https://opencode.ai/config.json",
    autoupdate: false,
    share: "disabled",
    enabled_providers: ["mock"],
    model: "mock/mock-model",
    small_model: "mock/mock-small",
    ...(permission ? { permission } : {}),
    provider: {
      mock: {
        npm: "@ai-sdk/openai-compatible",
        name: "Mock LLM",
        env: ["MOCK_API_KEY"],
        options: { baseURL: `${modelUrl}/v1`, apiKey: "mock-key" },
        models: {
          "mock-model": {
            name: "Mock Model",
            tool_call: true,
            reasoning: true,
            attachment: true,
            modalities: { input: ["text", "image"], output: ["text"] },
            limit: { context: 128000, output: 8192 },
          },
          "mock-small": {
            name: "Mock Small",
            tool_call: true,
            limit: { context: 32000, output: 4096 },
          },
        },
      },
    },
  };
}

/** Creates a sandbox temp dir with a config pointing at the fake model and a project dir. */
export async function createSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "opencode-sandbox-" }));
  const home = `${root}/home`;
  const dir = `${root}/project`;
  const configPath = `${root}/opencode.json`;
  const env = offlineEnv(home, configPath);
  for (const key of ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"]) {
    await Deno.mkdir(env[key], { recursive: true });
  }
  await Deno.mkdir(dir);
  await Deno.writeTextFile(`${dir}/README.md`, README);
  const config = opencodeConfig(opts.modelUrl, opts.permission);
  await Deno.writeTextFile(configPath, JSON.stringify(config, null, 2));
  return {
    root,
    dir,
    configPath,
    env,
    remove: () => Deno.remove(root, { recursive: true }),
  };
}

/** The current process env without variables that would leak into a sandboxed opencode. */
function baseEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  for (const key of Object.keys(env)) {
    if (key.startsWith("OPENCODE_") || key.startsWith("XDG_")) delete env[key];
  }
  return env;
}

/** Keeps the last lines of a stream and calls `onLine` for each line. */
async function drain(
  stream: ReadableStream<Uint8Array>,
  lines: string[],
  onLine: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  let rest = "";
  const text = stream.pipeThrough(new TextDecoderStream(), { signal });
  for await (const chunk of text) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop() ?? "";
    for (const line of parts) {
      lines.push(line);
      if (lines.length > LOG_LINES) lines.shift();
      onLine(line);
    }
  }
  if (rest) lines.push(rest);
}

/**
 * Starts `opencode serve` on 127.0.0.1 (any free port) in a sandbox, and waits for its
 * "listening" line (never polls before it: docs/opencode-api.md §2.3).
 */
export async function startOpencode(opts: OpencodeOptions = {}): Promise<OpencodeServer> {
  const model = opts.model ?? await startFakeModel({ tokenDelayMs: opts.tokenDelayMs });
  const sandbox = opts.sandbox ??
    await createSandbox({ modelUrl: model.url, permission: opts.permission });
  const cleanup = async () => {
    if (!opts.sandbox) await sandbox.remove();
    if (!opts.model) await model.close();
  };
  const bin = opts.bin ?? Deno.env.get("OPENCODE_BIN") ?? DEFAULT_OPENCODE_BIN;
  const env = { ...baseEnv(), ...sandbox.env, ...opts.env };
  const port = String(opts.port ?? 0);
  const args = ["serve", "--hostname", "127.0.0.1", "--port", port, "--print-logs"];
  const started = performance.now();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(bin, {
      args: [...args, "--log-level", "INFO"],
      cwd: sandbox.dir,
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    await cleanup();
    throw new Error(`Cannot start opencode: spawning ${bin} failed`, { cause: e });
  }
  const lines: string[] = [];
  let onUrl!: (url: string) => void;
  const listening = new Promise<string>((resolve) => onUrl = resolve);
  const watch = (line: string) => {
    const m = line.match(LISTENING);
    if (m) onUrl(m[1]);
  };
  const detach = new AbortController();
  const readers = Promise.allSettled([
    drain(child.stdout, lines, watch, detach.signal),
    drain(child.stderr, lines, watch, detach.signal),
  ]);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    stopped ??= (async () => {
      await terminate(child);
      // A grandchild (a bash tool command) may still hold the pipes: stop reading after 1 s.
      await withTimeout(readers, 1_000);
      detach.abort();
      await readers;
      await cleanup();
    })();

  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(resolve, START_TIMEOUT_MS, "timeout");
  });
  const first = await Promise.race([listening, timeout, child.status]);
  clearTimeout(timer);
  if (typeof first !== "string" || first === "timeout") {
    const state = first === "timeout"
      ? `no "listening" line after ${START_TIMEOUT_MS} ms`
      : `exited with code ${first.code} before listening`;
    await stop();
    throw new Error(`Cannot start opencode: ${state}; last log lines:\n${lines.join("\n")}`);
  }
  const startMs = performance.now() - started;
  return {
    url: first.replace(/\/$/, ""),
    dir: sandbox.dir,
    sandbox: sandbox.root,
    env,
    pid: child.pid,
    model,
    startMs,
    logs: () => [...lines],
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** SIGTERM, then SIGKILL if the process is still alive after the grace period. */
async function terminate(child: Deno.ChildProcess): Promise<void> {
  let exited = false;
  const status = child.status.then(() => {
    exited = true;
  });
  try {
    child.kill("SIGTERM");
  } catch (e) {
    if (!(e instanceof TypeError)) throw e; // already exited
  }
  await withTimeout(status, STOP_GRACE_MS);
  if (!exited) {
    child.kill("SIGKILL");
    await status;
  }
}

/** Waits for `promise`, at most `ms`. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise((resolve) => timer = setTimeout(resolve, ms))]);
  clearTimeout(timer);
}
