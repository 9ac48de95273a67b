// @ts-check
/**
 * Several projects in one window: which project is on screen (the core decides, per window), the
 * sessions of that project, which project a tab belongs to, and the intents (show a project, list
 * a folder for "Open folder…").
 */
import { computed } from "@preact/signals";
import { RequestError } from "../lib/connection.js";
import { connection } from "./actions.js";
import { directory, projects, sessions, workspace } from "./store.js";

/** @typedef {import("../../proto/envelope.js").ipc.DirectoryListing.$Properties} DirectoryListing */

/** The last part of a path: a project's short name. @param {string} path */
export const baseName = (path) => path.replace(/\/+$/, "").split("/").pop() || path;

/** The project this window shows (the startup one until the core said). */
export const project = computed(() => projects.value.current || directory.value);

/** The sessions of the project on screen (a session without a directory is the startup one's). */
export const projectSessions = computed(() => {
  const shown = project.value;
  const start = directory.value;
  return sessions.value.filter((s) => (s.directory || start) === shown);
});

/** A project's name as the switcher lists it. @param {string} dir */
export function projectName(dir) {
  return (projects.value.projects ?? []).find((p) => p.directory === dir)?.name || baseName(dir);
}

/**
 * The project directory of a session (its tab's, else its own, else the startup one): paths in
 * its tool calls are shown relative to it. @param {string} id
 */
export function sessionDirectory(id) {
  const tab = (workspace.value.tabs ?? []).find((t) => t.sessionId === id);
  const s = sessions.value.find((x) => x.id === id);
  return tab?.directory || s?.directory || directory.value;
}

/**
 * The short name of the project a tab belongs to when it is not the one on screen, else "".
 * @param {string} id
 */
export function otherProjectOf(id) {
  const dir = sessionDirectory(id);
  return dir && dir !== project.value ? projectName(dir) : "";
}

/**
 * Shows a project in this window: its sessions in the sidebar, new sessions made there. Resolves
 * to "" once shown, or the sentence saying why not (not a directory, …).
 * @param {string} dir
 * @returns {Promise<string>}
 */
export async function showProject(dir) {
  try {
    const reply = await connection().request({ showProject: { directory: dir } });
    if (reply.projects) projects.value = reply.projects;
    return "";
  } catch (err) {
    if (err instanceof RequestError) return err.message;
    throw err;
  }
}

/**
 * The sub-directories of `path` ("" for the project on screen), or the sentence saying why not.
 * @param {string} path
 * @returns {Promise<DirectoryListing | string>}
 */
export async function listDirectory(path) {
  try {
    const reply = await connection().request({ listDirectory: { path } });
    return reply.directoryListing ?? "The app sent no listing.";
  } catch (err) {
    if (err instanceof RequestError) return err.message;
    throw err;
  }
}
