/**
 * Who may talk to the core: the per-launch token and the Origin / Host rules.
 * Checked at the WebSocket upgrade, before any frame is processed.
 */
import { PROTOCOL, TOKEN_PREFIX } from "../../proto/envelope.js";

/** A fresh random token (256 bits, base64url: valid as a sub-protocol and in a URL fragment). */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
export function sameToken(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || host.startsWith("127.");
}

/** Host header without its port. */
function hostName(hostHeader: string): string {
  if (hostHeader.startsWith("[")) return hostHeader.slice(0, hostHeader.indexOf("]") + 1);
  return hostHeader.split(":")[0];
}

/**
 * When the core listens on loopback only, a request must also name a loopback host: this stops
 * DNS-rebinding pages (evil.example resolving to 127.0.0.1) from reading the UI or the socket.
 */
export function checkHost(req: Request, loopbackOnly: boolean): string | null {
  const host = req.headers.get("host") ?? "";
  if (!host) return "Cannot accept request: no Host header";
  if (loopbackOnly && !isLoopbackHost(hostName(host))) {
    return `Cannot accept request: host ${host} is not this machine`;
  }
  return null;
}

/** The Origin of a browser request must be the app's own (same scheme, host and port). */
export function checkOrigin(req: Request): string | null {
  const origin = req.headers.get("origin");
  if (!origin) return "Cannot open socket: no Origin header";
  const host = req.headers.get("host") ?? "";
  let o: URL;
  try {
    o = new URL(origin);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return `Cannot open socket: malformed Origin ${origin}`;
  }
  if (o.protocol !== "http:" && o.protocol !== "https:") {
    return `Cannot open socket: foreign Origin ${origin}`;
  }
  if (o.host !== host) return `Cannot open socket: foreign Origin ${origin}`;
  return null;
}

/** Reads the token from `Sec-WebSocket-Protocol: opencode-desk.v1, token.<token>`. */
export function checkToken(req: Request, token: string): string | null {
  const offered = (req.headers.get("sec-websocket-protocol") ?? "").split(",").map((s) => s.trim());
  if (!offered.includes(PROTOCOL)) return `Cannot open socket: sub-protocol ${PROTOCOL} missing`;
  const presented = offered.find((p) => p.startsWith(TOKEN_PREFIX));
  if (!presented) return "Cannot open socket: no token";
  if (!sameToken(presented.slice(TOKEN_PREFIX.length), token)) {
    return "Cannot open socket: wrong token";
  }
  return null;
}
