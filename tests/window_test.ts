/**
 * The real app in its native window, as a person uses it: the real OpenCode server with the fake
 * model, `main.ts --server URL` (no --headless) on an Xvfb display, the chat UI checked on
 * screenshots, "hello" typed with XTest, and the window closed like a window manager does.
 *
 * Needs xvfb (the test fails, not skips, without it), libgtk-3-0 + libwebkit2gtk-4.1-0 (the
 * window) and libX11/libXtst (GTK dependencies; screenshots, closing and typing go through them by
 * FFI). Set WINDOW_TEST_SCREENSHOT=/path/shot.png to keep the screenshots (shot-connected.png,
 * shot-sent.png).
 */
import { assert, assertEquals, waitFor } from "./support/assert.ts";
import { type OpencodeServer, startOpencode } from "./support/opencode_server.ts";
import { type AppProcess, startAppProcess } from "./support/app_process.ts";
import { startXvfb } from "./support/desktop.ts";
import {
  findWindow,
  type Screenshot,
  screenshot,
  sendDeleteWindow,
  toPng,
} from "../core/window/testdata/x11.ts";

const TITLE = "OpenCode Desk";
const SCREEN = { width: 1280, height: 1024 };

// Colours of ui/styles.css (light scheme).
type Rgb = readonly [number, number, number];
const BG: Rgb = [0xfb, 0xfb, 0xfa]; // --bg: the page
const OK: Rgb = [0x17, 0x69, 0x2f]; // --ok: the status bar's dot once "Connected"
const USER_BG: Rgb = [0xe9, 0xef, 0xfb]; // --user-bg: a user message

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Env without any display, plus `extra`. */
function withoutDisplay(env: Record<string, string>, extra: Record<string, string> = {}) {
  const out = { ...env, ...extra };
  if (!("DISPLAY" in extra)) delete out.DISPLAY;
  delete out.WAYLAND_DISPLAY;
  return out;
}

/** Keyboard and mouse input through the XTest extension (libXtst, a GTK dependency). */
const P = "pointer" as const;
let input: ReturnType<typeof loadInput> | undefined;
function loadInput() {
  const x11 = Deno.dlopen("libX11.so.6", {
    XOpenDisplay: { parameters: ["buffer"], result: P },
    XCloseDisplay: { parameters: [P], result: "i32" },
    XDefaultScreen: { parameters: [P], result: "i32" },
    XStringToKeysym: { parameters: ["buffer"], result: "u64" },
    XKeysymToKeycode: { parameters: [P, "u64"], result: "u8" },
    XSetInputFocus: { parameters: [P, "u64", "i32", "u64"], result: "i32" },
    XSync: { parameters: [P, "i32"], result: "i32" },
  }).symbols;
  const xtst = Deno.dlopen("libXtst.so.6", {
    XTestFakeKeyEvent: { parameters: [P, "u32", "i32", "u64"], result: "i32" },
    XTestFakeButtonEvent: { parameters: [P, "u32", "i32", "u64"], result: "i32" },
    XTestFakeMotionEvent: { parameters: [P, "i32", "i32", "i32", "u64"], result: "i32" },
  }).symbols;
  return { x11, xtst };
}
const cstr = (s: string) => new TextEncoder().encode(s + "\0");

/**
 * Focuses `win`, clicks at (x, y) unless `at` is null, and types `keys` (X keysym names, e.g.
 * "h", "Return").
 */
async function clickAndType(
  display: string,
  win: bigint,
  at: { x: number; y: number } | null,
  keys: string[],
) {
  const { x11, xtst } = input ??= loadInput();
  const dpy = x11.XOpenDisplay(cstr(display));
  if (!dpy) throw new Error(`Cannot open X display ${display}: XOpenDisplay failed`);
  const step = async () => {
    x11.XSync(dpy, 0);
    await sleep(30); // let the app's GTK pump (every 16 ms) and WebKit take each event in turn
  };
  try {
    x11.XSetInputFocus(dpy, win, 2, /* RevertToParent */ 0n /* CurrentTime */);
    await step();
    if (at) {
      xtst.XTestFakeMotionEvent(dpy, x11.XDefaultScreen(dpy), at.x, at.y, 0n);
      await step();
      xtst.XTestFakeButtonEvent(dpy, 1, 1, 0n);
      await step();
      xtst.XTestFakeButtonEvent(dpy, 1, 0, 0n);
      await step();
    }
    for (const key of keys) {
      const code = x11.XKeysymToKeycode(dpy, x11.XStringToKeysym(cstr(key)));
      if (!code) throw new Error(`Cannot type ${key}: no keycode for it`);
      xtst.XTestFakeKeyEvent(dpy, code, 1, 0n);
      await step();
      xtst.XTestFakeKeyEvent(dpy, code, 0, 0n);
      await step();
    }
  } finally {
    x11.XCloseDisplay(dpy);
  }
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
  count: number;
}

