// @ts-check
/**
 * A permission request: what the agent wants to do, the patterns it asks for, what "Always
 * allow" would approve, and the answers (once, always, reject, reject with feedback for the
 * model). The block itself takes the keys a (allow once), Shift+A (always) and r (reject) when it
 * has focus. The newest request of the session on screen takes focus when it appears, unless the
 * person is typing somewhere.
 */
import { useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { useAutoFocus } from "../lib/auto_focus.js";
import { parseObject } from "../lib/json.js";
import { DiffView } from "./diff.js";
import { replyPermission } from "../state/actions.js";
import { activeSessionId } from "../state/store.js";
import { permissionAction } from "../state/words.js";

/** @typedef {import("../../proto/envelope.js").ipc.Permission.$Properties} Permission */

/** Keys after a request took focus by itself that still belong to what the person typed. */
const FOCUS_GRACE_MS = 400;

/** @param {{ permission: Permission }} props */
export function PermissionRequest({ permission }) {
  const id = permission.id ?? "";
  const kind = permission.permission || "tool";
  const [feedback, setFeedback] = useState("");
  const [sending, setSending] = useState("");
  const ref = useRef(/** @type {HTMLElement | null} */ (null));
  const focusedAt = useAutoFocus(ref, () => (permission.sessionId ?? "") === activeSessionId.value);

  /** @param {"once" | "always" | "reject"} reply @param {string} [message] */
  const answer = async (reply, message = "") => {
    if (sending) return;
    setSending(reply);
    const ok = await replyPermission(id, reply, message);
    // On success the request disappears (permissionResolved); on failure it can be answered again.
    if (!ok) setSending("");
  };

  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.repeat || performance.now() - focusedAt.current < FOCUS_GRACE_MS) return;
    const reply = e.key === "a" ? "once" : e.key === "A" ? "always" : e.key === "r" ? "reject" : "";
    if (!reply) return;
    e.preventDefault();
    answer(reply);
  };

  const meta = parseObject(permission.metadataJson ?? "");
  const diff = typeof meta.diff === "string" ? meta.diff : "";
  const patterns = permission.patterns ?? [];
  const always = permission.always ?? [];
  const titleId = `permission-title-${id}`;
  const busy = !!sending;

  return html`
    <section class="request permission" role="group" aria-labelledby=${titleId} tabindex="0"
      aria-keyshortcuts="a Shift+A r" data-request-id=${id} data-permission-id=${id}
      data-session-id=${permission.sessionId} ref=${ref} onKeyDown=${onKeyDown}>
      <div class="request-title" id=${titleId}>
        <span class="request-icon" aria-hidden="true">!</span>
        <span>Permission: the agent wants to ${permissionAction(kind)}</span>
        <code class="request-kind">${kind}</code>
      </div>
      ${patterns.length
        ? html`
          <div class="request-fact">
            <span class="request-label">${patterns.length > 1 ? "Patterns" : "Pattern"}</span>
            <span class="request-codes">${patterns.map((p) => html`<code>${p}</code>`)}</span>
          </div>
        `
        : null}
      ${diff ? html`<${DiffView} text=${diff} label="Proposed change" />` : null}
      ${always.length
        ? html`
          <div class="request-fact">
            <span class="request-label">Always allow approves</span>
            <span class="request-codes">${always.map((p) => html`<code>${p}</code>`)}
              <span class="request-note">in every session, until the server restarts</span></span>
          </div>
        `
        : null}
      <div class="request-actions">
        <button type="button" class="primary" aria-keyshortcuts="a" disabled=${busy}
          onClick=${() => answer("once")}>Allow once</button>
        <button type="button" aria-keyshortcuts="Shift+A" disabled=${busy}
          onClick=${() => answer("always")}>Always allow</button>
        <button type="button" class="danger" aria-keyshortcuts="r" disabled=${busy}
          onClick=${() => answer("reject")}>Reject</button>
        <span class="request-keys" aria-hidden="true"><kbd>a</kbd> once · <kbd>⇧A</kbd> always ·
          <kbd>r</kbd> reject</span>
      </div>
      <form class="request-feedback" onSubmit=${(/** @type {Event} */ e) => {
        e.preventDefault();
        if (feedback.trim()) answer("reject", feedback.trim());
      }}>
        <input type="text" aria-label="Feedback for the agent" value=${feedback} disabled=${busy}
          placeholder="Or tell the agent what to do instead…"
          onInput=${(/** @type {InputEvent} */ e) =>
            setFeedback(/** @type {HTMLInputElement} */ (e.currentTarget).value)} />
        <button type="submit" disabled=${busy || !feedback.trim()}>Reject with feedback</button>
      </form>
    </section>
  `;
}
