// @ts-check
/**
 * Where dictated text goes: at the cursor in the draft (replacing a selection), with a space on
 * either side where the words would otherwise run into the text around them.
 */

/**
 * @param {string} draft
 * @param {number} start selection start
 * @param {number} end selection end
 * @param {string} said
 * @returns {{ text: string, caret: number }}
 */
export function insertAt(draft, start, end, said) {
  const before = draft.slice(0, start);
  const after = draft.slice(end);
  const words = said.trim();
  if (!words) return { text: draft, caret: end };
  const lead = before && !/\s$/.test(before) ? " " : "";
  const trail = after && !/^\s/.test(after) ? " " : "";
  const inserted = lead + words + trail;
  return { text: before + inserted + after, caret: before.length + inserted.length };
}
