/**
 * The settings' server section: actions on the server, switching servers, provider keys. Keys
 * arrive here and go on to the OpenCode server; no reply carries one back.
 */
import type { ipc } from "../../proto/envelope.js";
import type { KeyKeeper } from "../state/key_keeper.ts";
import type { ServerControl } from "../state/server_control.ts";

/** What the server requests need; absent (tests of other parts): they get an error. */
export interface ServerSide {
  control: ServerControl;
  keys: KeyKeeper;
}

type ServerPayload = "serverAction" | "useServer" | "setProviderKey" | "getServerPanel";
type Reply = Omit<ipc.ServerMessage.$Properties, "requestId">;

/** Answers one request of the server section. */
export async function handleServer(
  side: ServerSide | undefined,
  msg: ipc.ClientMessage,
  payload: ServerPayload,
): Promise<Reply> {
  if (!side) throw new TypeError("Cannot change the server: this app has no server control");
  switch (payload) {
    case "serverAction": {
      const a = msg.serverAction!;
      return { serverStatus: await side.control.act(a.kind ?? 0, a.directory ?? "") };
    }
    case "useServer": {
      const u = msg.useServer!;
      return { serverStatus: await side.control.use(u.url ?? "", u.password ?? "") };
    }
    case "setProviderKey": {
      const k = msg.setProviderKey!;
      await side.keys.setKey(k.providerId ?? "", k.key ?? "");
      return { serverPanel: await side.keys.panel(true) };
    }
    case "getServerPanel":
      return { serverPanel: await side.keys.panel() };
    default: {
      const unknown: never = payload;
      throw new TypeError(`Cannot handle request: unknown payload ${unknown}`);
    }
  }
}