const near = (rgb: Uint8Array, i: number, c: Rgb, tol: number) =>
  Math.abs(rgb[i] - c[0]) <= tol && Math.abs(rgb[i + 1] - c[1]) <= tol &&
  Math.abs(rgb[i + 2] - c[2]) <= tol;

/** The bounding box (and count) of the pixels inside `area` whose offset `i` passes `keep`. */
function boxOf(shot: Screenshot, keep: (i: number) => boolean, area?: Box): Box {
  const a = area ?? { left: 0, top: 0, right: shot.width, bottom: shot.height, count: 0 };
  const box = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity, count: 0 };
  for (let y = a.top; y < a.bottom; y++) {
    for (let x = a.left; x < a.right; x++) {
      if (!keep((y * shot.width + x) * 3)) continue;
      box.count++;
      box.left = Math.min(box.left, x);
      box.right = Math.max(box.right, x + 1);
      box.top = Math.min(box.top, y);
      box.bottom = Math.max(box.bottom, y + 1);
    }
  }
  return box;
}

/** Where the pixels of colour `c` are (± `tol` per channel) inside `area`. */
function find(shot: Screenshot, c: Rgb, tol: number, area?: Box): Box {
  return boxOf(shot, (i) => near(shot.rgb, i, c, tol), area);
}

/** The window: the non-black part of the screen (Xvfb -br paints the root black; no WM). */
function windowBox(shot: Screenshot): Box {
  const rgb = shot.rgb;
  return boxOf(shot, (i) => !!(rgb[i] || rgb[i + 1] || rgb[i + 2]));
}

/** What the chat UI should show in the window, measured on a screenshot. */
function analyse(shot: Screenshot) {
  const win = windowBox(shot);
  const area = (win.right - win.left) * (win.bottom - win.top) || 1;
  const colours = new Set<number>();
  for (let y = Math.max(win.top, 0); y < win.bottom; y++) {
    for (let x = win.left; x < win.right; x++) {
      const i = (y * shot.width + x) * 3;
      colours.add((shot.rgb[i] << 16) | (shot.rgb[i + 1] << 8) | shot.rgb[i + 2]);
    }
  }
  const bg = find(shot, BG, 2, win);
  const dot = find(shot, OK, 8, win);
  const user = find(shot, USER_BG, 2, win);
  return {
    win,
    colours: colours.size,
    bgShare: bg.count / area,
    dot,
    user,
    /** The page is painted and the status bar's dot is green ("Connected"). */
    connected: win.count > 0 && bg.count / area > 0.5 && colours.size > 50 && dot.count >= 9,
  };
}

type Seen = ReturnType<typeof analyse>;
const describe = (s: Seen) =>
  JSON.stringify({
    window: [s.win.left, s.win.top, s.win.right, s.win.bottom],
    colours: s.colours,
    bgShare: +s.bgShare.toFixed(3),
    okDot: s.dot.count,
    userBubble: s.user.count,
  });

/** Polls screenshots until `ok` holds for the analysis; saves the last one if asked to. */
async function waitForScreen(
  display: string,
  name: string,
  what: string,
  ok: (s: Seen) => boolean,
  timeoutMs = 15_000,
): Promise<Seen> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const shot = screenshot(display);
    const seen = analyse(shot);
    const done = ok(seen);
    if (done || Date.now() > end) {
      const png = Deno.env.get("WINDOW_TEST_SCREENSHOT");
      if (png) await Deno.writeFile(png.replace(/(\.png)?$/, `-${name}.png`), await toPng(shot));
      assert(done, `Cannot see ${what} in the window within ${timeoutMs} ms: ${describe(seen)}`);
      return seen;
    }
    await sleep(100);
  }
}

interface StoredMessage {
  info: { role: string };
  parts: { type: string; text?: string }[];
}

