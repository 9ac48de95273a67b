// @ts-check
/**
 * What the text of the message box means, for the composer's menus: whether the caret is on a
 * `/command` at the start or an `@mention`, what a finished text asks for (`!shell`, `/command
 * arguments`, or a prompt), and which mentioned files it still names. Pure, no DOM.
 */

/** @typedef {{ kind: "slash" | "mention", query: string, start: number, end: number }} Trigger */
/**
 * @typedef {{ kind: "shell", command: string }
 *   | { kind: "command", name: string, args: string }
 *   | { kind: "prompt" }} Composed
 */

/**
 * The menu the caret asks for: `/name` typed at the very start of the box (until the first
 * space), or an `@word` that starts the text or follows a space. Null when neither.
 * @param {string} text
 * @param {number} caret
 * @returns {Trigger | null}
 */
export function findTrigger(text, caret) {
  if (text.startsWith("/")) {
    const nameEnd = text.search(/\s/);
    const end = nameEnd < 0 ? text.length : nameEnd;
    if (caret >= 1 && caret <= end) {
      return { kind: "slash", query: text.slice(1, caret), start: 0, end };
    }
  }
  let start = caret;
  while (start > 0 && !/\s/.test(text[start - 1])) start--;
  if (text[start] === "@") {
    let end = caret;
    while (end < text.length && !/\s/.test(text[end])) end++;
    return { kind: "mention", query: text.slice(start + 1, caret), start, end };
  }
  return null;
}

/**
 * What a finished text asks for: `!ls -la` a shell command, `/review main` a command with its
 * arguments, anything else a prompt.
 * @param {string} text
 * @returns {Composed}
 */
export function parseComposed(text) {
  const t = text.trim();
  if (t.startsWith("!") && t.length > 1) return { kind: "shell", command: t.slice(1).trim() };
  const m = /^\/([^\s/]+)(?:\s+([\s\S]*))?$/.exec(t);
  if (m) return { kind: "command", name: m[1], args: (m[2] ?? "").trim() };
  return { kind: "prompt" };
}

/**
 * `text` with `[start, end)` replaced by `insert`, and where the caret goes.
 * @param {string} text @param {number} start @param {number} end @param {string} insert
 */
export function replaceRange(text, start, end, insert) {
  const next = text.slice(0, start) + insert + text.slice(end);
  return { text: next, caret: start + insert.length };
}

/**
 * The mentions whose `@name` the text still holds (the person may have deleted one by hand).
 * @template {{ name: string }} M
 * @param {string} text
 * @param {M[]} mentions
 * @returns {M[]}
 */
export function mentionsIn(text, mentions) {
  return mentions.filter((m) => new RegExp(`(^|\\s)@${escape(m.name)}(?=\\s|$)`).test(text));
}

/** @param {string} s */
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * One step through the prompts already sent (oldest first): Up goes to older ones, Down to newer
 * ones and past the newest back to an empty box. `at` is the index shown now, or `history.length`
 * when none is.
 * @param {string[]} history
 * @param {number} at
 * @param {"up" | "down"} dir
 * @returns {{ at: number, text: string } | null} null when there is nowhere to go
 */
export function recallStep(history, at, dir) {
  const next = dir === "up" ? at - 1 : at + 1;
  if (next < 0 || next > history.length || at > history.length) return null;
  return { at: next, text: next === history.length ? "" : history[next] };
}
