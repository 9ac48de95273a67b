/**
 * The lifecycle of an OpenCode server the app starts itself: spawn, wait until it listens, drain
 * its output, stop it, and make sure it never outlives the app.
 * @module
 */

/** Set on servers the app starts, to the app's pid, so other instances leave them alone. */
export const OWNER_ENV = "OPENCODE_DESK_OWNER_PID";

const LISTENING = /opencode server listening on (https?:\/\/\S+)/;
// deno-lint-ignore no-control-regex
const ANSI_COLOR = /\x1b\[[0-9;]*m/g;
/** What opencode 1.18 prints when its port is taken (an unhelpful "ServeError"). */
const PORT_TAKEN = /ServeError|EADDRINUSE|address already in use/i;
const TAIL_LINES = 200;
const STOP_GRACE_MS = 3000;

/** A server the app started: stop it before the app exits. */
export interface OwnedServer extends AsyncDisposable {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  readonly pid: number;
  /** Resolves with the exit code once the process has exited (128 + signal number if killed). */
  readonly exited: Promise<number>;
  /** SIGTERM, then SIGKILL after 3 s; resolves once the process is gone. Safe to call twice. */
  stop(): Promise<void>;
  /** The last ~200 lines of its stdout and stderr, for diagnostics. */
  lastLines(): string[];
}

/** How an owned server ended; passed to {@link SpawnOptions.onExit}. */
export interface ServerExit {
  code: number;
  signal: Deno.Signal | null;
  /** True when {@link OwnedServer.stop} asked for it. */
  requested: boolean;
  lastLines: string[];
}

/** Options of {@link spawnServer}. */
export interface SpawnOptions {
  /** The opencode executable, from discover.ts `findOpencodeBinary`. */
  bin: string;
  /** Working directory: the project the server opens by default. */
  dir: string;
  /** Variables set over the app's own environment (or instead of it with `clearEnv`). */
  env?: Record<string, string>;
  clearEnv?: boolean;
  /** Called once when the process exits, whether asked to or not. */
  onExit?: (exit: ServerExit) => void;
  /** Default 127.0.0.1. */
  hostname?: string;
  /** Default: a free port chosen by the app (opencode's own `--port 0` prefers 4096). */
  port?: number;
  /** Default 30 000. */
  readyTimeoutMs?: number;
}

/**
 * Starts `opencode serve --hostname 127.0.0.1 --port <free port>` in `dir` and resolves once it
 * prints `opencode server listening on <url>` (connections made earlier can hang,
 * docs/opencode-api.md §2.3).
 * Rejects after `readyTimeoutMs` or an early exit, quoting the last output lines. Its output keeps
 * being drained afterwards; the last ~200 lines stay available through `lastLines()`.
 */
export async function spawnServer(options: SpawnOptions): Promise<OwnedServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  for (let attempt = 1;; attempt++) {
    const port = options.port ?? freePort(hostname);
    try {
      return await spawnOnce(options, hostname, port);
    } catch (error) {
      // A free port can be taken between our check and opencode's bind; pick another.
      if (!(error instanceof PortTakenError && options.port === undefined && attempt < 3)) {
        throw error;
      }
    }
  }
}

class PortTakenError extends Error {}

function freePort(hostname: string): number {
  using listener = Deno.listen({ hostname, port: 0 });
  return (listener.addr as Deno.NetAddr).port;
}

