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
  return serve((_request, url) => opencode2Answer(url, version, options.legacyHealth ?? false));
}

/** What an OpenCode 2.x server reporting `version` answers at `url`. */
function opencode2Answer(url: URL, version: string, legacyHealth: boolean): Response {
  if (url.pathname === "/global/health" && legacyHealth) {
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
}

/** Another program: the same HTML page for every path. */
export function startPlainWebServer(): FakeServer {
  return serve(() => html());
}

/** A fake OpenCode 1.x that answers what the app reads, and can turn into a 2.x server. */
export interface ChangingServer extends FakeServer {
  /** From now on answer as OpenCode 2.x reporting `version`; open event streams end. */
  becomeOpencode2(version?: string): void;
  /** Back to OpenCode 1.x. */
  becomeOpencode1(): void;
}

/**
 * The little of OpenCode 1.x that the app needs to attach (API.md §5): health, `/path`, empty
 * lists, and an event stream that says `server.connected`. `becomeOpencode2()` then makes it what
 * a 2.x server answers, as if it had been upgraded on the same port; `becomeOpencode1()` undoes it.
 */
export function startChangingServer(): ChangingServer {
  let opencode2 = "";
  const streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const empty: Record<string, unknown> = {
    "/session": [],
    "/session/status": {},
    "/permission": [],
    "/question": [],
    "/agent": [],
    "/provider": { all: [], default: {}, connected: [] },
    "/config/providers": { providers: [], default: {} },
    "/config": {},
    "/path": { home: "/", state: "/", config: "/", worktree: "/", directory: "/" },
    "/global/health": { healthy: true, version: "1.18.33" },
  };
  const server = serve((_request, url) => {
    if (opencode2) return opencode2Answer(url, opencode2, false);
    if (url.pathname === "/global/event") {
      const connected = { payload: { type: "server.connected", properties: {} } };
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          streams.add(c);
          c.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(connected)}\n\n`));
        },
        cancel() {},
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    }
    const json = empty[url.pathname];
    return json === undefined
      ? Response.json({ name: "NotFound", data: { message: "Not found" } }, { status: 404 })
      : Response.json(json);
  });
  return Object.assign(server, {
    becomeOpencode2(version = "2.3.2") {
      opencode2 = version;
      for (const c of streams) c.close();
      streams.clear();
    },
    becomeOpencode1() {
      opencode2 = "";
    },
  });
}
