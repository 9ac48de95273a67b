/**
 * Provider credentials on the OpenCode server, as the settings show them: which providers are
 * connected and where each credential comes from, the decisions of the `.env` sync at start (per
 * provider: send, skip, or ask first), and masking. Keys are write-only: nothing here returns
 * more of a key than its last four characters.
 * @module
 */
import { ipc } from "../../proto/gen/ipc.js";
import type { ProviderKey } from "../config/env.ts";

const Source = ipc.KeySource;

/** `GET /provider` as far as credentials go (`key` is the server's copy: never passed on). */
export interface OcProviderCredentials {
  id: string;
  name?: string;
  /** "env" | "config" | "api" (auth.json) | "custom" (a loader or plugin, or nothing). */
  source?: string;
}

/** `GET /provider/auth`: the ways each provider can log in. */
export type AuthMethods = Record<string, { type?: string; label?: string }[]>;

/** Keys the app itself handed to this server: where they came from and their last four. */
export type KnownKeys = Map<string, { from: "dotenv" | "entered"; lastFour: string }>;

const PROVIDER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Shorter keys are test values or typos: showing four of their characters shows too much. */
const MIN_MASKED_LENGTH = 8;

/** The last four characters of a key, or "" for a key too short to show any of it. */
export function lastFour(key: string): string {
  const k = key.trim();
  return k.length >= MIN_MASKED_LENGTH ? k.slice(-4) : "";
}

/** Whether `id` can be a provider id in a URL path. */
export function validProviderId(id: string): boolean {
  return PROVIDER_ID.test(id);
}

/** One decision of the `.env` sync. */
export interface SyncDecision {
  providerID: string;
  action: "send" | "skip" | "ask" | "fail";
  /** Why not sent, as a sentence end ("the server already has a key for it"). */
  reason: string;
}

/**
 * What to do with each `.env` key at start. A provider the server already lists as connected is
 * skipped (its key is not re-sent, so nothing needs a reload); on a server the app did not start
 * (`mayStore` false) the person is asked before a key is stored there for good.
 */
export function planKeySync(
  keys: ProviderKey[],
  connected: ReadonlySet<string>,
  mayStore: boolean,
): SyncDecision[] {
  return keys.map(({ providerID }) => {
    if (!validProviderId(providerID)) {
      return { providerID, action: "fail", reason: "it is not a valid provider id" };
    }
    if (connected.has(providerID)) {
      return { providerID, action: "skip", reason: "the server already has a key for it" };
    }
    if (!mayStore) {
      return {
        providerID,
        action: "ask",
        reason: "the app did not start this server: asked before storing keys there",
      };
    }
    return { providerID, action: "send", reason: "" };
  });
}

/** Where a provider's credential comes from, as far as the app can tell. */
export function keySource(
  p: OcProviderCredentials,
  connected: boolean,
  known: KnownKeys,
  methods: AuthMethods,
): ipc.KeySource {
  if (!connected) return Source.KEY_SOURCE_NONE;
  const mine = known.get(p.id);
  switch (p.source) {
    case "env":
      return Source.KEY_SOURCE_ENV;
    case "config":
      return Source.KEY_SOURCE_CONFIG;
    case "api":
      if (mine) {
        return mine.from === "dotenv" ? Source.KEY_SOURCE_DOTENV : Source.KEY_SOURCE_ENTERED;
      }
      return Source.KEY_SOURCE_STORE;
    default:
      if (mine) {
        return mine.from === "dotenv" ? Source.KEY_SOURCE_DOTENV : Source.KEY_SOURCE_ENTERED;
      }
      return (methods[p.id] ?? []).some((m) => m.type === "oauth")
        ? Source.KEY_SOURCE_OAUTH
        : Source.KEY_SOURCE_STORE;
  }
}

/**
 * The providers as the settings list them: connected first, then by name. Only the last four
 * characters of keys the app itself handed over are included.
 */
export function providerInfos(
  all: OcProviderCredentials[],
  connectedIds: Iterable<string>,
  known: KnownKeys,
  methods: AuthMethods,
): ipc.ProviderInfo.$Properties[] {
  const connected = new Set(connectedIds);
  return all
    .map((p) => {
      const isConnected = connected.has(p.id);
      const source = keySource(p, isConnected, known, methods);
      const mine = source === Source.KEY_SOURCE_DOTENV || source === Source.KEY_SOURCE_ENTERED;
      return {
        id: p.id,
        name: p.name || p.id,
        connected: isConnected,
        source,
        lastFour: mine ? known.get(p.id)?.lastFour ?? "" : "",
        // A key in the server's config wins over a stored one: entering one would change nothing.
        takesKey: p.source !== "config",
      };
    })
    .sort((a, b) =>
      Number(b.connected) - Number(a.connected) ||
      a.name.localeCompare(b.name, "en", { sensitivity: "base" })
    );
}
