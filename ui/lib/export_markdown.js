// @ts-check
/**
 * A session as Markdown, for the person to keep: a title, then each turn under "You" or
 * "Assistant" with its text as written, each tool call in one line, attachments by name, and
 * the reasoning left out. Pure: plain message objects in, a string out (no DOM, no store).
 */
import { toolSummary } from "./tool_summary.js";

/**
 * @typedef {{
 *   type?: string | null, text?: string | null, synthetic?: boolean | null, tool?: string | null,
 *   filename?: string | null, mime?: string | null,
 *   state?: { status?: number | null, inputJson?: string | null, title?: string | null } | null,
 * }} PartLike
 * @typedef {{ info: { id?: string | null, role?: number | null, timeCreated?: number | null },
 *   parts: PartLike[] }} MessageLike
 */

/** Tool status numbers (ipc.ToolStatus) in words. */
const STATUS = ["", "pending", "running", "completed", "failed", "aborted"];
const ROLE_USER = 1;

/** @param {string} json */
function inputOf(json) {
  try {
    const v = JSON.parse(json || "{}");
    return v && typeof v === "object" && !Array.isArray(v) ? v : {};
  } catch (err) {
    if (err instanceof SyntaxError) return {};
    throw err;
  }
}

/** Backticks inside inline code would end it: use a longer fence. @param {string} s */
function inlineCode(s) {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** One tool call in one line. @param {PartLike} p @param {string} dir */
export function toolLine(p, dir = "") {
  const st = p.state ?? {};
  const summary = toolSummary(inputOf(st.inputJson ?? ""), st.title ?? "", dir);
  const status = STATUS[st.status ?? 0] ?? "";
  return `- Tool ${inlineCode(p.tool || "tool")}${summary ? `: ${inlineCode(summary)}` : ""}${
    status && status !== "completed" ? ` (${status})` : ""
  }`;
}

/** @param {MessageLike} m @param {string} dir @returns {string[]} */
function blocksOf(m, dir) {
  /** @type {string[]} */
  const out = [];
  /** @type {string[]} */
  let tools = [];
  const flush = () => {
    if (tools.length) out.push(tools.join("\n"));
    tools = [];
  };
  for (const p of m.parts) {
    if (p.type === "tool") {
      tools.push(toolLine(p, dir));
      continue;
    }
    if (p.type === "text" && !p.synthetic && (p.text ?? "").trim()) {
      flush();
      out.push((p.text ?? "").trim());
    } else if (p.type === "file") {
      flush();
      out.push(`*Attached: ${p.filename || p.mime || "a file"}*`);
    } else if (p.type === "compaction") {
      flush();
      out.push("---\n\n*Session compacted: what follows starts from a summary.*");
    }
  }
  flush();
  return out;
}

/**
 * The Markdown of a session: `messages` in order; an assistant turn's steps (consecutive
 * assistant messages) go under one heading.
 * @param {{ title: string, messages: MessageLike[], directory?: string, exportedAt?: Date }} s
 */
export function sessionMarkdown({ title, messages, directory = "", exportedAt }) {
  const lines = [`# ${title.replace(/\s+/g, " ").trim() || "Untitled"}`];
  if (exportedAt) lines.push(`*Exported ${exportedAt.toISOString()}*`);
  let last = "";
  for (const m of messages) {
    const role = m.info.role === ROLE_USER ? "You" : "Assistant";
    const blocks = blocksOf(m, directory);
    if (!blocks.length) continue;
    if (role !== last) lines.push(`## ${role}`);
    last = role;
    lines.push(...blocks);
  }
  return lines.join("\n\n") + "\n";
}

/** A file name for a title: no path separators or control characters, at most 80 characters. @param {string} title */
export function markdownFileName(title) {
  // deno-lint-ignore no-control-regex
  const clean = title.replace(/[\x00-\x1f/\\:*?"<>|]+/g, " ").replace(/\s+/g, " ").trim();
  return `${clean.slice(0, 80).trim() || "session"}.md`;
}
