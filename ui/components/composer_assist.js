// @ts-check
/**
 * The message box's helpers, as one hook for composer.js: the `/` menu (the server's commands
 * and the app's own, state/commands.js), the `@` menu (project files through the core's finder,
 * and agents), the mentioned files and agents shown as chips, and Up/Down through the prompts
 * already sent in the session. Keyboard: arrows move, Enter or Tab picks, Esc closes.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { fuzzyFilter, fuzzyMatch } from "../lib/fuzzy.js";
import { findTrigger, mentionsIn, recallStep, replaceRange } from "../lib/composer_text.js";
import { call } from "../state/actions.js";
import { appCommands, loadServerCommands, serverCommands } from "../state/commands.js";
import { catalog, transcriptOf } from "../state/store.js";
import { isSubagent, roleOf } from "../state/words.js";
import { CloseIcon } from "./icons.js";
import { optionId, stepActive, SuggestList } from "./suggest_list.js";

/** @typedef {import("../state/compose.js").Mention} Mention */
/** @typedef {import("./suggest_list.js").Suggestion & { pick: (how: "enter" | "tab") => void }} Item */

const LIST_ID = "composer-suggest";
/** Mentioned files and agents per session, until the message is sent. @type {Map<string, Mention[]>} */
const mentioned = new Map();
const FIND_DELAY_MS = 60;

/** The prompts the person sent in a session, oldest first. @param {string} id */
function sentPrompts(id) {
  if (!id) return [];
  /** @type {string[]} */
  const out = [];
  for (const m of transcriptOf(id).messages.value) {
    if (roleOf(m.info.value) !== "user") continue;
    const text = m.parts.value
      .filter((p) => p.info.value.type === "text" && !p.info.value.synthetic)
      .map((p) => p.text.value).join("\n").trim();
    if (text && text !== out.at(-1)) out.push(text);
  }
  return out;
}

/**
 * @param {{
 *   id: string,
 *   area: { current: HTMLTextAreaElement | null },
 *   draft: { value: string, now: { current: string }, set: (v: string) => void },
 *   submit: () => unknown,
 * }} opts
 */
