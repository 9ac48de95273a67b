/**
 * The one `Deno.serve` endpoint: the UI's files and the `/ws` WebSocket that carries binary
 * protobuf frames between the core and every window or browser.
 */
import {
  CLOSE_BAD_FRAME,
  CLOSE_RESYNC,
  CLOSE_REVOKED,
  CLOSE_TOO_SLOW,
  decodeClient,
  encodeServer,
  ipc,
  MAX_CLIENT_FRAME_BYTES,
  PROTOCOL,
} from "../../proto/envelope.js";
import { OpencodeError } from "../opencode/client.ts";
import { NotFoundError } from "../state/errors.ts";
import type { Push, Store } from "../state/store.ts";
import { Assets } from "./assets.ts";
import { checkHost, checkOrigin, type HostPolicy, isLoopbackHost, requestHost } from "./auth.ts";
import { type AppInfo, handle, type Reply } from "./handlers.ts";
import { type DesktopNotifications, Notifier } from "../state/notify.ts";
import { Reach, type SocketKind } from "./reach.ts";
import type { TokenStore } from "./token_store.ts";

export interface BridgeOptions {
  store: Store;
  /** The token browsers present: fixed for this run, or kept on disk and revocable. */
  token: string | TokenStore;
  /** The app's own window's token (never printed, never revoked); absent: a fresh one. */
  windowToken?: string;
  /** Serve https with this certificate and key (PEM text). */
  tls?: { cert: string; key: string };
  host: string;
  port: number;
  app: AppInfo;
  /** Host names a browser may use besides this machine's own (served beyond loopback only). */
  allowHosts?: string[];
  /**
   * A socket whose unsent data passes this many bytes and that then reads nothing for 2 s (or
   * falls 4 times as far behind) is dropped and must resync.
   */
  maxBufferedBytes?: number;
  /** Desktop notifications while the app's own window is open; a click shows the session. */
  desktop?: DesktopNotifications;
  /** Called once the app's own window shows a session because its notification was clicked. */
  onReveal?: () => void;
  signal?: AbortSignal;
}

export interface Bridge {
  /** http://host:port (no token) */
  origin: string;
  port: number;
  /** The URL to open: the origin with the token in the fragment (never sent to a server). */
  url: string;
  /** The URL for the app's own window (its own token). */
  windowUrl: string;
  /** The URL another device opens (a LAN address when served beyond loopback). */
  shareUrl(): string;
  /** Served beyond loopback: the same URL by each of this machine's network addresses. */
  remoteUrls: string[];
  clients(): number;
  /** Closes every window's socket so each reconnects and resyncs (the server changed). */
  resync(reason: string): void;
  shutdown(): Promise<void>;
}

const Code = ipc.ErrorCode;
/** How long a client more than `maxBufferedBytes` behind may read nothing before it is dropped. */
const STALL_GRACE_MS = 2_000;

function errorReply(err: unknown): Reply {
  if (err instanceof NotFoundError) {
    return { error: { code: Code.ERROR_CODE_NOT_FOUND, message: err.message } };
  }
  if (err instanceof OpencodeError) {
    const code = err.unreachable
      ? Code.ERROR_CODE_UNAVAILABLE
      : err.status === 404
      ? Code.ERROR_CODE_NOT_FOUND
      : Code.ERROR_CODE_UPSTREAM;
    return { error: { code, message: err.message } };
  }
  if (err instanceof TypeError || err instanceof RangeError) {
    return { error: { code: Code.ERROR_CODE_BAD_REQUEST, message: err.message } };
  }
  console.error("opencode-desk: request failed:", err);
  return {
    error: { code: Code.ERROR_CODE_INTERNAL, message: err instanceof Error ? err.message : "" },
  };
}

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cache-control": "no-cache",
};

/**
 * The names by which other machines reach this one when the core listens on `host` beyond
 * loopback: the interface itself, or every non-loopback address for a wildcard (IPv6 bracketed).
 */
function machineNames(host: string): string[] {
  if (host !== "0.0.0.0" && host !== "::") return [host.includes(":") ? `[${host}]` : host];
  const names: string[] = [];
  for (const nic of Deno.networkInterfaces()) {
    if (isLoopbackHost(nic.address) || nic.address.startsWith("fe80:")) continue;
    if (nic.family === "IPv4") names.push(nic.address);
    else if (host === "::") names.push(`[${nic.address}]`);
  }
  return names;
}

