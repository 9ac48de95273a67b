/** A WebSocket client of the bridge for tests: a queue of decoded frames and request helpers. */
import { decodeServer, encodeClient, ipc, PROTOCOL, TOKEN_PREFIX } from "../../proto/envelope.js";

export interface Opened {
  ws: WebSocket;
  next: () => Promise<ipc.ServerMessage>;
  closed: Promise<CloseEvent>;
}

/**
 * Opens a socket to the bridge on `port` like a browser would. `token: null` or `origin: null`
 * leave them out; by default the Origin is the bridge's own.
 */
export function connect(
  port: number,
  opts: { token: string | null; origin?: string | null },
): Promise<Opened> {
  const protocols = [PROTOCOL];
  if (opts.token !== null) protocols.push(TOKEN_PREFIX + opts.token);
  const headers: Record<string, string> = {};
  if (opts.origin !== null) headers.origin = opts.origin ?? `http://127.0.0.1:${port}`;
  // @ts-ignore Deno's WebSocket takes headers (browsers set Origin themselves)
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { protocols, headers });
  ws.binaryType = "arraybuffer";
  const inbox: ipc.ServerMessage[] = [];
  const waiters: { take: (m: ipc.ServerMessage) => void; fail: (e: Error) => void }[] = [];
  ws.onmessage = (ev) => {
    const msg = decodeServer(new Uint8Array(ev.data as ArrayBuffer));
    const w = waiters.shift();
    if (w) w.take(msg);
    else inbox.push(msg);
  };
  let isClosed = false;
  const closed = new Promise<CloseEvent>((r) =>
    ws.addEventListener("close", (e) => {
      // Whoever waits for a frame learns now that none will come.
      isClosed = true;
      for (const w of waiters.splice(0)) w.fail(new Error("the socket closed"));
      r(e);
    })
  );
  const next = () =>
    new Promise<ipc.ServerMessage>((resolve, reject) => {
      const m = inbox.shift();
      if (m) return resolve(m);
      if (isClosed) return reject(new Error("the socket closed"));
      const t = setTimeout(() => reject(new Error("no frame within 20 s")), 20_000);
      waiters.push({
        take: (msg) => {
          clearTimeout(t);
          resolve(msg);
        },
        fail: (err) => {
          clearTimeout(t);
          reject(err);
        },
      });
    });
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve({ ws, next, closed });
    ws.onerror = (e) => reject(new Error((e as ErrorEvent).message || "socket error"));
  });
}

/** Sends a request and returns its reply, keeping pushes that arrive meanwhile in `pushes`. */
export async function request(
  o: Opened,
  frame: ipc.ClientMessage.$Properties,
  pushes: ipc.ServerMessage[],
): Promise<ipc.ServerMessage> {
  const requestId = Math.floor(Math.random() * 1e9) + 1;
  o.ws.send(encodeClient({ ...frame, requestId }));
  while (true) {
    const m = await o.next();
    if (m.requestId === requestId) return m;
    if (m.requestId === 0) pushes.push(m);
  }
}
