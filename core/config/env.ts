/**
 * The app's environment: an optional `.env` file, provider API keys found in it, and redaction of
 * those keys from anything that may be logged.
 * @module
 */

import { parseEnv } from "node:util";
import { dirname, join } from "node:path";

/** What {@link loadDotEnv} did with the first `.env` file it found. */
export interface DotEnvResult {
  /** The file that was read (or could not be read). */
  path: string;
  /** Names of the variables that were set from it, in file order. */
  loaded: string[];
  /** Set when the file exists but could not be read; nothing was loaded then. */
  warning?: string;
}

/** The part of `Deno.env` that {@link loadDotEnv} uses; tests pass a Map-backed fake. */
export interface EnvTarget {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** An API key for one OpenCode provider, as found in `<PROVIDER>_API_KEY`. */
export interface ProviderKey {
  providerID: string;
  key: string;
}

/**
 * Reads the first existing file among `paths` and sets each variable it defines, but only if that
 * variable is not already set: the real environment always wins over the file.
 *
 * Returns null when none of the paths exists. A file that exists but cannot be read (a directory,
 * no permission) gives a result with `warning` instead of a throw. Malformed lines are skipped.
 */
export function loadDotEnv(paths: string[], env: EnvTarget = Deno.env): DotEnvResult | null {
  for (const path of paths) {
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      if (
        error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.IsADirectory
      ) {
        return { path, loaded: [], warning: `Cannot read ${path}: ${(error as Error).message}` };
      }
      throw error;
    }
    const loaded: string[] = [];
    for (const [name, value] of Object.entries(parseEnv(text))) {
      if (value === undefined || env.get(name) !== undefined) continue;
      env.set(name, value);
      loaded.push(name);
    }
    return { path, loaded };
  }
  return null;
}

/**
 * Where to look for `.env`: next to the executable in a compiled binary (so a double-clicked app
 * finds it regardless of the working directory), else in the current directory.
 */
export function dotEnvCandidates(
  standalone: boolean = Deno.build.standalone,
  execPath: () => string = Deno.execPath,
  cwd: () => string = Deno.cwd,
): string[] {
  return [join(standalone ? dirname(execPath()) : cwd(), ".env")];
}

/**
 * Variable prefixes whose provider id does not follow from the name (lowercase, `_` to `-`).
 * Taken from the `env` lists of OpenCode's bundled models.dev snapshot (opencode-ai 1.18.33).
 */
const PROVIDER_ALIASES: Record<string, string> = {
  AI_GATEWAY: "vercel",
  ARK: "volcengine",
  CORAL: "coralbricks",
  DASHSCOPE: "alibaba",
  GEMINI: "google",
  GOOGLE_GENERATIVE_AI: "google",
  IFLOW: "iflowcn",
  META_MODEL: "meta",
  MOONSHOT: "moonshotai",
  OCI_GENAI: "oci",
  TINKER: "thinkingmachines",
  TOGETHER: "togetherai",
  VISPARK_LAB: "vispark",
  ZHIPU: "zhipuai",
};

const API_KEY_NAME = /^([A-Z0-9]+(?:_[A-Z0-9]+)*)_API_KEY$/;

/**
 * Every non-empty `<PROVIDER>_API_KEY` variable as a provider key, sorted by provider id:
 * `ANTHROPIC_API_KEY` gives `anthropic`, `MY_CORP_API_KEY` gives `my-corp`, and the irregular
 * names OpenCode knows map through an alias table (`GEMINI_API_KEY` gives `google`). When two
 * variables name the same provider, the regular name (`GOOGLE_API_KEY`) wins over an alias.
 */
export function providerKeys(env: Record<string, string | undefined>): ProviderKey[] {
  const found = new Map<string, { key: string; regular: boolean }>();
  for (const [name, value] of Object.entries(env)) {
    const match = API_KEY_NAME.exec(name);
    const key = value?.trim();
    if (!match || !key) continue;
    const alias = PROVIDER_ALIASES[match[1]];
    const providerID = alias ?? match[1].toLowerCase().replaceAll("_", "-");
    const previous = found.get(providerID);
    if (previous && (previous.regular || alias)) continue;
    found.set(providerID, { key, regular: !alias });
  }
  return [...found]
    .map(([providerID, { key }]) => ({ providerID, key }))
    .sort((a, b) => a.providerID < b.providerID ? -1 : a.providerID > b.providerID ? 1 : 0);
}

/** The text that stands in for a secret in {@link redact}'s output. */
export const REDACTED = "[redacted]";

/**
 * Replaces every occurrence of each non-empty secret in `text` with {@link REDACTED}. Longer
 * secrets are replaced first, so a key that contains another is hidden whole.
 */
export function redact(text: string, secrets: Iterable<string>): string {
  const sorted = [...new Set(secrets)].filter((s) => s !== "").sort((a, b) => b.length - a.length);
  for (const secret of sorted) text = text.replaceAll(secret, REDACTED);
  return text;
}
