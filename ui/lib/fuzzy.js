// @ts-check
/**
 * Fuzzy matching for the command palette and the composer's menus: the letters of the query must
 * appear in order in the text (case does not matter); matches at the start of words and runs of
 * consecutive letters rank higher, so "nt" finds "New tab" before "Settings". Pure, no DOM.
 */

/** @typedef {{ score: number, positions: number[] }} FuzzyMatch */

/** Characters after which a new word starts. */
const BOUNDARY = /[\s/_\-.:@]/;

/**
 * How well `query` matches `text`, or null when it does not (every query letter, in order).
 * An empty query matches everything with score 0.
 * @param {string} query
 * @param {string} text
 * @returns {FuzzyMatch | null}
 */
export function fuzzyMatch(query, text) {
  const q = query.trim().toLowerCase();
  if (!q) return { score: 0, positions: [] };
  const t = text.toLowerCase();
  // Greedy from the left, but prefer a word start when the letter appears there later.
  /** @type {number[]} */
  const positions = [];
  let score = 0;
  let from = 0;
  for (const ch of q) {
    if (ch === " ") continue;
    let at = t.indexOf(ch, from);
    if (at < 0) return null;
    const prev = positions.at(-1);
    if (prev === undefined || at !== prev + 1) {
      const start = wordStart(t, ch, from);
      if (start >= 0) at = start;
    }
    const consecutive = prev !== undefined && at === prev + 1;
    const atWord = at === 0 || BOUNDARY.test(t[at - 1]) ||
      (text[at] !== t[at] && text[at - 1] === t[at - 1]);
    score += 1 + (consecutive ? 4 : 0) + (atWord ? 6 : 0) - Math.min(at - from, 10) * 0.1;
    positions.push(at);
    from = at + 1;
  }
  // Shorter texts and earlier first letters win ties.
  score -= positions[0] * 0.05 + text.length * 0.01;
  return { score, positions };
}

/** The first position at or after `from` where `ch` starts a word, or -1. */
function wordStart(/** @type {string} */ t, /** @type {string} */ ch, /** @type {number} */ from) {
  for (let i = t.indexOf(ch, from); i >= 0; i = t.indexOf(ch, i + 1)) {
    if (i === 0 || BOUNDARY.test(t[i - 1])) return i;
  }
  return -1;
}

/**
 * The items whose text matches `query`, best first (stable for equal scores).
 * @template T
 * @param {T[]} items
 * @param {string} query
 * @param {(item: T) => string} textOf
 * @param {number} [limit]
 * @returns {{ item: T, match: FuzzyMatch }[]}
 */
export function fuzzyFilter(items, query, textOf, limit = Infinity) {
  /** @type {{ item: T, match: FuzzyMatch, index: number }[]} */
  const hits = [];
  items.forEach((item, index) => {
    const match = fuzzyMatch(query, textOf(item));
    if (match) hits.push({ item, match, index });
  });
  hits.sort((a, b) => b.match.score - a.match.score || a.index - b.index);
  return hits.slice(0, limit).map(({ item, match }) => ({ item, match }));
}
