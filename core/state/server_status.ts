/**
 * The status of the OpenCode server as facts for the status bar: the event stream's connection
 * state (with the attempt and the cause while it is not connected) and what the supervisor did
 * to a server the app started (a note with its fields). The UI words them.
 */
import { ipc } from "../../proto/gen/ipc.js";
import type { StreamState } from "../opencode/events.ts";
import type { SupervisorEvent } from "../opencode/supervisor.ts";

export type ServerStatus = ipc.ServerStatus.$Properties;

const Conn = ipc.ConnectionState;
const Note = ipc.ServerNote;
/** Reconnect attempts after which the server counts as down rather than reconnecting. */
const DOWN_AFTER = 3;

export class ServerStatusKeeper {
  #status: ServerStatus;
  #emit: (status: ServerStatus) => void;

  constructor(base: ServerStatus, emit: (status: ServerStatus) => void) {
    this.#status = {
      state: Conn.CONNECTION_STATE_CONNECTING,
      note: Note.SERVER_NOTE_NONE,
      ...base,
    };
    this.#emit = emit;
  }

  get value(): ServerStatus {
    return { ...this.#status };
  }

  /** The event stream's state; `detail` is the cause while not connected. */
  stream(s: StreamState, detail: string, attempt: number): void {
    const state = s === "connected"
      ? Conn.CONNECTION_STATE_CONNECTED
      : s === "connecting"
      ? Conn.CONNECTION_STATE_CONNECTING
      : attempt > DOWN_AFTER
      ? Conn.CONNECTION_STATE_DOWN
      : Conn.CONNECTION_STATE_RECONNECTING;
    const patch: Partial<ServerStatus> = {
      state,
      detail: s === "connected" ? "" : detail,
      attempt,
    };
    if (this.#status.note === Note.SERVER_NOTE_INCOMPATIBLE) {
      // Connected again: whatever answered there is a server we speak to now. Until then the
      // reason it is not one stays the detail, not the HTTP error of each retry.
      if (s === "connected") patch.note = Note.SERVER_NOTE_NONE;
      else patch.detail = this.#status.detail;
    }
    this.#set(patch);
  }

  /** The server cannot be reached at all (e.g. its directory could not be read). */
  down(detail: string): void {
    this.#set({ state: Conn.CONNECTION_STATE_DOWN, detail, attempt: 0 });
  }

  /** What the supervisor did to the server the app started. */
  supervisor(e: SupervisorEvent): void {
    switch (e.kind) {
      case "restarting":
        this.#set({ note: Note.SERVER_NOTE_RESTARTING, exitCode: e.exitCode });
        break;
      case "restarted":
        this.#set({ note: Note.SERVER_NOTE_RESTARTED, restarts: e.restarts, url: e.url });
        break;
      case "failed":
        this.#set({ note: Note.SERVER_NOTE_RESTART_FAILED });
        break;
      default: {
        const unknown: never = e;
        throw new TypeError(`Cannot note supervisor event ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** The server is not one this app speaks to; `what` says what it is. */
  incompatible(what: string): void {
    this.#set({
      note: Note.SERVER_NOTE_INCOMPATIBLE,
      state: Conn.CONNECTION_STATE_DOWN,
      detail: what,
    });
  }

  /** Facts about the server itself: a new target, its pid and directory, a choice to make. */
  update(patch: Partial<ServerStatus>): void {
    this.#set(patch);
  }

  #set(patch: Partial<ServerStatus>): void {
    this.#status = { ...this.#status, ...patch };
    this.#emit(this.value);
  }
}
