// @ts-check
/**
 * Intents: what the person asked for, sent to the core. Nothing here decides anything the core
 * owns; it only keeps the screen's own choices (which session is shown) and reports failures.
 */
import { signal } from "@preact/signals";
import { RequestError } from "../lib/connection.js";
import { clearTranscript, currentSessionId, sessionError, setTranscript } from "./store.js";

/** @type {import("../lib/connection.js").Connection | null} */
let conn = null;
const LAST_SESSION = "opencode-desk.session";

/** A message for the person when an intent failed (shown near the input). */
export const notice = signal("");

/** @param {import("../lib/connection.js").Connection} c */
export function useConnection(c) {
  conn = c;
}

function connection() {
  if (!conn) throw new Error("Cannot send: no connection yet");
  return conn;
}

/** @param {unknown} err */
function report(err) {
  notice.value = err instanceof Error ? err.message : String(err);
}

/** Shows a session: loads its transcript from the core. @param {string} id */
export async function openSession(id) {
  if (currentSessionId.value !== id) clearTranscript();
  currentSessionId.value = id;
  localStorage.setItem(LAST_SESSION, id);
  try {
    const reply = await connection().request({ openSession: { sessionId: id } });
    if (currentSessionId.value === id && reply.transcript) setTranscript(reply.transcript);
  } catch (err) {
    if (err instanceof RequestError && err.code === 3) {
      localStorage.removeItem(LAST_SESSION);
      currentSessionId.value = "";
    }
    report(err);
  }
}

export async function newSession() {
  try {
    const reply = await connection().request({ createSession: {} });
    if (reply.session?.id) await openSession(reply.session.id);
    return reply.session?.id ?? "";
  } catch (err) {
    report(err);
    return "";
  }
}

/** @returns {string} the session the person last looked at, if any */
export function lastSessionId() {
  return localStorage.getItem(LAST_SESSION) ?? "";
}

/**
 * Sends the text to the current session (creating one first if there is none).
 * @param {string} text
 * @returns {Promise<boolean>} whether the core accepted it
 */
export async function send(text) {
  notice.value = "";
  try {
    let id = currentSessionId.value;
    if (!id) id = await newSession();
    if (!id) return false;
    sessionError.value = null;
    await connection().request({ sendMessage: { sessionId: id, text } });
    return true;
  } catch (err) {
    report(err);
    return false;
  }
}

export async function abort() {
  const id = currentSessionId.value;
  if (!id) return;
  try {
    await connection().request({ abortSession: { sessionId: id } });
  } catch (err) {
    report(err);
  }
}
