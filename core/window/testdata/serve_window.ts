/**
 * Test helper: serves a coloured page with `Deno.serve` on port 0 and opens a native window on it.
 * Prints `LISTENING <port>`, `REQUEST <path>` per request, `OPENED <ms>` once the window is shown,
 * and `CLOSED` from onClose; SIGTERM calls `close()`. Exits by itself once the window is closed,
 * which shows that the GTK pump stopped.
 */
import { openWindow } from "../gtk.ts";

const PAGE = `<!doctype html><html><body style="margin:0;background:#ffffff">
<div style="position:fixed;inset:40px;background:#e0218a;color:#ffffff;font:48px sans-serif;
padding:40px">OpenCode window test</div></body></html>`;

const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
  console.log(`REQUEST ${new URL(req.url).pathname}`);
  return new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });
});
console.log(`LISTENING ${server.addr.port}`);

const started = performance.now();
const onTerm = () => handle.close();
const handle = await openWindow({
  url: `http://127.0.0.1:${server.addr.port}/`,
  title: Deno.args[0] ?? "window-test",
  async onClose() {
    console.log("CLOSED");
    Deno.removeSignalListener("SIGTERM", onTerm);
    await server.shutdown();
  },
});
Deno.addSignalListener("SIGTERM", onTerm);
console.log(`OPENED ${Math.round(performance.now() - started)}`);
