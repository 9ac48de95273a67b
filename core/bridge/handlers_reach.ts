/** The requests of core/bridge/reach.ts: pairing, revoking the browsers' token, window focus. */
import type { ipc } from "../../proto/envelope.js";
import type { Reply } from "./handlers.ts";

/** What the bridge does for these requests (it owns the sockets a revocation closes). */
export interface ReachHandlers {
  pairing(): ipc.Pairing.$Properties;
  /** Makes a new browser token and drops every other browser; `win` keeps its socket. */
  revoke(win: number): Promise<ipc.Pairing.$Properties>;
  windowState(win: number, state: ipc.WindowState.$Properties): void;
}

/** Answers one of the reach requests of window `win`. */
export async function handleReach(
  reach: ReachHandlers | undefined,
  win: number,
  msg: ipc.ClientMessage,
  payload: "getPairing" | "revokeToken" | "windowState",
): Promise<Reply> {
  if (!reach) throw new TypeError("Cannot handle request: this bridge has no pairing");
  switch (payload) {
    case "getPairing":
      return { pairing: reach.pairing() };
    case "revokeToken":
      return { pairing: await reach.revoke(win) };
    case "windowState":
      reach.windowState(win, msg.windowState!);
      return { ack: {} };
    default: {
      const unknown: never = payload;
      throw new TypeError(`Cannot handle request: unknown payload ${unknown}`);
    }
  }
}
