// @ts-check
/** What a tool call does, in one line: shared by the tool block and the Markdown export. */

/** Input keys that say in one line what a call does, in order of preference. */
const SUMMARY_KEYS = ["command", "filePath", "path", "pattern", "url", "query", "description"];

/**
 * The first line of the most telling input field (paths relative to `dir`), else of the title.
 * @param {Record<string, unknown>} input @param {string} title @param {string} [dir]
 */
export function toolSummary(input, title, dir = "") {
  for (const key of SUMMARY_KEYS) {
    const v = input[key];
    if (typeof v !== "string" || !v.trim()) continue;
    const line = v.trim().split("\n")[0];
    if ((key === "filePath" || key === "path") && dir && line.startsWith(dir + "/")) {
      return line.slice(dir.length + 1);
    }
    return line;
  }
  return title.split("\n")[0];
}
