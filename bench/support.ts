/** Shared pieces of the benchmarks: baselines measured in the same run. */

/** The number after `--name` on the command line, or `fallback`. */
export function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Median (the mean of the middle two for an even count; NaN when empty). */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** VmRSS of a process in MiB (Linux). */
export async function rssMiB(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? NaN) / 1024;
}

const HELLO_SERVER = `Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) =>
  console.log("listening " + port) }, () => new Response("hello world"));
`;

/** A hello-world `Deno.serve` in a `deno run` child: the runtime's own cost. */
export async function startHelloServer(dir: string) {
  const file = `${dir}/hello_server.ts`;
  await Deno.writeTextFile(file, HELLO_SERVER);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-config", "--allow-net", file],
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!/listening \d+\n/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`Cannot start the hello-world server: it printed ${out}`);
    out += value;
  }
  const port = Number(out.match(/listening (\d+)/)![1]);
  // Serve a few requests so the HTTP stack is as warm as the app's.
  for (let i = 0; i < 5; i++) await (await fetch(`http://127.0.0.1:${port}/`)).text();
  return {
    pid: child.pid,
    port,
    async stop() {
      child.kill("SIGTERM");
      await reader.cancel();
      await child.status;
    },
  };
}

/** Runs a bench's cleanups, last registered first; one that fails is reported, not fatal. */
export async function runCleanups(cleanups: (() => unknown)[]): Promise<void> {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (err) {
      console.error("bench: cleanup failed:", err);
    }
  }
}
