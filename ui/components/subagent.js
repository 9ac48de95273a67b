// @ts-check
/**
 * A `task` call: the agent handed work to a subagent, which runs in a child session. The block
 * names the subagent and what it was asked, says whether it still works, shows the last step it
 * took (read live from the child session, which this window loads for it), and opens the child
 * session in a tab. A permission or question of the subagent (asked in the child session) is
 * shown and answerable here, so nothing waits unseen behind the parent's view. Text from the
 * model: rendered as text only.
 */
import { useEffect } from "preact/hooks";
import { html } from "../lib/html.js";
import { parseObject } from "../lib/json.js";
import { loadTranscript, openSession } from "../state/actions.js";
import { sessions, transcriptOf } from "../state/store.js";
import { pendingOf } from "../state/indexes.js";
import { displayTitle, statusOf } from "../state/sessions.js";
import { roleOf, toolStatusOf } from "../state/words.js";
import { toolSummary } from "../lib/tool_summary.js";
import { sessionDirectory } from "../state/projects.js";
import { PermissionRequest } from "./permission.js";
import { QuestionRequest } from "./question.js";

/** @typedef {import("../state/store.js").PartModel} PartModel */

/**
 * The child session of a task call: the one its metadata names, else (an older server, or before
 * the metadata came) the parent's child whose title starts with the task's description.
 * @param {string} parentId @param {Record<string, unknown>} meta @param {string} description
 */
export function childSessionOf(parentId, meta, description) {
  if (typeof meta.sessionId === "string" && meta.sessionId) return meta.sessionId;
  if (!description) return "";
  const child = sessions.value.find((s) =>
    s.parentId === parentId && (s.title ?? "").startsWith(description)
  );
  return child?.id ?? "";
}

/** The last thing the subagent did, in one line. @param {string} childId */
function lastStep(childId) {
  if (!childId) return "";
  const list = transcriptOf(childId).messages.value;
  for (let i = list.length - 1; i >= 0; i--) {
    const parts = list[i].parts.value;
    for (let j = parts.length - 1; j >= 0; j--) {
      const p = parts[j].info.value;
      if (p.type === "tool") {
        const st = p.state ?? {};
        const input = parseObject(st.inputJson ?? "");
        return `${p.tool}: ${toolSummary(input, st.title ?? "", sessionDirectory(childId))}`;
      }
      if (p.type === "text" && roleOf(list[i].info.value) !== "user") {
        const text = parts[j].text.value.trim().split("\n")[0];
        if (text) return text.length > 140 ? `${text.slice(0, 139)}…` : text;
      }
    }
  }
  return "";
}

/** @type {Record<string, string>} */
const STATE_WORDS = {
  pending: "Starting",
  running: "Working",
  completed: "Done",
  error: "Failed",
  aborted: "Stopped",
};

/** @param {{ part: PartModel }} props */
export function SubagentPart({ part }) {
  const info = part.info.value;
  const st = info.state ?? {};
  const input = parseObject(st.inputJson ?? "");
  const meta = parseObject(st.metadataJson ?? "");
  const agent = typeof input.subagent_type === "string" && input.subagent_type
    ? input.subagent_type
    : "subagent";
  const description = typeof input.description === "string" ? input.description : "";
  const childId = childSessionOf(info.sessionId ?? "", meta, description);
  const status = toolStatusOf(st);
  const live = status === "running" || status === "pending";
  // The child's events reach this window only once it holds the child's transcript.
  useEffect(() => {
    if (childId && live && !transcriptOf(childId).loaded.peek()) loadTranscript(childId);
  }, [childId, live]);
  const pending = childId ? pendingOf(childId) : null;
  const waiting = !!(pending && (pending.permissions.length || pending.questions.length));
  const word = waiting
    ? "Waiting for you"
    : live && childId && statusOf(childId) === "retry"
    ? "Retrying"
    : STATE_WORDS[status] ?? status;
  const step = lastStep(childId);
  const name = `${agent[0].toUpperCase()}${agent.slice(1)}`;
  return html`
    <div class="part subagent" data-part-id=${part.id} data-status=${status}
      data-tool="task" data-child-session=${childId || null}
      data-waiting=${waiting ? "true" : null} role="group"
      aria-label=${`Subagent ${name}: ${description}`}>
      <div class="subagent-head">
        <span class="subagent-icon" aria-hidden="true">${live
          ? "◌"
          : status === "completed"
          ? "✓"
          : "•"}</span>
        <span class="subagent-name">${name}</span>
        <span class="subagent-desc">${description}</span>
        <span class="subagent-state" data-state=${status}>${word}</span>
        ${childId
          ? html`
            <button type="button" class="subagent-open"
              aria-label=${`Open the subagent's session: ${displayTitle({ title: description })}`}
              onClick=${() => openSession(childId)}>Open ↗</button>
          `
          : null}
      </div>
      ${step
        ? html`
          <div class="subagent-step"
            aria-label="Last step"><span aria-hidden="true">↳ </span>${step}</div>
        `
        : null}
      ${pending?.permissions.map((p) => html`<${PermissionRequest} key=${p.id} permission=${p} />`)}
      ${pending?.questions.map((q) => html`<${QuestionRequest} key=${q.id} question=${q} />`)}
    </div>
  `;
}
