// @ts-check
/**
 * The UI's end of the WebSocket: request ids with timeouts, exactly one reply per request,
 * pending calls failed when the socket drops, requests made while reconnecting queued until the
 * socket is back (or failed at their timeout), and automatic reconnect with backoff. On every
 * (re)connect the first request is Hello, whose Snapshot lets the app resync.
 */
import { signal } from "@preact/signals";
import {
  CLOSE_RESYNC,
  CLOSE_REVOKED,
  CLOSE_TOO_SLOW,
  decodeServer,
  encodeClient,
  ipc,
  PROTOCOL,
  TOKEN_PREFIX,
} from "../../proto/envelope.js";

/** A typed error reply from the core, or a local failure (timeout, disconnect). */
export class RequestError extends Error {
  /**
   * @param {string} message
   * @param {number | null | undefined} code an ipc.ErrorCode, or 0 for local failures
   */
  constructor(message, code = 0) {
    super(message);
    this.name = "RequestError";
    this.code = code ?? 0;
  }
}

/** @typedef {"connecting" | "open" | "reconnecting" | "refused"} SocketState */

/**
 * Whether the core still accepts `token` (a socket refused at the upgrade cannot say why).
 * @param {string} token
 */
async function tokenRefused(token) {
  try {
    const res = await fetch("/auth", { headers: { "x-opencode-desk-token": token } });
    return res.status === 401;
  } catch (err) {
    if (err instanceof TypeError) return false; // the app is unreachable: keep trying
    throw err;
  }
}

export class Connection {
  /** @type {import("@preact/signals").Signal<SocketState>} */
  state = signal(/** @type {SocketState} */ ("connecting"));
  /** @type {import("@preact/signals").Signal<string>} */
  detail = signal("");
  /** @type {WebSocket | null} */
  #ws = null;
  #nextId = 1;
  /** @type {Map<number, {resolve: (m: ipc.ServerMessage) => void, reject: (e: Error) => void, timer: ReturnType<typeof setTimeout>}>} */
  #pending = new Map();
  /** @type {{frame: ipc.ClientMessage.$Properties, resolve: (m: ipc.ServerMessage) => void, reject: (e: Error) => void, timer: ReturnType<typeof setTimeout>}[]} */
  #queue = [];
  #attempt = 0;
  #ready = false;
  #closed = false;

  /**
   * @param {{
   *   url: string,
   *   token: string,
   *   onPush: (msg: ipc.ServerMessage) => void,
   *   hello: () => ipc.Hello.$Properties,
   *   onReady: (snapshot: ipc.Snapshot.$Properties) => Promise<void> | void,
   * }} opts
   */
  constructor(opts) {
    this.opts = opts;
    this.#connect();
  }

  #connect() {
    if (this.#closed) return;
    this.state.value = this.#attempt === 0 ? "connecting" : "reconnecting";
    const ws = new WebSocket(this.opts.url, [PROTOCOL, TOKEN_PREFIX + this.opts.token]);
    ws.binaryType = "arraybuffer";
    this.#ws = ws;
    let opened = false;
    ws.onopen = async () => {
      opened = true;
      try {
        const hello = { client: `ui ${navigator.userAgent}`, ...this.opts.hello() };
        const reply = await this.#send({ hello }, 10_000);
        if (!reply.snapshot) throw new RequestError("Cannot start: hello got no snapshot");
        this.#attempt = 0;
        this.#ready = true;
        await this.opts.onReady(reply.snapshot);
        this.state.value = "open";
        this.detail.value = "";
        for (const q of this.#queue.splice(0)) {
          clearTimeout(q.timer);
          this.#send(q.frame).then(q.resolve, q.reject);
        }
      } catch (err) {
        this.detail.value = err instanceof Error ? err.message : String(err);
        ws.close();
      }
    };
    ws.onmessage = (ev) => {
      if (!(ev.data instanceof ArrayBuffer)) return;
      let msg;
      try {
        msg = decodeServer(new Uint8Array(ev.data));
      } catch (err) {
        console.error(err);
        return;
      }
      if (msg.requestId === 0) {
        if (msg.error) console.warn(`core: ${msg.error.message}`);
        else this.opts.onPush(msg);
        return;
      }
      const p = this.#pending.get(msg.requestId);
      if (!p) return;
      this.#pending.delete(msg.requestId);
      clearTimeout(p.timer);
      if (msg.error) {
        p.reject(new RequestError(msg.error.message || "request failed", msg.error.code));
      } else p.resolve(msg);
    };
    ws.onclose = (ev) => {
      this.#ready = false;
      for (const [, p] of this.#pending) {
        clearTimeout(p.timer);
        p.reject(new RequestError("Cannot complete request: connection lost"));
      }
      this.#pending.clear();
      if (this.#closed) return;
      if (ev.code === CLOSE_REVOKED) {
        this.#refuse();
        return;
      }
      if (!opened) {
        tokenRefused(this.opts.token).then((stale) => stale ? this.#refuse() : this.#retry(ev));
        return;
      }
      this.#retry(ev);
    };
  }

  /** The core no longer accepts this page's token: reconnecting cannot help. */
  #refuse() {
    this.#closed = true;
    this.state.value = "refused";
    this.detail.value = "This page's link is no longer valid";
  }

  /** @param {CloseEvent} ev */
  #retry(ev) {
    if (this.#closed) return;
    if (ev.reason) this.detail.value = ev.reason;
    this.#attempt++;
    this.state.value = "reconnecting";
    const fast = ev.code === CLOSE_TOO_SLOW || ev.code === CLOSE_RESYNC;
    const delay = fast ? 0 : Math.min(5000, 250 * 2 ** Math.min(this.#attempt - 1, 5));
    setTimeout(() => this.#connect(), delay * (0.8 + Math.random() * 0.4));
  }

  /**
   * @param {ipc.ClientMessage.$Properties} frame
   * @param {number} timeoutMs
   * @returns {Promise<ipc.ServerMessage>}
   */
  #send(frame, timeoutMs = 30_000) {
    return new Promise((resolve, reject) => {
      const ws = this.#ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        reject(new RequestError("Cannot send request: not connected"));
        return;
      }
      const requestId = this.#nextId++;
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        reject(new RequestError(`Cannot complete request: no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(requestId, { resolve, reject, timer });
      ws.send(encodeClient({ ...frame, requestId }));
    });
  }

  /**
   * Sends a request; while reconnecting it waits in a queue until the socket is back.
   * @param {ipc.ClientMessage.$Properties} frame
   * @param {number} timeoutMs
   * @returns {Promise<ipc.ServerMessage>}
   */
  request(frame, timeoutMs = 30_000) {
    if (this.#ready) return this.#send(frame, timeoutMs);
    return new Promise((resolve, reject) => {
      const entry = {
        frame,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#queue = this.#queue.filter((q) => q !== entry);
          reject(new RequestError("Cannot send request: still reconnecting"));
        }, timeoutMs),
      };
      this.#queue.push(entry);
    });
  }

  close() {
    this.#closed = true;
    this.#ws?.close();
  }

  /** Drops the socket as a network blip would; the connection reconnects and resyncs. */
  reconnect() {
    this.#ws?.close(4999, "dropped on purpose");
  }
}

export { ipc };
