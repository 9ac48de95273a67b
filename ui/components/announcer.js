// @ts-check
/**
 * What a screen reader hears without looking: one polite live region that says, once, in a short
 * sentence, that a reply finished or that the agent asks the person something. The transcript
 * itself is a `role="log"` with `aria-live="off"`, so a streaming reply is not read token by token.
 */
import { effect, signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { html } from "../lib/html.js";
import { permissions, questions, sessions } from "../state/store.js";
import { sessionById } from "../state/indexes.js";
import { displayTitle, statusOf } from "../state/sessions.js";
import { permissionAction } from "../state/words.js";

/** The latest sentence, with a serial number so the same sentence twice is read twice. */
const said = signal({ n: 0, text: "" });

/** Says one sentence through the live region. @param {string} text */
export function announce(text) {
  said.value = { n: said.peek().n + 1, text };
}

/** A session's title, read without following it. @param {string} id */
const titleOf = (id) => displayTitle(sessionById.peek().get(id));

/**
 * Follows the store: a session whose status goes from working to idle finished its reply; a
 * permission or question id not seen before is a new request. Returns a function that stops.
 */
function followStore() {
  /** @type {Map<string, string>} */
  const status = new Map();
  /** @type {Set<string>} requests already announced */
  let known = new Set();
  const stopStatus = effect(() => {
    for (const s of sessions.value) {
      const id = s.id ?? "";
      const now = statusOf(id);
      const before = status.get(id);
      status.set(id, now);
      if (before && before !== "idle" && now === "idle") {
        announce(`Reply finished in “${titleOf(id)}”.`);
      }
    }
  });
  const stopRequests = effect(() => {
    const asked = [
      ...permissions.value.map((p) => ({
        id: p.id ?? "",
        sessionId: p.sessionId ?? "",
        what: `for permission to ${permissionAction(p.permission || "tool")}`,
      })),
      ...questions.value.map((q) => ({
        id: q.id ?? "",
        sessionId: q.sessionId ?? "",
        what: "a question",
      })),
    ];
    // A request that waited before this window connected is new to it too: said once.
    const fresh = asked.filter((r) => !known.has(r.id));
    known = new Set(asked.map((r) => r.id));
    if (!fresh.length) return;
    const r = fresh[fresh.length - 1];
    const more = fresh.length > 1 ? ` (${fresh.length} new requests)` : "";
    announce(`The agent asks ${r.what} in “${titleOf(r.sessionId)}”${more}.`);
  });
  return () => {
    stopStatus();
    stopRequests();
  };
}

/** The live region; rendered once per window. */
export function Announcer() {
  useEffect(followStore, []);
  const { n, text } = said.value;
  return html`
    <div id="announcer" class="visually-hidden" aria-live="polite" aria-atomic="true">
      ${text ? html`<p key=${n}>${text}</p>` : null}
    </div>
  `;
}