export function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const assets = new Assets();
  /** Every open socket and the token it presented. */
  const sockets = new Map<WebSocket, SocketKind>();
  /** Every socket that said hello: its kind and how to push to it. */
  const windows = new Map<
    number,
    { socket: WebSocket; kind: SocketKind; push: (p: Push) => void }
  >();
  const loopbackOnly = isLoopbackHost(opts.host);
  const reach = new Reach({
    tokens: opts.token,
    windowToken: opts.windowToken,
    secure: !!opts.tls,
    remote: !loopbackOnly,
  });
  const notifier = new Notifier({
    shownBy: (win) => opts.store.workspace.view(win).shownSessionId ?? "",
    session: (id) => opts.store.sessions.session(id),
    settings: () => opts.store.workspace.settings,
    send: (alert) => {
      const p: Push = { alert };
      for (const w of windows.values()) w.push(p);
    },
    desktop: opts.desktop,
    reveal: (win, sessionId) =>
      opts.store.openTab(win, sessionId, -1).then(opts.onReveal).catch((err) =>
        console.error(`opencode-desk: Cannot show the notified session: ${err.message}`)
      ),
  });
  const unobserve = opts.store.subscribe((p) => notifier.observe(p));
  const app: AppInfo = {
    ...opts.app,
    reach: {
      pairing: () => reach.pairing(),
      revoke: async (win) => {
        const asker = windows.get(win);
        const token = await reach.revoke();
        // Every socket on the old token goes, whether or not it said hello yet.
        for (const [socket, kind] of sockets) {
          if (socket !== asker?.socket && kind === "browser") {
            socket.close(CLOSE_REVOKED, "Cannot stay connected: this page's token was revoked");
          }
        }
        return { ...reach.pairing(), token: asker?.kind === "browser" ? token : "" };
      },
      windowState: (win, state) => notifier.windowState(win, state),
    },
  };
  const lanNames = loopbackOnly ? [] : machineNames(opts.host);
  const hostPolicy: HostPolicy = {
    loopbackOnly,
    allowed: new Set([...lanNames, ...(opts.allowHosts ?? [])].map((h) => h.toLowerCase())),
  };
  const maxBuffered = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
  // A push goes to every socket: encode it once, not once per socket.
  const encodedPushes = new WeakMap<Push, Uint8Array>();
  const encodePush = (p: Push) => {
    let bytes = encodedPushes.get(p);
    if (!bytes) {
      const { client: _, ...payload } = p;
      encodedPushes.set(p, bytes = encodeServer({ requestId: 0, ...payload }));
    }
    return bytes;
  };
  let lastWindow = 0;

  function serveSocket(req: Request): Response {
    const refused = checkOrigin(req);
    if (refused) return new Response(refused + "\n", { status: 403 });
    const kind = reach.kindOf(req);
    if (kind !== "window" && kind !== "browser") return new Response(kind + "\n", { status: 403 });
    const { socket, response } = Deno.upgradeWebSocket(req, {
      protocol: PROTOCOL,
      idleTimeout: 60,
    });
    socket.binaryType = "arraybuffer";
    const win = ++lastWindow;
    let unsubscribe: (() => void) | null = null;
    let unsubscribeVoice: (() => void) | undefined;

    // A stalled browser must not grow our memory: once it is more than `maxBuffered` behind
    // and reads nothing for STALL_GRACE_MS (or falls far behind), it is dropped; it reconnects
    // and resyncs. A client that is busy with one big frame but reading is given time, or a
    // large transcript could be dropped and resent forever.
    let behindSince = 0;
    let lastBehind = 0;
    let biggestFrame = 0;
    const writable = () => {
      if (socket.readyState !== WebSocket.OPEN) return false;
      const behind = socket.bufferedAmount;
      if (behind <= maxBuffered) {
        behindSince = 0;
      } else {
        const now = performance.now();
        if (!behindSince || behind < lastBehind) behindSince = now;
        if (now - behindSince > STALL_GRACE_MS || behind > 4 * maxBuffered + biggestFrame) {
          socket.close(CLOSE_TOO_SLOW, "Cannot keep up: reconnect to resync");
          return false;
        }
      }
      return true;
    };
    const write = (bytes: Uint8Array) => {
      biggestFrame = Math.max(biggestFrame, bytes.byteLength);
      socket.send(bytes);
      lastBehind = socket.bufferedAmount;
    };
    const send = (msg: ipc.ServerMessage.$Properties) => {
      if (writable()) write(encodeServer(msg));
    };
    const push = (p: Push) => {
      if (p.client !== undefined && p.client !== win) return;
      if (writable()) write(encodePush(p));
    };

    socket.onopen = () => sockets.set(socket, kind);
    socket.onclose = () => {
      sockets.delete(socket);
      windows.delete(win);
      notifier.leave(win);
      unsubscribe?.();
      opts.store.goodbye(win);
      unsubscribeVoice?.();
    };
    socket.onerror = () => {}; // a reset connection closes; onclose cleans up
    socket.onmessage = async (ev: MessageEvent) => {
      if (typeof ev.data === "string") {
        send({
          requestId: 0,
          error: {
            code: Code.ERROR_CODE_BAD_FRAME,
            message: "Cannot accept a text frame: this socket speaks binary protobuf only",
          },
        });
        return;
      }
      const bytes = new Uint8Array(ev.data as ArrayBuffer);
      if (bytes.byteLength > MAX_CLIENT_FRAME_BYTES) {
        send({
          requestId: 0,
          error: {
            code: Code.ERROR_CODE_BAD_FRAME,
            message:
              `Cannot accept frame: ${bytes.byteLength} bytes (limit ${MAX_CLIENT_FRAME_BYTES})`,
          },
        });
        socket.close(CLOSE_BAD_FRAME, "frame too large");
        return;
      }
      let msg: ipc.ClientMessage;
      try {
        msg = decodeClient(bytes);
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        send({ requestId: 0, error: { code: Code.ERROR_CODE_BAD_FRAME, message: err.message } });
        return;
      }
      const requestId = msg.requestId;
      if (!requestId) {
        send({
          requestId: 0,
          error: { code: Code.ERROR_CODE_BAD_REQUEST, message: "Cannot handle request: no id" },
        });
        return;
      }
      let reply: Reply;
      try {
        reply = await handle(opts.store, app, win, msg);
      } catch (err) {
        reply = errorReply(err);
      }
      // Pushes queued before this reply go first, so the reply never overtakes them.
      opts.store.flush();
      send({ requestId, ...reply });
      if (msg.payload === "hello" && !unsubscribe) {
        unsubscribe = opts.store.subscribe(push);
        unsubscribeVoice = opts.app.voice?.subscribe(push);
        windows.set(win, { socket, kind, push });
        notifier.join(win, kind === "window");
        send({ requestId: 0, reach: reach.info(kind) });
        if (notifier.badge) send({ requestId: 0, alert: { badge: notifier.badge } });
      }
    };
    return response;
  }

  async function handler(req: Request): Promise<Response> {
    const refused = checkHost(req, hostPolicy);
    if (refused) return new Response(refused + "\n", { status: 403 });
    const url = new URL(req.url);
    if (url.pathname === "/auth") {
      // A page whose socket was refused asks whether its token is still good (no body either way).
      const ok = reach.valid(req.headers.get("x-opencode-desk-token") ?? "");
      return new Response(null, { status: ok ? 204 : 401, headers: SECURITY_HEADERS });
    }
    if (url.pathname === "/ws") {
      if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
        return new Response("Cannot serve /ws: expected a WebSocket upgrade\n", { status: 426 });
      }
      return serveSocket(req);
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return new Response("Method not allowed\n", { status: 405 });
    }
    if (url.pathname === "/" || url.pathname === "/index.html") {
      const { html } = await assets.index();
      return new Response(req.method === "HEAD" ? null : html, {
        headers: {
          ...SECURITY_HEADERS,
          "content-type": "text/html; charset=utf-8",
          "content-security-policy": await assets.csp(requestHost(req)),
        },
      });
    }
    const asset = await assets.get(url.pathname);
    if (!asset) return new Response("Not found\n", { status: 404 });
    return new Response(req.method === "HEAD" ? null : asset.body, {
      headers: {
        ...SECURITY_HEADERS,
        "content-type": asset.type,
        // The service worker sits under /ui/ but serves the whole app (ui/sw.js).
        ...(url.pathname === "/ui/sw.js" ? { "service-worker-allowed": "/" } : {}),
      },
    });
  }

  return new Promise((resolve, reject) => {
    let server: Deno.HttpServer;
    try {
      server = Deno.serve({
        hostname: opts.host,
        port: opts.port,
        ...(opts.tls ?? {}),
        signal: opts.signal,
        onListen: ({ port }) => {
          const shownHost = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
          const displayHost = opts.host === "0.0.0.0" || opts.host === "::"
            ? "127.0.0.1"
            : shownHost;
          const scheme = opts.tls ? "https" : "http";
          const origin = `${scheme}://${displayHost}:${port}`;
          reach.localOrigin = origin;
          reach.remoteOrigins = lanNames.filter((n) => !n.includes(":") || n.startsWith("["))
            .map((n) => `${scheme}://${n}:${port}`);
          resolve({
            origin,
            port,
            get url() {
              return `${origin}/#token=${reach.browserToken}`;
            },
            windowUrl: `${origin}/#token=${reach.windowToken}`,
            shareUrl: () => reach.shareUrl,
            remoteUrls: reach.remoteOrigins.map((o) => `${o}/#token=${reach.browserToken}`),
            clients: () => sockets.size,
            resync: (reason) => {
              for (const s of sockets.keys()) s.close(CLOSE_RESYNC, reason.slice(0, 120));
            },
            shutdown: async () => {
              unobserve();
              for (const s of sockets.keys()) s.close(1001, "app is shutting down");
              await server.shutdown();
            },
          });
        },
        onError: (err) => {
          console.error("opencode-desk: HTTP handler failed:", err);
          return new Response("Internal error\n", { status: 500 });
        },
      }, handler);
    } catch (err) {
      reject(err);
    }
  });
}