async function spawnOnce(options: SpawnOptions, hostname: string, port: number) {
  const tail: string[] = [];
  const lastLines = () => tail.map((line) => line.replace(ANSI_COLOR, ""));
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(options.bin, {
      args: ["serve", "--hostname", hostname, "--port", String(port)],
      cwd: options.dir,
      env: { ...options.env, [OWNER_ENV]: String(Deno.pid) },
      clearEnv: options.clearEnv,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`Cannot start opencode server: ${options.bin} or ${options.dir} not found`);
    }
    throw error;
  }

  const ready = Promise.withResolvers<string>();
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    const match = LISTENING.exec(line);
    if (match) ready.resolve(match[1].replace(/\/+$/, ""));
  };
  const pumps = [drainLines(child.stdout, onLine), drainLines(child.stderr, onLine)];
  let done = false;
  let requested = false;
  let started = false; // before that, spawnServer's rejection reports the exit
  const status = child.status.then((s) => {
    done = true;
    if (started) {
      options.onExit?.({ code: s.code, signal: s.signal, requested, lastLines: lastLines() });
    }
    return s;
  });
  const signal = (sig: Deno.Signal) => {
    if (done) return;
    try {
      child.kill(sig);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // already exited
    }
  };
  const stop = async () => {
    requested = true;
    signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), STOP_GRACE_MS);
    try {
      await status;
    } finally {
      clearTimeout(timer);
    }
    // Grandchildren can hold the pipes open; don't wait for them forever.
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise((resolve) => graceTimer = setTimeout(resolve, 500, "timeout"));
    const drained = await Promise.race([Promise.all(pumps.map((p) => p.done)), grace]);
    clearTimeout(graceTimer);
    if (drained === "timeout") {
      for (const pump of pumps) await pump.cancel();
    }
  };

  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    ready.promise,
    status.then(() => null),
    new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), timeoutMs)),
  ]);
  clearTimeout(timer);
  if (typeof outcome !== "string") {
    await stop();
    const why = outcome === null
      ? `exited with code ${(await status).code} before listening`
      : `no "listening" line within ${timeoutMs} ms`;
    const message = `Cannot start opencode server: ${why}\n${lastLines().slice(-20).join("\n")}`;
    const portTaken = outcome === null && PORT_TAKEN.test(lastLines().join("\n"));
    throw portTaken ? new PortTakenError(message) : new Error(message);
  }
  started = true;
  return {
    url: outcome,
    pid: child.pid,
    exited: status.then((s) => s.code),
    stop,
    lastLines,
    [Symbol.asyncDispose]: stop,
  };
}

function drainLines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  const done = (async () => {
    let buffer = "";
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      const lines = (buffer + value).split(/\r?\n/);
      buffer = lines.pop()!;
      lines.forEach(onLine);
    }
    if (buffer) onLine(buffer);
  })();
  return { done, cancel: () => reader.cancel().then(() => done) };
}

/**
 * Runs `cleanup` once when the app is told to quit (SIGINT, SIGTERM, SIGHUP; SIGINT and SIGBREAK
 * on Windows), then exits with 128 + the signal number. A second signal exits at once. On
 * `unload` and on an uncaught error only the synchronous start of `cleanup` can run, which is
 * enough for {@link OwnedServer.stop}: it sends SIGTERM before its first await. Dispose the
 * result to remove the handlers.
 */
export function installExitHandlers(
  cleanup: () => void | Promise<void>,
  options: { exit?: (code: number) => void; graceMs?: number } = {},
): Disposable {
  const exit = options.exit ?? Deno.exit;
  let running: Promise<void> | null = null;
  const runOnce = () => {
    try {
      running ??= Promise.resolve(cleanup());
    } catch (error) {
      running = Promise.reject(error);
    }
    return running;
  };
  const signals: [Deno.Signal, number][] = Deno.build.os === "windows"
    ? [["SIGINT", 130], ["SIGBREAK", 149]]
    : [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]];
  const handlers = signals.map(([sig, code]) => {
    const handler = async () => {
      if (running) return exit(code);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise((resolve) => timer = setTimeout(resolve, options.graceMs ?? 5000));
      try {
        await Promise.race([runOnce(), grace]);
      } catch (error) {
        console.error(`Cannot clean up before exit: ${(error as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
      exit(code);
    };
    Deno.addSignalListener(sig, handler);
    return [sig, handler] as const;
  });
  const onUnload = () => {
    runOnce().catch((error) => console.error(`Cannot clean up before exit: ${error}`));
  };
  globalThis.addEventListener("unload", onUnload);
  globalThis.addEventListener("error", onUnload);
  globalThis.addEventListener("unhandledrejection", onUnload);
  return {
    [Symbol.dispose]() {
      for (const [sig, handler] of handlers) Deno.removeSignalListener(sig, handler);
      globalThis.removeEventListener("unload", onUnload);
      globalThis.removeEventListener("error", onUnload);
      globalThis.removeEventListener("unhandledrejection", onUnload);
    },
  };
}
