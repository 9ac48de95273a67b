/**
 * What answers at a URL: an OpenCode 1.x server (the API this app speaks, see
 * ../shared/opencode/API.md), an OpenCode server of another major version, another program, or
 * nothing. Told from what the server answers, never from its port or process name:
 *
 * - OpenCode 1.x answers `GET /global/health` with `{"healthy":true,"version":"1.…"}`.
 * - OpenCode 2.x moved its API under `/api/…`: `/global/health` falls through to its web UI (an
 *   HTML page), and the version is in `GET /api/info` (`{"version":"2.…","pid":…}`); early 2.0
 *   releases had `GET /api/status` or only `GET /api/health` (`{"healthy":true}`, no version).
 * - Anything else that answers over HTTP is not an OpenCode server.
 * @module
 */

/** The verdict of {@link identifyServer}. */
export type ServerKind =
  /** The API this app speaks. */
  | { kind: "opencode1"; version: string }
  /** OpenCode, but not 1.x; `version` is "" when the server does not say. */
  | { kind: "opencode-other"; version: string }
  /** Something answers HTTP, but not as OpenCode; `detail` says what it answered. */
  | { kind: "not-opencode"; detail: string }
  /** No usable answer: refused, timed out, cut off, or 401 without the right password. */
  | { kind: "unreachable"; detail: string };

/** The API major version this app speaks. */
export const SPOKEN_MAJOR = 1;

/** Routes where an OpenCode 2.x server says it is one, most telling first. */
const V2_ROUTES = ["/api/info", "/api/status", "/api/health"];

type Answer =
  | { ok: true; status: number; type: string; json: unknown }
  | { ok: false; status: number; type: string; unreachable?: string };

async function get(
  url: string,
  headers: HeadersInit | undefined,
  signal: AbortSignal,
): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(url, { headers, signal });
  } catch (error) {
    if (error instanceof TypeError) {
      return { ok: false, status: 0, type: "", unreachable: `cannot connect (${error.message})` };
    }
    if (error instanceof DOMException) {
      return { ok: false, status: 0, type: "", unreachable: "no answer in time" };
    }
    throw error;
  }
  const type = (response.headers.get("content-type") ?? "").split(";")[0].trim();
  if (!response.ok || !type.includes("json")) {
    await response.body?.cancel();
    return { ok: false, status: response.status, type };
  }
  try {
    return { ok: true, status: response.status, type, json: await response.json() };
  } catch (error) {
    if (error instanceof SyntaxError) return { ok: false, status: response.status, type };
    if (error instanceof DOMException || error instanceof TypeError) {
      return { ok: false, status: 0, type, unreachable: `answer cut off (${error.message})` };
    }
    throw error;
  }
}

/** The leading number of a version ("2.3.2" -> 2), or NaN. */
export function majorOf(version: string): number {
  const m = /^v?(\d+)\./.exec(version.trim());
  return m ? Number(m[1]) : NaN;
}

const field = (json: unknown, name: string): unknown =>
  json && typeof json === "object" ? (json as Record<string, unknown>)[name] : undefined;

/**
 * Asks the server at `url` what it is, within `timeoutMs` in all. A 1.x server takes one request;
 * only a server whose health answer is not OpenCode 1.x's gets the 2.x routes asked too.
 */
export async function identifyServer(
  url: string,
  options: { timeoutMs?: number; headers?: HeadersInit } = {},
): Promise<ServerKind> {
  const base = url.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 3000;
  const signal = AbortSignal.timeout(timeoutMs);
  const health = await get(`${base}/global/health`, options.headers, signal);
  if (!health.ok && health.unreachable) {
    const detail = health.unreachable === "no answer in time"
      ? `no answer within ${timeoutMs} ms`
      : health.unreachable;
    return { kind: "unreachable", detail };
  }
  if (health.status === 401) {
    return { kind: "unreachable", detail: "HTTP 401: set OPENCODE_SERVER_PASSWORD" };
  }
  if (health.ok) {
    const version = field(health.json, "version");
    if (field(health.json, "healthy") === true && typeof version === "string") {
      return majorOf(version) === SPOKEN_MAJOR
        ? { kind: "opencode1", version }
        : { kind: "opencode-other", version };
    }
  }
  for (const route of V2_ROUTES) {
    const answer = await get(`${base}${route}`, options.headers, signal);
    if (!answer.ok) {
      if (answer.unreachable) break; // out of time: what /global/health said decides
      continue;
    }
    const version = field(answer.json, "version");
    if (typeof version === "string" && majorOf(version) >= 0) {
      return { kind: "opencode-other", version };
    }
    if (route === "/api/health" && field(answer.json, "healthy") === true) {
      return { kind: "opencode-other", version: "" };
    }
  }
  const what = health.ok
    ? `JSON that is not OpenCode's health answer`
    : `HTTP ${health.status}${health.type ? ` ${health.type}` : ""}`;
  return { kind: "not-opencode", detail: `GET /global/health answered ${what}` };
}

/**
 * Why the app cannot use a server of this kind, as the end of a sentence ("it is OpenCode 2.3.2;
 * this version of the app speaks the OpenCode 1.x API"); null for OpenCode 1.x.
 */
export function incompatibility(kind: ServerKind): string | null {
  switch (kind.kind) {
    case "opencode1":
      return null;
    case "opencode-other":
      return `it is OpenCode ${kind.version || "2.x or later"}; ` +
        `this version of the app speaks the OpenCode ${SPOKEN_MAJOR}.x API`;
    case "not-opencode":
      return `it is not an OpenCode server (${kind.detail})`;
    case "unreachable":
      return kind.detail;
    default: {
      const never: never = kind;
      throw new TypeError(`Cannot describe server kind ${JSON.stringify(never)}`);
    }
  }
}