export function useComposerAssist({ id, area, draft, submit }) {
  const text = draft.value;
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState("");
  const [found, setFound] = useState({ query: "", paths: /** @type {string[]} */ ([]) });
  const [, rerender] = useState(0);
  const recall = useRef({ id, at: -1, text: "" });

  const trigger = findTrigger(text, Math.min(caret, text.length));
  const triggerKey = trigger ? `${trigger.kind}:${trigger.start}` : "";
  const open = !!trigger && dismissed !== triggerKey;

  // The server's commands are read when the `/` menu opens; files as the `@` query changes.
  const kind = open ? trigger.kind : "";
  const query = open ? trigger.query : "";
  useEffect(() => {
    if (kind === "slash") loadServerCommands();
  }, [kind]);
  useEffect(() => {
    if (kind !== "mention" || !query) return;
    let live = true;
    const timer = setTimeout(async () => {
      const reply = await call({ findFiles: { query, limit: 20 } });
      if (live && reply?.fileMatches) setFound({ query, paths: reply.fileMatches.paths ?? [] });
    }, FIND_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [kind, query]);
  useEffect(() => setActive(0), [kind, query]);

  const mentions = mentioned.get(id) ?? [];
  const setMentions = (/** @type {Mention[]} */ list, forId = id) => {
    if (list.length) mentioned.set(forId, list);
    else mentioned.delete(forId);
    rerender((n) => n + 1);
  };

  /** Puts `insert` over the trigger and the caret after it. @param {string} insert */
  const complete = (insert) => {
    if (!trigger) return;
    const next = replaceRange(draft.now.current, trigger.start, trigger.end, insert);
    draft.set(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => area.current?.setSelectionRange(next.caret, next.caret));
  };

  /** @type {Item[]} */
  let items = [];
  if (open && trigger.kind === "slash") {
    const own = appCommands.value.filter((c) => c.slash).map((c) => ({
      name: c.slash ?? "",
      detail: c.title,
      keys: c.keys,
      group: "App",
      hints: /** @type {string[]} */ ([]),
      run: () => {
        draft.set("");
        c.run();
      },
    }));
    const server = serverCommands.value.map((c) => ({
      name: c.name ?? "",
      detail: [c.description, ...(c.hints ?? [])].filter(Boolean).join("  "),
      keys: undefined,
      group: c.source === "mcp" ? "MCP" : c.source === "skill" ? "Skills" : "Commands",
      hints: c.hints ?? [],
      run: () => {
        draft.set(`/${c.name}`);
        submit();
      },
    }));
    items = fuzzyFilter([...server, ...own], trigger.query, (c) => c.name, 50).map((
      { item, match },
    ) => ({
      key: `${item.group}:${item.name}`,
      label: `/${item.name}`,
      detail: item.detail,
      keys: item.keys,
      group: trigger.query ? undefined : item.group,
      positions: match.positions.map((p) => p + 1),
      // Tab completes; Enter runs, unless the command takes arguments and its name was not
      // typed out (then the arguments follow).
      pick: (how) =>
        how === "tab" || (item.hints.length && trigger.query !== item.name)
          ? complete(`/${item.name} `)
          : item.run(),
    }));
  } else if (open && trigger.kind === "mention") {
    const agents = (catalog.value.agents ?? []).filter((a) => !a.hidden && isSubagent(a));
    const agentItems = fuzzyFilter(agents, trigger.query, (a) => a.name ?? "", 8).map((
      { item, match },
    ) => ({
      key: `agent:${item.name}`,
      label: `@${item.name}`,
      detail: item.description ?? "",
      group: "Agents",
      positions: match.positions.map((p) => p + 1),
      pick: () => addMention({ kind: "agent", name: item.name ?? "" }),
    }));
    const paths = found.query && trigger.query ? found.paths : [];
    const fileItems = paths.map((path) => ({
      key: `file:${path}`,
      label: path,
      group: "Files",
      positions: fuzzyMatch(trigger.query, path)?.positions,
      pick: () => addMention({ kind: "file", name: path }),
    }));
    items = [...agentItems, ...fileItems];
  }

  /** @param {Mention} m */
  function addMention(m) {
    complete(`@${m.name} `);
    const rest = mentions.filter((x) => x.kind !== m.kind || x.name !== m.name);
    setMentions([...rest, m]);
  }

  const index = Math.min(active, Math.max(0, items.length - 1));
  const showList = open && (items.length > 0 || (trigger.kind === "mention" && !!trigger.query));

  /** Handles the key when a helper owns it. @param {KeyboardEvent} e @returns {boolean} */
  const onKeyDown = (e) => {
    if (e.isComposing) return false;
    if (showList) {
      const step = stepActive(e, index, items.length);
      if (step !== null) {
        e.preventDefault();
        setActive(step);
        return true;
      }
      if ((e.key === "Enter" && !e.shiftKey) || (e.key === "Tab" && !e.shiftKey)) {
        if (!items.length) return false;
        e.preventDefault();
        items[index].pick(e.key === "Tab" ? "tab" : "enter");
        return true;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        setDismissed(triggerKey);
        return true;
      }
      return false;
    }
    if ((e.key !== "ArrowUp" && e.key !== "ArrowDown") || e.shiftKey || e.altKey) return false;
    const now = draft.now.current;
    const r = recall.current;
    const browsing = r.id === id && r.at >= 0 && now === r.text;
    if (!browsing && (now !== "" || e.key === "ArrowDown")) return false;
    const history = sentPrompts(id);
    const step = recallStep(
      history,
      browsing ? r.at : history.length,
      e.key === "ArrowUp" ? "up" : "down",
    );
    if (!step) return false;
    e.preventDefault();
    recall.current = { id, at: step.at, text: step.text };
    draft.set(step.text);
    requestAnimationFrame(() => {
      const el = area.current;
      el?.setSelectionRange(step.text.length, step.text.length);
      setCaret(step.text.length);
    });
    return true;
  };

  /** Follows the caret (typing, clicks, arrow keys). */
  const onCaret = () => {
    const el = area.current;
    if (el && el.selectionStart !== caret) setCaret(el.selectionStart);
  };

  const live = mentionsIn(text, mentions);
  return {
    onKeyDown,
    onCaret,
    aria: {
      "aria-autocomplete": "list",
      "aria-controls": showList && items.length ? LIST_ID : undefined,
      "aria-activedescendant": showList && items.length ? optionId(LIST_ID, index) : undefined,
    },
    popup: showList
      ? html`
        <div class="suggest-popup composer-suggest">
          <${SuggestList} id=${LIST_ID} items=${items} active=${index} field=${area}
            label=${trigger.kind === "slash" ? "Commands" : "Files and agents"}
            empty=${`No file or agent matches “${trigger.query}”`}
            onHover=${setActive} onPick=${(/** @type {number} */ i) => items[i].pick("enter")} />
        </div>
      `
      : null,
    chips: live.length
      ? html`
        <ul class="mention-chips" aria-label="Mentioned">
          ${live.map((m) =>
            html`
              <li class="mention-chip" data-kind=${m.kind} key=${`${m.kind}:${m.name}`}>
                <span>@${m.name}</span>
                <button type="button" class="icon-button" aria-label=${`Remove mention of ${m.name}`}
                  onClick=${() => {
                    const at = draft.now.current.indexOf(`@${m.name}`);
                    if (at >= 0) {
                      draft.set(
                        replaceRange(draft.now.current, at, at + m.name.length + 1, "").text,
                      );
                    }
                    setMentions(mentions.filter((x) => x !== m));
                    area.current?.focus();
                  }}>
                  <${CloseIcon} />
                </button>
              </li>
            `
          )}
        </ul>
      `
      : null,
    /** The mentions a text being sent still names. @param {string} value */
    mentionsFor: (value) => mentionsIn(value, mentions),
    /** After a send: the session's mentions are used up. @param {string} forId */
    clearMentions: (forId) => setMentions([], forId),
  };
}
