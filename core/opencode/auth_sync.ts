/**
 * Hands provider API keys from the app's environment to the OpenCode server (`PUT /auth/:id`),
 * then disposes the instance once so they take effect (docs/opencode-api.md §4.8). Keys never
 * appear in a returned error.
 * @module
 */

import { redact } from "../config/env.ts";

/** An API key for one provider, as produced by config/env.ts `providerKeys`. */
export interface ProviderKeyInput {
  providerID: string;
  key: string;
}

/** What {@link syncProviderKeys} achieved. */
export interface SyncResult {
  /** Providers whose key the server stored, in request order. */
  synced: string[];
  failed: { providerID: string; error: string }[];
  /** Set when the keys were stored but the dispose that activates them failed. */
  disposeError?: string;
}

const PROVIDER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Stores each key with `PUT /auth/<providerID>` `{"type":"api","key"}`, one at a time (the server
 * rewrites auth.json on each), then sends one `POST /instance/dispose` if any was stored. Every
 * request times out after `timeoutMs`. `headers` go on every request (Basic auth, or
 * `x-opencode-directory` to dispose another directory's instance). Disposing ends the instance's
 * running sessions and closes its `/event` stream, so call this before opening sessions.
 */
export async function syncProviderKeys(
  baseUrl: string,
  keys: ProviderKeyInput[],
  fetchFn: typeof fetch = fetch,
  headers?: HeadersInit,
  timeoutMs = 5000,
): Promise<SyncResult> {
  const base = baseUrl.replace(/\/+$/, "");
  const result: SyncResult = { synced: [], failed: [] };
  const secrets = keys.map((k) => k.key);
  for (const { providerID, key } of keys) {
    if (!PROVIDER_ID.test(providerID)) {
      result.failed.push({
        providerID,
        error: `Cannot store key: invalid provider id ${JSON.stringify(providerID)}`,
      });
      continue;
    }
    const failure = await call(
      fetchFn,
      `${base}/auth/${providerID}`,
      "PUT",
      headers,
      timeoutMs,
      JSON.stringify({ type: "api", key }),
    );
    if (failure === null) result.synced.push(providerID);
    else {
      result.failed.push({
        providerID,
        error: `Cannot store key for ${providerID}: ${redact(failure, secrets)}`,
      });
    }
  }
  if (result.synced.length > 0) {
    const failure = await call(fetchFn, `${base}/instance/dispose`, "POST", headers, timeoutMs);
    if (failure !== null) {
      result.disposeError = `Cannot dispose instance to apply keys: ${redact(failure, secrets)}`;
    }
  }
  return result;
}

/** One request that must answer 2xx with `true`; returns null on success, else why not. */
async function call(
  fetchFn: typeof fetch,
  url: string,
  method: string,
  headers: HeadersInit | undefined,
  timeoutMs: number,
  body?: string,
): Promise<string | null> {
  const init: RequestInit = {
    method,
    body,
    headers: new Headers(headers),
    signal: AbortSignal.timeout(timeoutMs),
  };
  if (body !== undefined) (init.headers as Headers).set("content-type", "application/json");
  let text: string;
  let status: number;
  try {
    const response = await fetchFn(url, init);
    status = response.status;
    text = await response.text();
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") {
      return `no answer within ${timeoutMs} ms`;
    }
    if (error instanceof TypeError || error instanceof DOMException) return error.message;
    throw error;
  }
  if (status >= 200 && status < 300 && text.trim() === "true") return null;
  return `HTTP ${status} ${text.slice(0, 200)}`;
}
