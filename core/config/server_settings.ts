/**
 * The server settings kept in the state file (the server kept from "Use another server", whether
 * the app starts one when none is found, the directory it starts one in) and the kept server's
 * password, which is a secret: it lives in its own file beside the state file (mode 600), never
 * in the settings windows receive, never in a log.
 * @module
 */
import type { ipc } from "../../proto/envelope.js";

type ServerFields = Pick<
  ipc.Settings.$Properties,
  "serverUrl" | "serverPasswordSet" | "neverStartServer" | "serverDirectory"
>;

/** The server fields of the settings, checked (the file is edited by people). */
export function cleanServerSettings(r: Record<string, unknown>): ServerFields {
  const text = (v: unknown) => typeof v === "string" ? v.trim() : "";
  return {
    serverUrl: text(r.serverUrl),
    serverPasswordSet: r.serverPasswordSet === true,
    neverStartServer: r.neverStartServer === true,
    serverDirectory: text(r.serverDirectory),
  };
}

/** Where the kept server's password lives, beside the state file. */
export function passwordPath(statePath: string): string {
  return `${statePath}.server-password`;
}

/** The kept password, or undefined when none is kept (or it cannot be read). */
export async function readServerPassword(path: string): Promise<string | undefined> {
  try {
    return (await Deno.readTextFile(path)).replace(/\n$/, "") || undefined;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.PermissionDenied) {
      return undefined;
    }
    throw err;
  }
}

/** Keeps `password` (readable by this user only), or removes the file when it is empty. */
export async function writeServerPassword(path: string, password: string): Promise<void> {
  if (!password) {
    await Deno.remove(path).catch((err) => {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    });
    return;
  }
  await Deno.writeTextFile(path, password + "\n", { mode: 0o600 });
  if (Deno.build.os !== "windows") await Deno.chmod(path, 0o600);
}
