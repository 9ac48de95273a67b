// @ts-check
/** JSON from the model or a tool, read defensively. */

/**
 * The object a JSON text holds; {} for an empty, undecodable or non-object text.
 * @param {string} text @returns {Record<string, unknown>}
 */
export function parseObject(text) {
  if (!text) return {};
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? v : {};
  } catch (err) {
    if (err instanceof SyntaxError) return {};
    throw err;
  }
}
