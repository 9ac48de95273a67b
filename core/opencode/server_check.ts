/**
 * Checking a server URL a person typed before the app switches to it: the URL's shape first
 * (pure), then what answers there. A refusal is one sentence, "Cannot use <url>: <why>".
 * @module
 */
import { identifyServer, incompatibility, type ServerKind } from "./server_kind.ts";

/**
 * The URL as the app keeps it (`http(s)://host[:port]`, no trailing slash, no path), or a
 * TypeError saying why it cannot be one.
 */
export function normalizeServerUrl(raw: string): string {
  const text = raw.trim();
  if (!text) throw new TypeError("Cannot use the server: no URL given");
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    throw new TypeError(`Cannot use ${text}: it is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`Cannot use ${text}: only http:// and https:// servers are supported`);
  }
  if (url.username || url.password) {
    throw new TypeError(`Cannot use ${text}: give the password in its own field, not in the URL`);
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    throw new TypeError(
      `Cannot use ${text}: a server URL has no path (e.g. http://127.0.0.1:4096)`,
    );
  }
  return url.origin;
}

/** Why a server of this kind cannot be used, as the end of a "Cannot use …" sentence, or null. */
export function refusal(kind: ServerKind): string | null {
  switch (kind.kind) {
    case "opencode1":
      return null;
    case "unreachable":
      if (/401/.test(kind.detail)) return "it asks for a password, and the one given is wrong";
      return `nothing answers there (${kind.detail})`;
    case "not-opencode":
      return `not an OpenCode server (${kind.detail})`;
    case "opencode-other":
      return incompatibility(kind);
    default: {
      const never: never = kind;
      throw new TypeError(`Cannot describe server kind ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Resolves with the OpenCode 1.x version answering at `url` (already normalized), or rejects with
 * an Error "Cannot use <url>: <why>".
 */
export async function checkServer(
  url: string,
  headers: Record<string, string>,
  timeoutMs = 3000,
): Promise<string> {
  const kind = await identifyServer(url, { headers, timeoutMs });
  const why = refusal(kind);
  if (why !== null) throw new Error(`Cannot use ${url}: ${why}`);
  return (kind as { version: string }).version;
}
