/**
 * The notices of this run: facts the person must be told about outside any session (the settings
 * file was set aside, settings cannot be saved). Kept for the run, so a window that connects later
 * gets them in its Snapshot, and pushed to every window as each one comes; the UI words them and
 * the person dismisses them there.
 */
import type { ipc } from "../../proto/gen/ipc.js";

export type Notice = ipc.AppNotice.$Properties;

/** A notice said twice (same kind, path and time) is kept once. */
function same(a: Notice, b: Notice): boolean {
  return a.kind === b.kind && a.path === b.path && a.at === b.at;
}

export class Notices {
  #list: Notice[] = [];
  #emit: (notice: Notice) => void;

  /** `emit` pushes a new notice to every window. */
  constructor(emit: (notice: Notice) => void) {
    this.#emit = emit;
  }

  /** Keeps a notice and tells every window, unless it was said already. */
  add(notice: Notice): void {
    if (this.#list.some((n) => same(n, notice))) return;
    this.#list.push(notice);
    this.#emit(notice);
  }

  /** Every notice of this run, oldest first. */
  list(): Notice[] {
    return [...this.#list];
  }
}
