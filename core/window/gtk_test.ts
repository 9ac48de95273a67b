/**
 * Tests for the native window. Run with `deno test --allow-all core/window/`.
 *
 * Needs these apt packages (Debian 12): libgtk-3-0 and libwebkit2gtk-4.1-0 (the window itself;
 * libX11 comes with them), and xvfb (the X server the window test draws on; the test fails,
 * not skips, without it). Screen grabs and closing the window go through Xlib from
 * testdata/x11.ts, so no other X tools are needed. Set WINDOW_TEST_SCREENSHOT=/path/shot.png to
 * keep the screenshot.
 *
 * Each case runs the window in a child Deno process: GTK's initialisation is process-global.
 */
import { findWindow, screenshot, sendDeleteWindow, toPng } from "./testdata/x11.ts";

const dir = new URL("./testdata/", import.meta.url);
const PAGE_RGB = [0xe0, 0x21, 0x8a]; // the div colour in testdata/serve_window.ts

function assert(ok: unknown, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

/** Env of this process without the display variables, plus `extra`. */
function envWithout(extra: Record<string, string> = {}): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return { ...env, ...extra };
}

async function tryOpen(env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL("no_display.ts", dir).pathname],
    clearEnv: true,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  assert(out.success, `no_display.ts failed:\n${text}\n${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(text) as { name: string; message: string; ms: number };
}

Deno.test("openWindow rejects quickly with WindowUnavailableError without a display", async () => {
  const r = await tryOpen(envWithout());
  assert(r.name === "WindowUnavailableError", `expected WindowUnavailableError, got ${r.name}`);
  assert(
    r.message === "Cannot open a window: no display (DISPLAY and WAYLAND_DISPLAY are unset)",
    r.message,
  );
  assert(r.ms < 500, `took ${r.ms} ms`);
});

Deno.test("openWindow rejects with WindowUnavailableError when the X server is absent", async () => {
  const r = await tryOpen(envWithout({ DISPLAY: ":999" })); // nothing listens there
  assert(r.name === "WindowUnavailableError", `expected WindowUnavailableError, got ${r.name}`);
  assert(r.message === "Cannot open a window: GTK cannot connect to display :999", r.message);
  assert(r.ms < 2000, `took ${r.ms} ms`);
});

/** Collects a child's output lines and waits for one to match. */
class Lines {
  lines: string[] = [];
  #waiters: (() => void)[] = [];
  done: Promise<void>;
  constructor(stream: ReadableStream<Uint8Array>) {
    this.done = (async () => {
      let rest = "";
      for await (const text of stream.pipeThrough(new TextDecoderStream())) {
        const parts = (rest + text).split("\n");
        rest = parts.pop()!;
        this.lines.push(...parts);
        this.#waiters.splice(0).forEach((w) => w());
      }
      if (rest) this.lines.push(rest);
      this.#waiters.splice(0).forEach((w) => w());
    })();
  }
  async waitFor(re: RegExp, ms: number, what: string): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    let ended = false;
    this.done.then(() => ended = true);
    for (;;) {
      for (const line of this.lines) {
        const m = line.match(re);
        if (m) return m;
      }
      const left = deadline - Date.now();
      if (left <= 0 || ended) throw new Error(`Cannot see ${what}: output was\n${this}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }
  toString() {
    return this.lines.join("\n");
  }
}

