/**
 * Test helper: tries to open a window and prints how that failed as JSON
 * (`{ name, message, ms }`). The test runs it with DISPLAY / WAYLAND_DISPLAY changed.
 */
import { openWindow } from "../gtk.ts";

const started = performance.now();
try {
  const handle = await openWindow({ url: "http://127.0.0.1:9/", title: "x", onClose() {} });
  handle.close();
  console.log(JSON.stringify({ name: "opened" }));
} catch (e) {
  const { name, message } = e as Error;
  console.log(JSON.stringify({ name, message, ms: Math.round(performance.now() - started) }));
}
// As main.ts does: leave through Deno.exit. A script that just ends makes Deno unload the GTK
// libraries while a GLib thread they started still runs, a crash at exit (SIGSEGV).
Deno.exit(0);
