// @ts-check
/**
 * A tool call as a compact block: status (icon and word), tool name, a one-line summary of its
 * input, and how long it took (live while it runs). The header toggles the details: input,
 * output (bash streams its output while running), error, metadata. The block opens by itself
 * while the tool runs, while it waits for the person, or when it failed, and closes when it is
 * done, unless the person opened or closed it. A permission or a question asked by this call is
 * shown inside the block. Everything here comes from the model or the tool: rendered as text only.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../../lib/html.js";
import { formatDuration } from "../../lib/format.js";
import { parseObject } from "../../lib/json.js";
import { sessionDirectory } from "../../state/projects.js";
import { pendingOf } from "../../state/indexes.js";
import { PermissionRequest } from "../permission.js";
import { QuestionRequest } from "../question.js";
import { DiffStat, DiffView, parseDiff } from "../diff.js";
import { toolStatusOf } from "../../state/words.js";
import { toolSummary as summaryOf } from "../../lib/tool_summary.js";

/** @typedef {import("../../state/store.js").PartModel} PartModel */

/** @type {Record<string, {icon: string, text: string}>} */
const STATUS = {
  pending: { icon: "○", text: "Pending" },
  running: { icon: "◌", text: "Running" },
  completed: { icon: "✓", text: "Completed" },
  error: { icon: "✕", text: "Error" },
  aborted: { icon: "■", text: "Aborted" },
};
const WAITING = { icon: "!", text: "Waiting for you" };

/**
 * A call's input in one line, paths relative to its session's project.
 * @param {Record<string, unknown>} input @param {string} title @param {string} sessionId
 */
export function toolSummary(input, title, sessionId) {
  return summaryOf(input, title, sessionDirectory(sessionId));
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** @param {unknown} v */
function pretty(v) {
  return JSON.stringify(v, null, 2);
}

/** Re-renders every second while `on`, for a live duration. @param {boolean} on */
function useTick(on) {
  const [, setNow] = useState(0);
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [on]);
}

/**
 * A scrollable output that follows its end while it grows, unless the person scrolled up.
 * @param {{ label: string, text: string, kind: string }} props
 */
function Section({ label, text, kind }) {
  const ref = useRef(/** @type {HTMLPreElement | null} */ (null));
  const stick = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [text]);
  const onScroll = () => {
    const el = ref.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
  };
  return html`
    <div class="tool-section" data-section=${kind}>
      <div class="tool-section-label">${label}</div>
      <pre tabindex="0" aria-label=${label} ref=${ref} onScroll=${onScroll}>${text}</pre>
    </div>
  `;
}

/** @param {{ part: PartModel }} props */
export function ToolPart({ part }) {
  const info = part.info.value;
  const st = info.state ?? {};
  const status = toolStatusOf(st);
  const [toggled, setToggled] = useState(/** @type {boolean | null} */ (null));
  const live = status === "running" || status === "pending";
  useTick(live && !!st.timeStart);

  const callId = info.callId ?? "";
  const pending = callId ? pendingOf(info.sessionId ?? "") : null;
  const permission = pending?.permissions.find((p) => p.callId === callId);
  const question = pending?.questions.find((q) => q.callId === callId);
  const waiting = !!(permission || question);
  // A question is its own content: the call's input would only repeat it.
  const open = toggled ?? (!question && (status === "running" || status === "error" || waiting));

  const input = parseObject(st.inputJson ?? "");
  const meta = parseObject(st.metadataJson ?? "");
  const summary = toolSummary(input, st.title ?? "", info.sessionId ?? "");
  const shown = waiting ? WAITING : STATUS[status] ?? { icon: "?", text: status };
  const end = st.timeEnd || (live ? Date.now() : 0);
  const duration = st.timeStart && end ? formatDuration(end - st.timeStart, !st.timeEnd) : "";

  const liveOutput = typeof meta.output === "string" ? meta.output : "";
  const output = (st.output || (status === "running" ? liveOutput : "")).replace(ANSI, "");
  // An edit's change is shown as a diff, not as metadata (where it sits twice).
  const { output: _dup, diff: rawDiff, filediff: _file, ...restMeta } = meta;
  const diff = typeof rawDiff === "string" && status === "completed" ? rawDiff : "";
  const stat = diff ? parseDiff(diff) : null;
  const bodyId = `tool-body-${part.id}`;
  const name = info.tool || "tool";

  return html`
    <div class="part tool" data-part-id=${part.id} data-status=${status} data-tool=${name}
      data-waiting=${permission ? "permission" : question ? "question" : null}>
      <button type="button" class="tool-head" aria-expanded=${open ? "true" : "false"}
        aria-controls=${bodyId} onClick=${() => setToggled(!open)}>
        <span class="tool-icon" aria-hidden="true">${shown.icon}</span>
        <span class="tool-status">${shown.text}</span>
        <span class="tool-name">${name}</span>
        ${summary ? html`<span class="tool-summary" title=${summary}>${summary}</span>` : null}
        ${stat
          ? html`<${DiffStat} additions=${stat.additions} deletions=${stat.deletions} />`
          : null}
        <span class="tool-duration">${duration}</span>
      </button>
      <div class="tool-body" id=${bodyId} hidden=${!open}>
        ${open
          ? html`
            ${Object.keys(input).length
              ? html`<${Section} label="Input" kind="input" text=${pretty(input)} />`
              : null}
            ${diff ? html`<${DiffView} text=${diff} label="Changes" />` : null}
            ${output ? html`<${Section} label="Output" kind="output" text=${output} />` : null}
            ${st.error ? html`<${Section} label="Error" kind="error" text=${st.error} />` : null}
            ${Object.keys(restMeta).length
              ? html`<${Section} label="Metadata" kind="metadata" text=${pretty(restMeta)} />`
              : null}
          `
          : null}
      </div>
      ${permission ? html`<${PermissionRequest} permission=${permission} />` : null}
      ${question ? html`<${QuestionRequest} question=${question} />` : null}
    </div>
  `;
}
