/**
 * Test helper: the few Xlib calls the window test needs (libX11.so.6, a GTK dependency), so the
 * test needs no X tools besides Xvfb: find a window by title, ask it to close like a window
 * manager would (WM_DELETE_WINDOW), and grab the screen's pixels.
 */

const P = "pointer" as const;
const lib = Deno.dlopen("libX11.so.6", {
  XOpenDisplay: { parameters: ["buffer"], result: P },
  XCloseDisplay: { parameters: [P], result: "i32" },
  XDefaultScreen: { parameters: [P], result: "i32" },
  XDefaultRootWindow: { parameters: [P], result: "u64" },
  XDisplayWidth: { parameters: [P, "i32"], result: "i32" },
  XDisplayHeight: { parameters: [P, "i32"], result: "i32" },
  XQueryTree: { parameters: [P, "u64", "buffer", "buffer", "buffer", "buffer"], result: "i32" },
  XFetchName: { parameters: [P, "u64", "buffer"], result: "i32" },
  XFree: { parameters: [P], result: "i32" },
  XInternAtom: { parameters: [P, "buffer", "i32"], result: "u64" },
  XSendEvent: { parameters: [P, "u64", "i32", "i64", "buffer"], result: "i32" },
  XFlush: { parameters: [P], result: "i32" },
  XGetImage: {
    parameters: [P, "u64", "i32", "i32", "u32", "u32", "u64", "i32"],
    result: P,
  },
}).symbols;

const cstr = (s: string) => new TextEncoder().encode(s + "\0");
const ptrAt = (buf: BigUint64Array) => Deno.UnsafePointer.create(buf[0]);

function withDisplay<T>(display: string, fn: (dpy: Deno.PointerObject) => T): T {
  const dpy = lib.XOpenDisplay(cstr(display));
  if (!dpy) throw new Error(`Cannot open X display ${display}: XOpenDisplay failed`);
  try {
    return fn(dpy);
  } finally {
    lib.XCloseDisplay(dpy);
  }
}

/** The top-level window (a child of the root; there is no window manager) named `title`. */
export function findWindow(display: string, title: string): bigint | undefined {
  return withDisplay(display, (dpy) => {
    const [root, parent, children, count] = [0, 0, 0, 0].map(() => new BigUint64Array(1));
    if (!lib.XQueryTree(dpy, lib.XDefaultRootWindow(dpy), root, parent, children, count)) return;
    const list = ptrAt(children);
    if (!list) return;
    try {
      const view = new Deno.UnsafePointerView(list);
      for (let i = 0; i < Number(count[0] & 0xffffffffn); i++) {
        const win = view.getBigUint64(i * 8);
        const name = new BigUint64Array(1);
        if (!lib.XFetchName(dpy, win, name) || !ptrAt(name)) continue;
        const found = Deno.UnsafePointerView.getCString(ptrAt(name)!) === title;
        lib.XFree(ptrAt(name));
        if (found) return win;
      }
    } finally {
      lib.XFree(list);
    }
  });
}

/** Sends WM_DELETE_WINDOW to `win`, as a window manager does when the user clicks close. */
export function sendDeleteWindow(display: string, win: bigint): void {
  withDisplay(display, (dpy) => {
    const ev = new DataView(new ArrayBuffer(192)); // sizeof(XEvent) on 64-bit
    ev.setInt32(0, 33, true); // type = ClientMessage
    ev.setBigUint64(32, win, true); // window
    ev.setBigUint64(40, BigInt(lib.XInternAtom(dpy, cstr("WM_PROTOCOLS"), 0)), true);
    ev.setInt32(48, 32, true); // format
    ev.setBigUint64(56, BigInt(lib.XInternAtom(dpy, cstr("WM_DELETE_WINDOW"), 0)), true);
    if (!lib.XSendEvent(dpy, win, 0, 0n, new Uint8Array(ev.buffer))) {
      throw new Error(`Cannot close window ${win}: XSendEvent failed`);
    }
    lib.XFlush(dpy);
  });
}

/** The whole screen as packed RGB. */
export interface Screenshot {
  width: number;
  height: number;
  rgb: Uint8Array;
}

/** Grabs the root window (32 bits per pixel, as Xvfb's 24-bit screens use). */
export function screenshot(display: string): Screenshot {
  return withDisplay(display, (dpy) => {
    const screen = lib.XDefaultScreen(dpy);
    const width = lib.XDisplayWidth(dpy, screen), height = lib.XDisplayHeight(dpy, screen);
    const image = lib.XGetImage(dpy, lib.XDefaultRootWindow(dpy), 0, 0, width, height, ~0n, 2);
    if (!image) throw new Error(`Cannot grab the screen of ${display}: XGetImage failed`);
    const img = new Deno.UnsafePointerView(image); // XImage
    const data = img.getPointer(16)!;
    const stride = img.getInt32(44), bpp = img.getInt32(48);
    if (bpp !== 32) throw new Error(`Cannot grab the screen of ${display}: ${bpp} bits per pixel`);
    const src = new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(data, stride * height));
    const rgb = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const s = y * stride + x * 4, d = (y * width + x) * 3;
        rgb[d] = src[s + 2]; // pixels are little-endian 0x00RRGGBB
        rgb[d + 1] = src[s + 1];
        rgb[d + 2] = src[s];
      }
    }
    lib.XFree(data);
    lib.XFree(image);
    return { width, height, rgb };
  });
}

/** Encodes a screenshot as PNG (to look at it: set WINDOW_TEST_SCREENSHOT=/path/shot.png). */
export async function toPng({ width, height, rgb }: Screenshot): Promise<Uint8Array> {
  const raw = new Uint8Array((width * 3 + 1) * height); // filter byte 0 per row
  for (let y = 0; y < height; y++) {
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  }
  const zlib = new Uint8Array(
    await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate")))
      .arrayBuffer(),
  );
  const ihdr = new DataView(new ArrayBuffer(13));
  ihdr.setUint32(0, width);
  ihdr.setUint32(4, height);
  ihdr.setUint8(8, 8); // bit depth
  ihdr.setUint8(9, 2); // truecolour
  const chunks = [chunk("IHDR", new Uint8Array(ihdr.buffer)), chunk("IDAT", zlib), chunk("IEND")];
  const png = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), ...chunks];
  return new Uint8Array(await new Blob(png).arrayBuffer());
}

function chunk(type: string, data = new Uint8Array()): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
