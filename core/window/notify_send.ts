/**
 * Desktop notifications through `notify-send` (libnotify-bin 0.8 or newer) for the app's own
 * window, whose webview has no Notification API.
 *
 * Each shown notification is one `notify-send --action=default=Open --print-id` process that
 * waits for it: it prints the notification's id, then the name of the action the person chose
 * ("default": they clicked it), and exits when the notification closes. SIGINT makes it close the
 * notification (the person looked at the session); SIGTERM stops it and leaves the notification
 * shown, so that the next one about the same session replaces it in place (`--replace-id`).
 * notify-send does not flush its output until it exits, so it runs under `stdbuf -oL` (coreutils)
 * where that exists; without it the id comes too late and the old notification is closed instead.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DesktopNotifications } from "../state/notify.ts";

const ICON = new URL("../../ui/icons/icon-192.png", import.meta.url);
const APP_NAME = "OpenCode Desk";
/** A message for the person arrived (freedesktop notification category). */
const CATEGORY = "im.received";

interface Shown {
  child: Deno.ChildProcess;
  /** The notification's id at the server, once printed (0 before). */
  id: number;
  /** We stopped it: its exit is no error. */
  stopped: boolean;
  /** To be closed as soon as it is shown (it was withdrawn before it printed its id). */
  withdrawn: boolean;
  /** Resolves once its output is read and it exited. */
  done: Promise<void>;
}

/** Where `name` is on PATH, or null. */
function which(name: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (!dir) continue;
    try {
      if (Deno.statSync(join(dir, name)).isFile) return join(dir, name);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound || err instanceof Deno.errors.PermissionDenied)) {
        throw err;
      }
    }
  }
  return null;
}

/** The body is markup for most notification servers: a session title is shown as written. */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The app icon as a file another program can read (inside a compiled executable it is not). */
async function iconFile(): Promise<string> {
  if (!Deno.build.standalone) return fileURLToPath(ICON);
  const path = await Deno.makeTempFile({ prefix: "opencode-desk-icon-", suffix: ".png" });
  await Deno.writeFile(path, await Deno.readFile(ICON));
  return path;
}

/** Reads a stream line by line. */
async function eachLine(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void) {
  let rest = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + text).split("\n");
    rest = lines.pop()!;
    lines.forEach(onLine);
  }
  if (rest) onLine(rest);
}

/** Stops a notify-send process with `signal` unless it has exited already. */
function stop(s: Shown, signal: "SIGINT" | "SIGTERM"): void {
  s.stopped = true;
  try {
    s.child.kill(signal);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err; // it exited already
  }
}

/** Desktop notifications through `notify-send`, one per session; see the module comment. */
export class NotifySend implements DesktopNotifications {
  #log: (line: string) => void;
  #shown = new Map<string, Shown>();
  #tools: { notifySend: string | null; stdbuf: string | null } | undefined;
  #icon: Promise<string | null> | undefined;
  /** Shows and withdrawals run in order (the icon is found once, asynchronously). */
  #queue: Promise<void> = Promise.resolve();
  #said = new Set<string>();

  constructor(log: (line: string) => void) {
    this.#log = log;
  }

  show(key: string, summary: string, body: string, onClick: () => void): void {
    this.#icon ??= iconFile().catch((err) => {
      this.#say(`Cannot show the app icon in notifications: ${err.message}`);
      return null;
    });
    const icon = this.#icon;
    this.#queue = this.#queue.then(async () =>
      this.#spawn(key, summary, body, onClick, await icon)
    );
  }

  withdraw(key: string): void {
    this.#queue = this.#queue.then(() => {
      const s = this.#shown.get(key);
      if (!s) return;
      this.#shown.delete(key);
      // Before it printed its id it may not be shown yet, nor ready to close it on SIGINT.
      if (s.id || !this.#tools?.stdbuf) stop(s, "SIGINT");
      else s.withdrawn = true;
    });
  }

  /** Closes every notification still shown (the app is closing). */
  async close(): Promise<void> {
    await this.#queue;
    const all = [...this.#shown.values()];
    this.#shown.clear();
    for (const s of all) stop(s, "SIGINT");
    await Promise.all(all.map((s) => s.done));
  }

  #spawn(key: string, summary: string, body: string, onClick: () => void, icon: string | null) {
    this.#tools ??= { notifySend: which("notify-send"), stdbuf: which("stdbuf") };
    const { notifySend, stdbuf } = this.#tools;
    if (!notifySend) {
      this.#say("Cannot show desktop notifications: notify-send is not installed (libnotify-bin)");
      return;
    }
    const old = this.#shown.get(key);
    // With its id the old one is replaced in place; without, it is closed and a new one shown.
    if (old) stop(old, old.id ? "SIGTERM" : "SIGINT");
    const args = [
      `--app-name=${APP_NAME}`,
      `--category=${CATEGORY}`,
      "--action=default=Open",
      "--print-id",
      ...(icon ? [`--icon=${icon}`] : []),
      ...(old?.id ? [`--replace-id=${old.id}`] : []),
      "--", // a title may start with "-"
      summary,
      escapeMarkup(body),
    ];
    const [cmd, ...rest] = stdbuf ? [stdbuf, "-oL", notifySend, ...args] : [notifySend, ...args];
    const child = new Deno.Command(cmd, {
      args: rest,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const s: Shown = {
      child,
      id: 0,
      stopped: false,
      withdrawn: false,
      done: Promise.resolve(),
    };
    this.#shown.set(key, s);
    const errors = new Response(child.stderr).text();
    s.done = (async () => {
      await eachLine(child.stdout, (line) => {
        if (!s.id && /^\d+$/.test(line)) {
          s.id = Number(line);
          if (s.withdrawn) stop(s, "SIGINT");
        } else if (line === "default" && !s.stopped) onClick();
      });
      const status = await child.status;
      const said = (await errors).trim();
      if (this.#shown.get(key) === s) this.#shown.delete(key);
      if (!status.success && !s.stopped) {
        this.#say(
          `Cannot show a desktop notification: notify-send ended with ${status.code}` +
            (said ? `: ${said}` : ""),
        );
      }
    })().catch((err) => this.#say(`Cannot follow a desktop notification: ${err.message}`));
  }

  /** Logs a sentence once per run (a missing daemon would otherwise repeat it every time). */
  #say(line: string): void {
    if (this.#said.has(line)) return;
    this.#said.add(line);
    this.#log(line);
  }
}
