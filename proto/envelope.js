// Shared by core/ (Deno) and ui/ (browser): no Deno or DOM globals here.
// @ts-check
/**
 * The framing rules of the core <-> UI WebSocket: one binary protobuf message per frame, how the
 * socket presents its token, and the limits both sides enforce.
 */
import { ipc } from "./gen/ipc.js";

export { ipc };

/** Sub-protocol every socket speaks; the server echoes it back. */
export const PROTOCOL = "opencode-desk.v1";
/** The per-launch token travels as a second sub-protocol `token.<token>`, never in a URL. */
export const TOKEN_PREFIX = "token.";
/** Largest frame the core accepts from a UI (pasted images ride in SendMessage). */
export const MAX_CLIENT_FRAME_BYTES = 32 * 1024 * 1024;
/** WebSocket close code: the peer fell too far behind and must reconnect and resync. */
export const CLOSE_TOO_SLOW = 4000;
/** WebSocket close code: the frame could not be accepted at all (e.g. oversize). */
export const CLOSE_BAD_FRAME = 4001;
/** The core closes every socket with this when it switched servers: reconnect now and resync. */
export const CLOSE_RESYNC = 4002;
/** WebSocket close code: the token this page used was revoked; it needs the new URL. */
export const CLOSE_REVOKED = 4003;

/**
 * @param {Uint8Array} bytes
 * @returns {ipc.ClientMessage}
 */
export function decodeClient(bytes) {
  try {
    return ipc.ClientMessage.decode(bytes);
  } catch (err) {
    throw new SyntaxError(`Cannot decode frame: ${err instanceof Error ? err.message : err}`);
  }
}

/**
 * @param {Uint8Array} bytes
 * @returns {ipc.ServerMessage}
 */
export function decodeServer(bytes) {
  try {
    return ipc.ServerMessage.decode(bytes);
  } catch (err) {
    throw new SyntaxError(`Cannot decode frame: ${err instanceof Error ? err.message : err}`);
  }
}

/**
 * @param {ipc.ClientMessage.$Properties} msg
 * @returns {Uint8Array}
 */
export function encodeClient(msg) {
  return ipc.ClientMessage.encode(msg).finish();
}

/**
 * @param {ipc.ServerMessage.$Properties} msg
 * @returns {Uint8Array}
 */
export function encodeServer(msg) {
  return ipc.ServerMessage.encode(msg).finish();
}
