/**
 * Runs `main.ts` as a child process, the way a person starts the app, and reads the URL it
 * prints. Used by the CLI, lifecycle, browser and window tests.
 */

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const READY = /^opencode-desk: (?:open|window open on) (\S+)/;

export interface AppProcess {
  /** The URL with `#token=…` (headless) or the origin (window). */
  url: string;
  /** http://host:port */
  origin: string;
  pid: number;
  child: Deno.ChildProcess;
  /** Everything printed so far (stdout and stderr, in arrival order). */
  output(): string[];
  /** Resolves with the exit code. */
  exited: Promise<number>;
  /** SIGTERM and wait (SIGKILL after 10 s). */
  stop(): Promise<number>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface AppProcessOptions {
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** How long to wait for the ready line. */
  timeoutMs?: number;
  /**
   * A command that runs deno, its arguments following these (it must exec them, so the child's
   * pid stays deno's), e.g. `unshare --mount sh -c '…; exec "$@"' sh`.
   */
  wrap?: string[];
}

function pump(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  return (async () => {
    let buf = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        onLine(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    }
    if (buf) onLine(buf);
  })();
}

/**
 * Deno's cache of this test process: a child with a sandboxed HOME would otherwise start a cache
 * of its own and fetch npm metadata again.
 */
export function denoDir(): string {
  const explicit = Deno.env.get("DENO_DIR");
  if (explicit) return explicit;
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  return `${xdg || `${Deno.env.get("HOME")}/.cache`}/deno`;
}

/** Spawns `deno run -A main.ts …` and waits for its ready line. */
export async function startAppProcess(opts: AppProcessOptions): Promise<AppProcess> {
  const deno = [Deno.execPath(), "run", "--allow-all", MAIN, ...opts.args];
  const [cmd, ...args] = [...opts.wrap ?? [], ...deno];
  const child = new Deno.Command(cmd, {
    args,
    env: { DENO_DIR: denoDir(), DENO_NO_UPDATE_CHECK: "1", ...opts.env },
    clearEnv: true,
    cwd: opts.cwd,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const lines: string[] = [];
  let resolveReady: (url: string) => void;
  const ready = new Promise<string>((r) => (resolveReady = r));
  const onLine = (line: string) => {
    lines.push(line);
    const m = line.match(READY);
    if (m) resolveReady(m[1]);
  };
  const pumps = Promise.all([pump(child.stdout, onLine), pump(child.stderr, onLine)]);
  const exited = child.status.then(async (s) => {
    await pumps;
    return s.code;
  });
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const url = await Promise.race([
    ready,
    exited.then((code) => {
      throw new Error(`Cannot start the app: it exited with ${code}\n${lines.join("\n")}`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `Cannot start the app: no ready line in ${timeoutMs} ms\n${lines.join("\n")}`,
            ),
          ),
        timeoutMs,
      );
    }),
  ]).catch(async (err) => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await exited;
    throw err;
  }).finally(() => clearTimeout(timer));
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch (err) {
      if (!(err instanceof TypeError)) throw err; // already exited
    }
    const t = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    }, 10_000);
    const code = await exited;
    clearTimeout(t);
    return code;
  };
  return {
    url,
    origin: new URL(url).origin,
    pid: child.pid,
    child,
    output: () => [...lines],
    exited,
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
    },
  };
}

/** PIDs of the direct children of `pid` (Linux /proc). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(e.name));
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  return out;
}

/** Whether a process is still alive (zombies count as gone). */
export function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}
