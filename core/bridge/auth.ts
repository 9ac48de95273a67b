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

/**
 * Whether a host name (no port) is literally this machine: `localhost`, an IPv4 address in
 * 127.0.0.0/8 written as four plain decimal octets, or `[::1]` / `::1`. A DNS name is never
 * loopback here, however it starts (`127.0.0.1.evil.example` resolves wherever its owner likes:
 * that is how a rebinding page reaches a local server).
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  if (name === "localhost" || name === "[::1]" || name === "::1") return true;
  const octets = parseIpv4(name);
  return octets !== null && octets[0] === 127;
}

/** Four decimal octets 0-255 without leading zeros (no hex, octal, short or trailing-dot forms). */
function parseIpv4(name: string): number[] | null {
  const parts = name.split(".");
  if (parts.length !== 4) return null;
  const octets: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    octets.push(n);
  }
  return octets;
}

/**
 * Splits a Host header into its name and port, or null when it is not of the form
 * `name[:port]` / `[v6][:port]` (userinfo, paths, spaces, several values, empty names).
 */
export function splitHostHeader(header: string): { name: string; port: string } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::([0-9]{1,5}))?$/.exec(header);
  if (!m) return null;
  return { name: m[1].toLowerCase(), port: m[2] ?? "" };
}

/**
 * The host a request names: its Host header, or over HTTP/2 (https only), which has no Host
 * header, its `:authority`, which Deno puts in the request URL.
 */
export function requestHost(req: Request): string {
  const header = req.headers.get("host");
  if (header !== null) return header;
  const url = new URL(req.url);
  return url.protocol === "https:" ? url.host : "";
}

/** Which Host names a request may carry. */
export interface HostPolicy {
  /** Serving on a loopback interface only: literal loopback names, nothing else. */
  loopbackOnly: boolean;
  /** Extra names accepted when serving beyond loopback (lower case, no port). */
  allowed?: ReadonlySet<string>;
}

/**
 * Every request must name this machine in its Host header. On loopback only the literal loopback
 * forms pass: this stops DNS-rebinding pages (evil.example resolving to 127.0.0.1) from reading
 * the UI or the socket. Served beyond loopback, the names the app printed (and any added with
 * `--allow-host`) pass too.
 */
export function checkHost(req: Request, policy: HostPolicy): string | null {
  const header = requestHost(req);
  if (!header) return "Cannot accept request: no Host header";
  const parsed = splitHostHeader(header);
  if (!parsed) return `Cannot accept request: malformed Host ${JSON.stringify(header)}`;
  if (isLoopbackHost(parsed.name)) return null;
  if (!policy.loopbackOnly && policy.allowed?.has(parsed.name)) return null;
  return `Cannot accept request: host ${header} is not this machine`;
}

/** The Origin of a browser request must be the app's own (same scheme, host and port). */
export function checkOrigin(req: Request): string | null {
  const origin = req.headers.get("origin");
  if (!origin) return "Cannot open socket: no Origin header";
  const host = requestHost(req);
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
