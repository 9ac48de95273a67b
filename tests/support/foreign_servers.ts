/**
 * Servers that are not the OpenCode 1.x this app speaks, on port 0, for tests of how the app tells
 * them apart: an OpenCode 2.x (its API under `/api/…`, its web UI's HTML everywhere else, as
 * public reports of 2.0.x show) and another program's plain web page.
 * @module
 */

/** A listening fake server; close it with `await using` or `shutdown()`. */
export type FakeServer = Deno.HttpServer<Deno.NetAddr> & { url: string };

const PAGE = "<!doctype html><html><head><title>App</title></head><body>Hello</body></html>";
const html = () => new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });

function serve(handler: (request: Request, url: URL) => Response): FakeServer {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => handler(request, new URL(request.url)),
  );
  return Object.assign(server, { url: `http://127.0.0.1:${server.addr.port}` });
}

/**
 * An OpenCode 2.x server reporting `version`: `GET /api/info` says so, `/api/session` lists
 * sessions as `{data: […]}`, `/api/event` streams, and every path outside `/api/` gets the web UI.
 * With `legacyHealth`, `GET /global/health` answers like 1.x but with the 2.x version.
 */
export function startOpencode2(
  options: { version?: string; legacyHealth?: boolean } = {},
): FakeServer {
  const version = options.version ?? "2.3.2";
  return serve((_request, url) => {
    if (url.pathname === "/global/health" && options.legacyHealth) {
      return Response.json({ healthy: true, version });
    }
    if (!url.pathname.startsWith("/api/")) return html();
    switch (url.pathname) {
      case "/api/info":
        return Response.json({ version, pid: Deno.pid });
      case "/api/session":
        return Response.json({ data: [] });
      case "/api/event":
        return new Response(`event: server.ready\ndata: {"version":"${version}"}\n\n`, {
          headers: { "content-type": "text/event-stream" },
        });
      default:
        return Response.json({ _tag: "NotFound", message: "Not found" }, { status: 404 });
    }
  });
}

/** Another program: the same HTML page for every path. */
export function startPlainWebServer(): FakeServer {
  return serve(() => html());
}
