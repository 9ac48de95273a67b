/**
 * Where the app keeps downloaded data (Whisper models): `OPENCODE_DESK_DATA`, else
 * `$XDG_DATA_HOME/opencode-desk`, else `~/.local/share/opencode-desk` (`%LOCALAPPDATA%` on
 * Windows).
 */
import { join } from "node:path";

/** The app's data directory for this environment. */
export function dataDir(env: Record<string, string | undefined>): string {
  if (env.OPENCODE_DESK_DATA) return env.OPENCODE_DESK_DATA;
  const base = env.XDG_DATA_HOME || env.LOCALAPPDATA ||
    (env.HOME ? join(env.HOME, ".local", "share") : ".");
  return join(base, "opencode-desk");
}
