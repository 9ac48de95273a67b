// @ts-check
/**
 * The list under a text field that suggests what to pick (the composer's `/` and `@` menus, the
 * command palette): a listbox whose active option the field names with aria-activedescendant, so
 * focus stays in the field and arrows, Enter, Tab and Esc work there. The list scrolls by itself
 * (keeping the active option in view); it can take focus, as a scrolling region must, and hands
 * it straight back to the field. The letters that matched the query are marked.
 */
import { useEffect, useRef } from "preact/hooks";
import { html } from "../lib/html.js";
import { comboLabel } from "../lib/keys.js";
import { shownCombo } from "../lib/surface.js";

/**
 * @typedef {{
 *   key: string,
 *   label: string,
 *   detail?: string,
 *   keys?: string,
 *   group?: string,
 *   positions?: number[],
 * }} Suggestion
 */

/** The DOM id of an option. @param {string} listId @param {number} i */
export const optionId = (listId, i) => `${listId}-opt-${i}`;

/** The label with matched letters in <mark>. @param {string} text @param {number[]} [at] */
function marked(text, at = []) {
  if (!at.length) return text;
  const set = new Set(at);
  /** @type {(string | import("preact").VNode)[]} */
  const out = [];
  let run = "";
  let runMarked = false;
  for (let i = 0; i <= text.length; i++) {
    const m = set.has(i);
    if (i === text.length || m !== runMarked) {
      if (run) out.push(runMarked ? html`<mark>${run}</mark>` : run);
      run = "";
      runMarked = m;
    }
    if (i < text.length) run += text[i];
  }
  return out;
}

/**
 * @param {{
 *   id: string,
 *   label: string,
 *   items: Suggestion[],
 *   active: number,
 *   onPick: (i: number) => void,
 *   onHover?: (i: number) => void,
 *   empty?: string,
 *   field?: { current: HTMLElement | null },
 * }} props
 */
export function SuggestList({ id, label, items, active, onPick, onHover, empty, field }) {
  const list = useRef(/** @type {HTMLUListElement | null} */ (null));
  useEffect(() => {
    const el = list.current?.querySelector('[aria-selected="true"]');
    el?.scrollIntoView({ block: "nearest" });
  }, [active, items.length]);
  if (!items.length) {
    return html`<div class="suggest-empty" role="status">${empty ?? "No matches"}</div>`;
  }
  return html`
    <ul class="suggest-list" role="listbox" id=${id} aria-label=${label} ref=${list}
      tabindex="0"
      onFocus=${() => field?.current?.focus()}>
      ${items.map((s, i) => {
        const group = s.group && s.group !== items[i - 1]?.group
          ? html`<li class="suggest-group" role="presentation">${s.group}</li>`
          : null;
        return html`
          ${group}
          <li role="option" id=${optionId(id, i)} key=${s.key}
            class="suggest-option" aria-selected=${i === active ? "true" : "false"}
            onMouseDown=${(/** @type {MouseEvent} */ e) => e.preventDefault()}
            onMouseMove=${() => i !== active && onHover?.(i)}
            onClick=${() => onPick(i)}>
            <span class="suggest-label">${marked(s.label, s.positions)}</span>
            ${s.detail ? html`<span class="suggest-detail">${s.detail}</span>` : null}
            ${s.keys
              ? html`<kbd class="suggest-keys">${comboLabel(shownCombo(s.keys))}</kbd>`
              : null}
          </li>
        `;
      })}
    </ul>
  `;
}

/**
 * Moves the active option with the arrow keys (wrapping); Home and End jump. Returns the new
 * index, or null when the key is not one of these.
 * @param {KeyboardEvent} e @param {number} active @param {number} count
 */
export function stepActive(e, active, count) {
  if (!count) return null;
  switch (e.key) {
    case "ArrowDown":
      return (active + 1) % count;
    case "ArrowUp":
      return (active - 1 + count) % count;
    case "PageDown":
      return Math.min(count - 1, active + 8);
    case "PageUp":
      return Math.max(0, active - 8);
    default:
      return null;
  }
}