/** The texts of each stored message of every session, e.g. ["user: hello", …]. */
async function storedTranscript(oc: OpencodeServer): Promise<string[]> {
  const sessions = await (await fetch(`${oc.url}/session`)).json() as { id: string }[];
  const out: string[] = [];
  for (const s of sessions) {
    const msgs = await (await fetch(`${oc.url}/session/${s.id}/message`)).json() as StoredMessage[];
    for (const m of msgs) {
      const text = m.parts.filter((p) => p.type === "text").map((p) => p.text).join("");
      out.push(`${m.info.role}: ${text}`);
    }
  }
  return out;
}

/** Resolves with the exit code, or "timeout" after `ms`. */
async function exitWithin(app: AppProcess, ms: number): Promise<number | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((r) => timer = setTimeout(() => r("timeout"), ms));
  const result = await Promise.race([app.exited, timeout]);
  clearTimeout(timer);
  return result;
}

Deno.test("window: the app shows the chat under Xvfb, takes typed input and exits on close", async () => {
  const started = Date.now();
  const oc = await startOpencode({ tokenDelayMs: 10 });
  let xvfb: Awaited<ReturnType<typeof startXvfb>> | undefined;
  let app: AppProcess | undefined;
  try {
    xvfb = await startXvfb(SCREEN);
    const { display } = xvfb;
    app = await startAppProcess({
      args: ["--server", oc.url, "--port", "0"],
      env: withoutDisplay(oc.env, { DISPLAY: display }),
      timeoutMs: 20_000,
    });
    const log = () => `\napp output:\n${app!.output().join("\n")}`;
    assert(
      app.output().some((l) => l.startsWith("opencode-desk: window open on http://127.0.0.1:")),
      `no "window open" line${log()}`,
    );
    const win = findWindow(display, TITLE);
    assert(win, `Cannot find a top-level window titled ${TITLE}${log()}`);

    // The chat UI rendered and its status bar says "Connected" (the green dot).
    const shown = await waitForScreen(
      display,
      "connected",
      "the chat UI, connected",
      (s) => s.connected,
    );
    assert(
      shown.win.right - shown.win.left >= 800 && shown.win.bottom - shown.win.top >= 600,
      `the window is only ${describe(shown)}`,
    );
    const painted = Date.now() - started;

    // Type "hello" + Enter like a person: the window opens with the cursor in the input box.
    await clickAndType(display, win, null, ["h", "e", "l", "l", "o", "Return"]);
    const transcript = await waitFor(
      async () => {
        const t = await storedTranscript(oc);
        return t.includes("assistant: Echo: hello") && t;
      },
      "the typed message and the fake model's reply in OpenCode",
      15_000,
    );
    assertEquals(transcript, ["user: hello", "assistant: Echo: hello"]);
    // The window shows the sent message (the user bubble).
    await waitForScreen(
      display,
      "sent",
      "the sent message",
      (s) => s.connected && s.user.count > 2_000,
    );

    // Close it like a user: the app exits by itself, with 0.
    sendDeleteWindow(display, win);
    const code = await exitWithin(app, 10_000);
    assertEquals(code, 0, `exit code after closing the window${log()}`);
    console.log(`window painted ${painted} ms after start; whole test ${Date.now() - started} ms`);
  } finally {
    await app?.stop();
    await xvfb?.stop();
    await oc.stop();
  }
});

Deno.test("window: without a display the app says so and serves headless", async () => {
  const oc = await startOpencode();
  let app: AppProcess | undefined;
  try {
    app = await startAppProcess({
      args: ["--server", oc.url, "--port", "0"],
      env: withoutDisplay(oc.env),
      timeoutMs: 20_000,
    });
    const out = app.output();
    const log = `\napp output:\n${out.join("\n")}`;
    assert(
      out.includes(
        "opencode-desk: Cannot open a window: no display (DISPLAY and WAYLAND_DISPLAY are unset); " +
          "serving headless instead.",
      ),
      `no line saying that no window can open${log}`,
    );
    assert(/^http:\/\/127\.0\.0\.1:\d+\/#token=\S+$/.test(app.url), `ready URL ${app.url}${log}`);
    const res = await fetch(app.origin);
    const page = await res.text();
    assertEquals(res.status, 200);
    assert(page.includes("<!doctype html>") || page.includes("<!DOCTYPE html>"), page);
  } finally {
    await app?.stop();
    await oc.stop();
  }
});
