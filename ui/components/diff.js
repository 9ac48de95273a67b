// @ts-check
/**
 * A unified diff (what an edit did, or what a permission request proposes) with added and
 * removed lines marked, file headers dropped, and the counts on top. The +/- at the start of each
 * line stays in the text, so the change reads the same without colour. Text only: a diff comes
 * from the model's edit.
 */
import { html } from "../lib/html.js";

/** Lines shown at most; a longer diff says how many more there are. */
const MAX_LINES = 3000;

/** @typedef {{ kind: "add" | "del" | "hunk" | "ctx" | "note", text: string }} DiffLine */

/**
 * @param {string} text a unified diff
 * @returns {{ lines: DiffLine[], additions: number, deletions: number }}
 */
export function parseDiff(text) {
  /** @type {DiffLine[]} */
  const lines = [];
  let additions = 0;
  let deletions = 0;
  const raw = text.endsWith("\n") ? text.slice(0, -1) : text;
  for (const line of raw.split("\n")) {
    if (/^(Index: |={10,}$|--- |\+\+\+ |diff --git )/.test(line)) continue;
    if (line.startsWith("@@")) lines.push({ kind: "hunk", text: line });
    else if (line.startsWith("+")) {
      additions++;
      lines.push({ kind: "add", text: line });
    } else if (line.startsWith("-")) {
      deletions++;
      lines.push({ kind: "del", text: line });
    } else if (line.startsWith("\\")) lines.push({ kind: "note", text: line });
    else lines.push({ kind: "ctx", text: line });
  }
  return { lines, additions, deletions };
}

/** @param {{ additions: number, deletions: number }} props */
export function DiffStat({ additions, deletions }) {
  return html`
    <span class="diff-stat" aria-label=${`${additions} added, ${deletions} removed`}>
      <span class="diff-add">+${additions}</span>
      <span class="diff-del">−${deletions}</span>
    </span>
  `;
}

/** @param {{ text: string, label: string }} props */
export function DiffView({ text, label }) {
  const { lines, additions, deletions } = parseDiff(text);
  const shown = lines.length > MAX_LINES ? lines.slice(0, MAX_LINES) : lines;
  return html`
    <div class="diff" data-section="diff">
      <div class="diff-head">
        <span class="tool-section-label">${label}</span>
        <${DiffStat} additions=${additions} deletions=${deletions} />
      </div>
      <pre class="diff-lines" tabindex="0" aria-label=${label}>${shown.map((l) =>
        html`<span class=${`diff-line ${l.kind}`}>${l.text || " "}</span>`
      )}${lines.length > shown.length
        ? html`<span class="diff-line note">… ${lines.length - shown.length} more lines</span>`
        : null}</pre>
    </div>
  `;
}
