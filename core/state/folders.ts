/**
 * The "Open folder…" dialog's listing: the sub-directories of one directory on this machine,
 * names only (never a file, never a file's contents), hidden ones left out, sorted.
 */
import type { ipc } from "../../proto/gen/ipc.js";

/** A directory with its last "/" gone (but "/" itself kept). */
export function cleanDir(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

/** Sub-directories listed at most; the listing says when there were more. */
export const LISTED_DIRECTORIES = 500;

/**
 * Lists the sub-directories of `path` (an absolute path; symlinks to directories count).
 * @throws {TypeError} when `path` is relative, missing, unreadable or not a directory
 */
export async function listDirectory(
  path: string,
  home: string,
): Promise<ipc.DirectoryListing.$Properties> {
  const asked = cleanDir(path.trim());
  if (!asked.startsWith("/")) {
    throw new TypeError(`Cannot list ${asked || "a folder"}: give an absolute path`);
  }
  let dir: string;
  try {
    dir = await Deno.realPath(asked);
    if (!(await Deno.stat(dir)).isDirectory) {
      throw new TypeError(`Cannot list ${asked}: it is not a directory`);
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new TypeError(`Cannot list ${asked}: it does not exist`);
    }
    if (err instanceof Deno.errors.PermissionDenied) {
      throw new TypeError(`Cannot list ${asked}: permission denied`);
    }
    throw err;
  }
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.name.startsWith(".")) continue;
      if (e.isDirectory || (e.isSymlink && await isDirectory(`${dir}/${e.name}`))) {
        names.push(e.name);
      }
    }
  } catch (err) {
    if (err instanceof Deno.errors.PermissionDenied) {
      throw new TypeError(`Cannot list ${asked}: permission denied`);
    }
    throw err;
  }
  names.sort((a, b) => a.localeCompare(b));
  const parent = dir === "/" ? "" : dir.slice(0, dir.lastIndexOf("/")) || "/";
  return {
    path: dir,
    parent,
    home,
    directories: names.slice(0, LISTED_DIRECTORIES),
    truncated: names.length > LISTED_DIRECTORIES,
  };
}

/** Whether `path` is a directory (or a symlink to one) on this machine. */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.PermissionDenied) {
      return false;
    }
    throw err;
  }
}
