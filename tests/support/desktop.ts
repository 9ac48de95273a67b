/**
 * A desktop for tests of the native window: an Xvfb display, a private D-Bus session bus and the
 * dunst notification daemon on both. Each part fails (never skips) when its program is missing,
 * naming the Debian package.
 */

/** Reads a stream line by line until it ends. */
export async function readLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let rest = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + text).split("\n");
    rest = parts.pop()!;
    parts.forEach(onLine);
  }
  if (rest) onLine(rest);
}

/** A background program of the desktop and how to stop it. */
export interface Running {
  stop(): Promise<void>;
}

/**
 * Spawns `cmd` with its stdout piped and waits for the first line `pick` accepts (what the
 * program prints once it is ready), for at most 10 s.
 */
async function startPrinting(
  cmd: string,
  args: string[],
  pkg: string,
  pick: (line: string) => boolean,
): Promise<Running & { line: string }> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, { args, stdin: "null", stdout: "piped", stderr: "null" }).spawn();
  } catch (e) {
    throw new Error(`Cannot run ${cmd}: not found (apt-get install ${pkg}): ${e}`);
  }
  let onPicked!: (line: string) => void;
  const picked = new Promise<string>((r) => onPicked = r);
  const reading = readLines(child.stdout, (line) => pick(line) && onPicked(line));
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    await reading;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const first = await Promise.race([
    picked.then((line) => ({ line })),
    child.status.then((s) => ({ error: `${cmd} exited with ${s.code}` })),
    new Promise<{ error: string }>((r) =>
      timer = setTimeout(() => r({ error: "nothing printed within 10 s" }), 10_000)
    ),
  ]);
  clearTimeout(timer);
  if ("error" in first) {
    await stop();
    throw new Error(`Cannot start ${cmd}: ${first.error}`);
  }
  return { line: first.line, stop };
}

/** Starts Xvfb on a free display (it prints the number it picked: -displayfd). */
export async function startXvfb(
  screen: { width: number; height: number },
): Promise<Running & { display: string }> {
  const xvfb = await startPrinting(
    "Xvfb",
    [
      ...["-displayfd", "1", "-nolisten", "tcp", "-br"],
      ...["-screen", "0", `${screen.width}x${screen.height}x24`],
    ],
    "xvfb",
    (line) => /^\d+$/.test(line),
  );
  return { display: `:${xvfb.line}`, stop: xvfb.stop };
}

/** Starts a private D-Bus session bus; `address` goes in DBUS_SESSION_BUS_ADDRESS. */
export async function startSessionBus(): Promise<Running & { address: string }> {
  const bus = await startPrinting(
    "dbus-daemon",
    ["--session", "--nofork", "--print-address=1"],
    "dbus-daemon",
    (line) => line.startsWith("unix:"),
  );
  return { address: bus.line, stop: bus.stop };
}

/** A notification daemon on `bus` and `display`, and its command line (`dunstctl`). */
export interface Dunst extends Running {
  /** Runs `dunstctl …` and returns what it printed. */
  ctl(...args: string[]): Promise<string>;
  /** How many notifications are on screen. */
  displayed(): Promise<number>;
  /** The notifications closed so far, newest first, as dunst keeps them. */
  history(): Promise<Record<string, string | number>[]>;
}

/**
 * Starts dunst with notifications that never time out (a test waits for them to be clicked or
 * withdrawn) and waits until it answers on the bus.
 */
export async function startDunst(display: string, bus: string, dir: string): Promise<Dunst> {
  const config = `${dir}/dunstrc`;
  await Deno.writeTextFile(
    config,
    "[global]\nidle_threshold = 0\n" +
      ["low", "normal", "critical"].map((u) => `[urgency_${u}]\ntimeout = 0\n`).join(""),
  );
  const env = { DISPLAY: display, DBUS_SESSION_BUS_ADDRESS: bus };
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("dunst", {
      args: ["-config", config],
      env,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
  } catch (e) {
    throw new Error(`Cannot run dunst: not found (apt-get install dunst): ${e}`);
  }
  const ctl = async (...args: string[]) => {
    const out = await new Deno.Command("dunstctl", { args, env, stdin: "null" }).output();
    const text = new TextDecoder().decode(out.stdout);
    if (!out.success) {
      throw new Error(
        `Cannot run dunstctl ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`,
      );
    }
    return text;
  };
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
  };
  const end = Date.now() + 10_000;
  for (;;) {
    try {
      await ctl("is-paused");
      break;
    } catch (err) {
      if (Date.now() > end) {
        await stop();
        throw new Error(`Cannot start dunst: it does not answer on the bus: ${err}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    ctl,
    stop,
    displayed: async () => Number((await ctl("count", "displayed")).trim()),
    history: async () => {
      const json = JSON.parse(await ctl("history")) as {
        data: Record<string, { data: string | number }>[][];
      };
      return (json.data[0] ?? []).map((n) =>
        Object.fromEntries(Object.entries(n).map(([k, v]) => [k, v.data]))
      );
    },
  };
}