async function startXvfb(): Promise<{ display: string; stop: () => Promise<void> }> {
  let xvfb;
  try {
    // -displayfd 1: Xvfb picks a free display number and prints it on stdout once ready.
    xvfb = new Deno.Command("Xvfb", {
      args: ["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
      stdout: "piped",
      stderr: "null",
    }).spawn();
  } catch (e) {
    throw new Error(`Cannot run the window test: Xvfb not found (apt-get install xvfb): ${e}`);
  }
  const out = new Lines(xvfb.stdout);
  const stop = async () => {
    xvfb.kill("SIGTERM");
    await xvfb.status;
    await out.done;
  };
  try {
    const [, n] = await out.waitFor(/^(\d+)$/, 10_000, "Xvfb's display number");
    return { display: `:${n}`, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

type Window = { child: Deno.ChildProcess; stdout: Lines; stderr: Lines };

/**
 * Runs testdata/serve_window.ts on `display`, waits until its window has requested the page,
 * runs `body` (which must make the window close), then expects the child to exit by itself.
 */
async function withWindow(
  display: string,
  title: string,
  body: (w: Window & { opened: number }) => Promise<void>,
): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL("serve_window.ts", dir).pathname, title],
    clearEnv: true,
    env: envWithout({ DISPLAY: display }),
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = { child, stdout: new Lines(child.stdout), stderr: new Lines(child.stderr) };
  try {
    const [, port] = await w.stdout.waitFor(/^LISTENING (\d+)$/, 15_000, "the server listen");
    const [, opened] = await w.stdout.waitFor(/^OPENED (\d+)$/, 15_000, "the window open");
    await w.stdout.waitFor(/^REQUEST \/$/, 15_000, "the webview request the page");
    // The pump must leave Deno's event loop free: the child still serves other clients.
    const res = await fetch(`http://127.0.0.1:${port}/from-test`);
    await res.body?.cancel();
    assert(res.ok, `Cannot fetch from the child while its window is open: ${res.status}`);
    await body({ ...w, opened: Number(opened) });
  } catch (e) {
    child.kill("SIGKILL");
    await Promise.all([child.status, w.stdout.done, w.stderr.done]);
    throw new Error(`${(e as Error).message}\nchild stdout:\n${w.stdout}\nstderr:\n${w.stderr}`);
  }
  await expectExit(w, 10_000);
}

async function expectExit(w: Window, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((r) => timer = setTimeout(() => r("timeout"), ms));
  const status = await Promise.race([w.child.status, timeout]);
  clearTimeout(timer);
  if (status === "timeout") w.child.kill("SIGKILL");
  await Promise.all([w.child.status, w.stdout.done, w.stderr.done]);
  const log = `stdout:\n${w.stdout}\nstderr:\n${w.stderr}`;
  assert(status !== "timeout", `Cannot see the child exit by itself within ${ms} ms; ${log}`);
  assert(status.success, `child exited with ${status.code}; ${log}`);
  const closed = w.stdout.lines.filter((l) => l === "CLOSED").length;
  assert(closed === 1, `onClose ran ${closed} times; ${log}`);
}

/** Fraction of the screen in the page's colour, and the number of distinct colours. */
function analyse({ rgb }: { rgb: Uint8Array }) {
  const colours = new Set<number>();
  let page = 0;
  for (let i = 0; i < rgb.length; i += 3) {
    colours.add((rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2]);
    if (rgb[i] === PAGE_RGB[0] && rgb[i + 1] === PAGE_RGB[1] && rgb[i + 2] === PAGE_RGB[2]) page++;
  }
  return { pageShare: page / (rgb.length / 3), colours: colours.size };
}

Deno.test("openWindow shows the served page under Xvfb and closes cleanly", async (t) => {
  const { display, stop } = await startXvfb();
  try {
    await t.step(
      "the window renders the page; closing it like a user ends the process",
      () =>
        withWindow(display, "window-test-user-close", async ({ opened }) => {
          const started = Date.now();
          let shot = screenshot(display), seen = analyse(shot);
          while (seen.pageShare < 0.5 && Date.now() - started < 15_000) {
            await new Promise((r) => setTimeout(r, 50));
            shot = screenshot(display);
            seen = analyse(shot);
          }
          const png = Deno.env.get("WINDOW_TEST_SCREENSHOT");
          if (png) await Deno.writeFile(png, await toPng(shot));
          assert(seen.pageShare >= 0.5, `page colour covers ${seen.pageShare} of the screen`);
          assert(seen.colours > 10, `only ${seen.colours} colours: the text did not render`);
          console.log(
            `window shown ${opened} ms after openWindow(), page painted ${
              Date.now() - started
            } ms after its request`,
          );

          const win = findWindow(display, "window-test-user-close");
          assert(win, "Cannot find the window: no top-level window has its title");
          sendDeleteWindow(display, win);
        }),
    );

    await t.step(
      "close() from code (SIGTERM in the helper) ends the process",
      () =>
        withWindow(display, "window-test-close", ({ child }) => {
          child.kill("SIGTERM");
          return Promise.resolve();
        }),
    );
  } finally {
    await stop();
  }
});
