// @ts-check
/**
 * The command palette (Ctrl/Cmd+K, Ctrl/Cmd+Shift+P): every action of the app by name with its
 * shortcut (state/commands.js), and every session by title to switch to, fuzzy-matched as the
 * person types. A modal dialog holding a combobox and its listbox; focus stays in the field
 * (aria-activedescendant), arrows move, Enter runs, Esc closes and focus goes back.
 */
import { signal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { fuzzyFilter } from "../lib/fuzzy.js";
import { matches, parseCombo } from "../lib/keys.js";
import { openSession } from "../state/actions.js";
import { appCommands } from "../state/commands.js";
import { activeSessionId, sessions } from "../state/store.js";
import { displayTitle } from "../state/sessions.js";
import { isNarrow, toggleSidebar } from "../state/view.js";
import { optionId, stepActive, SuggestList } from "./suggest_list.js";

/** Whether the palette is open in this window. */
export const paletteOpen = signal(false);

/** The combinations that open (and close) the palette; app.js binds them. */
export const PALETTE_KEYS = ["Mod+K", "Mod+Shift+P"];
const PARSED = PALETTE_KEYS.map(parseCombo);

/** Opens the palette, or closes it when open. */
export function togglePalette() {
  paletteOpen.value = !paletteOpen.value;
}

const LIST_ID = "palette-list";
const LIMIT = 60;

/**
 * @typedef {{ key: string, label: string, detail?: string, keys?: string, group: string,
 *   run: () => unknown }} Entry
 */

/** Every entry the palette offers: actions first, then sessions (the one shown last). */
function entries() {
  /** @type {Entry[]} */
  const actions = appCommands.value.map((c) => ({
    key: `cmd:${c.id}`,
    label: c.title,
    keys: c.keys,
    group: "Actions",
    run: c.run,
  }));
  const shown = activeSessionId.value;
  const list = sessions.value.filter((s) => !s.parentId && s.id !== shown);
  /** @type {Entry[]} */
  const switches = list.map((s) => ({
    key: `ses:${s.id}`,
    label: displayTitle(s),
    detail: "Switch to session",
    group: "Sessions",
    run: () => {
      openSession(s.id ?? "");
      if (isNarrow()) toggleSidebar(false);
    },
  }));
  return [...actions, ...switches];
}

export function Palette() {
  const open = paletteOpen.value;
  const ref = useRef(/** @type {HTMLDialogElement | null} */ (null));
  const input = useRef(/** @type {HTMLInputElement | null} */ (null));
  const returnTo = useRef(/** @type {HTMLElement | null} */ (null));
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      returnTo.current = /** @type {HTMLElement | null} */ (document.activeElement);
      setQuery("");
      setActive(0);
      d.showModal();
      input.current?.focus();
    } else if (!open && d.open) {
      d.close();
      const back = returnTo.current;
      if (back?.isConnected) back.focus();
    }
  }, [open]);

  const hits = open ? fuzzyFilter(entries(), query, (e) => e.label, LIMIT) : [];
  const items = hits.map(({ item, match }) => ({
    ...item,
    group: query ? undefined : item.group,
    positions: match.positions,
  }));
  const index = Math.min(active, Math.max(0, items.length - 1));

  /** Closes the palette, then runs what was picked. @param {number} i */
  const run = (i) => {
    const item = hits[i]?.item;
    paletteOpen.value = false;
    if (item) requestAnimationFrame(() => item.run());
  };

  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    e.stopPropagation(); // no window shortcuts while the palette is open
    if (PARSED.some((c) => matches(e, c))) {
      e.preventDefault();
      paletteOpen.value = false;
      return;
    }
    const step = stepActive(e, index, items.length);
    if (step !== null) {
      e.preventDefault();
      setActive(step);
    } else if (e.key === "Enter" && !e.isComposing) {
      e.preventDefault();
      run(index);
    } else if (e.key === "Tab") {
      e.preventDefault(); // the field is the only stop; the list follows the arrows
    }
  };

  return html`
    <dialog class="dialog palette" ref=${ref} aria-label="Command palette"
      onKeyDown=${onKeyDown}
      onCancel=${(/** @type {Event} */ e) => {
        e.preventDefault();
        paletteOpen.value = false;
      }}
      onClick=${(/** @type {MouseEvent} */ e) => {
        if (e.target === e.currentTarget) paletteOpen.value = false;
      }}>
      ${open
        ? html`
          <input ref=${input} class="palette-input" type="text" role="combobox"
            aria-label="Search actions and sessions" aria-expanded="true"
            aria-controls=${LIST_ID} aria-autocomplete="list"
            aria-activedescendant=${items.length ? optionId(LIST_ID, index) : undefined}
            placeholder="Type an action or a session title…" autocomplete="off"
            spellcheck=${false} value=${query}
            onInput=${(/** @type {InputEvent} */ e) => {
              setQuery(/** @type {HTMLInputElement} */ (e.currentTarget).value);
              setActive(0);
            }} />
          <div class="palette-results">
            <${SuggestList} id=${LIST_ID} label="Actions and sessions" items=${items} field=${input}
              active=${index} onHover=${setActive} onPick=${run}
              empty=${`Nothing matches “${query}”`} />
          </div>
        `
        : null}
    </dialog>
  `;
}
