/**
 * The credentials OpenCode holds for a provider, and its own OAuth flows: where its auth store
 * lives (`$XDG_DATA_HOME/opencode/auth.json`, which the server writes on `PUT /auth/:id` and when
 * it refreshes a token itself), what the `.env` file offers for Anthropic's subscription
 * (`ANTHROPIC_OAUTH_ACCESS`, `ANTHROPIC_OAUTH_REFRESH`, `ANTHROPIC_OAUTH_EXPIRES` in epoch ms),
 * and the requests that put a credential on the server and read its sign-in methods
 * (docs/opencode-api.md §4.8). Secrets stay in these values; nothing here logs them.
 * @module
 */
import { join } from "node:path";
import type { OpencodeClient } from "./client.ts";

/** OAuth tokens as OpenCode stores them. */
export interface OAuthTokens {
  access: string;
  refresh: string;
  /** Epoch ms. */
  expires: number;
}

/** What the server's store holds for one provider. */
export type StoredCredential =
  | { type: "oauth"; tokens: OAuthTokens }
  | { type: "api" }
  | { type: "other" }
  | { type: "none" };

/** One sign-in method the server offers for a provider (`GET /provider/auth`). */
export interface AuthMethod {
  index: number;
  type: string;
  label: string;
}

/** The server's answer to starting an OAuth flow. */
export interface Authorization {
  url: string;
  method: string;
  instructions: string;
}

/** Where OpenCode keeps its credentials for the environment it runs in. */
export function authStorePath(env: Record<string, string | undefined>): string {
  const data = env.XDG_DATA_HOME || join(env.HOME ?? ".", ".local", "share");
  return join(data, "opencode", "auth.json");
}

/** Whether a server URL names this machine (so its auth store is a local file). */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The subscription tokens of the environment (`.env`), or null unless all three are there. */
export function oauthFromEnv(env: Record<string, string | undefined>): OAuthTokens | null {
  const access = env.ANTHROPIC_OAUTH_ACCESS?.trim();
  const refresh = env.ANTHROPIC_OAUTH_REFRESH?.trim();
  const expires = Number(env.ANTHROPIC_OAUTH_EXPIRES?.trim());
  if (!access || !refresh || !Number.isFinite(expires) || expires <= 0) return null;
  return { access, refresh, expires };
}

/**
 * What the store at `path` holds for `providerId`; "none" when the file or the entry is missing.
 * Throws a `SyntaxError` for a file that is not JSON, and the system's error when unreadable.
 */
export async function readStoredCredential(
  path: string,
  providerId: string,
): Promise<StoredCredential> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return { type: "none" };
    throw err;
  }
  const entry = (JSON.parse(text) as Record<string, Record<string, unknown>>)?.[providerId];
  if (!entry || typeof entry !== "object") return { type: "none" };
  if (entry.type === "api") return { type: "api" };
  const { access, refresh, expires } = entry;
  if (
    entry.type === "oauth" && typeof access === "string" && typeof refresh === "string" &&
    typeof expires === "number"
  ) {
    return { type: "oauth", tokens: { access, refresh, expires } };
  }
  return { type: "other" };
}

/** The OAuth tokens the store at `path` holds for `providerId`, or null (none, or unreadable). */
export async function storedOAuth(path: string, providerId: string): Promise<OAuthTokens | null> {
  try {
    const c = await readStoredCredential(path, providerId);
    return c.type === "oauth" ? c.tokens : null;
  } catch (err) {
    if (err instanceof SyntaxError || err instanceof Deno.errors.PermissionDenied) return null;
    throw err;
  }
}

/** Stores OAuth tokens for a provider on the server (takes effect after a dispose). */
export async function putOAuth(
  client: OpencodeClient,
  providerId: string,
  t: OAuthTokens,
): Promise<void> {
  const body = { type: "oauth", access: t.access, refresh: t.refresh, expires: t.expires };
  await client.request("PUT", `/auth/${encodeURIComponent(providerId)}`, body);
}

/** Stores an API key for a provider on the server (takes effect after a dispose). */
export async function putApiKey(
  client: OpencodeClient,
  providerId: string,
  key: string,
): Promise<void> {
  await client.request("PUT", `/auth/${encodeURIComponent(providerId)}`, { type: "api", key });
}

/** Drops the instance so the credentials stored meanwhile take effect. */
export async function disposeInstance(client: OpencodeClient): Promise<void> {
  await client.request("POST", "/instance/dispose");
}

/** The sign-in methods the server offers, per provider. */
export async function authMethods(client: OpencodeClient): Promise<Map<string, AuthMethod[]>> {
  const raw = await client.request<Record<string, { type?: unknown; label?: unknown }[]>>(
    "GET",
    "/provider/auth",
  );
  const out = new Map<string, AuthMethod[]>();
  for (const [id, list] of Object.entries(raw ?? {})) {
    if (!Array.isArray(list)) continue;
    out.set(
      id,
      list.map((m, index) => ({
        index,
        type: typeof m?.type === "string" ? m.type : "",
        label: typeof m?.label === "string" ? m.label : "",
      })),
    );
  }
  return out;
}

/** Starts the server's OAuth flow for a provider: where the person signs in. */
export async function authorize(
  client: OpencodeClient,
  providerId: string,
  method: number,
): Promise<Authorization> {
  const a = await client.request<Partial<Authorization>>(
    "POST",
    `/provider/${encodeURIComponent(providerId)}/oauth/authorize`,
    { method },
    { timeoutMs: 30_000 },
  );
  return { url: a?.url ?? "", method: a?.method ?? "", instructions: a?.instructions ?? "" };
}

/**
 * Finishes the server's OAuth flow (with the pasted code for method "code"); the server stores
 * the tokens itself. An "auto" flow answers once the person signed in, so this waits long.
 */
export async function finishOAuth(
  client: OpencodeClient,
  providerId: string,
  method: number,
  code: string,
): Promise<void> {
  await client.request(
    "POST",
    `/provider/${encodeURIComponent(providerId)}/oauth/callback`,
    code ? { method, code } : { method },
    { timeoutMs: 300_000 },
  );
}
