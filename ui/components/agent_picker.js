// @ts-check
/**
 * The agent of a tab, chosen next to the input and sent with every message. Nothing chosen means
 * the server's default, shown as such; a choice is kept as made (even of the default). Subagents
 * are listed only when the person asks for them. A choice the server no longer offers is flagged,
 * not hidden.
 */
import { useEffect, useRef } from "preact/hooks";
import { html } from "../lib/html.js";
import { saveSettings, updateTabOrCreate } from "../state/actions.js";
import { catalog, settings } from "../state/store.js";
import { agentLabel, currentAgent } from "../state/catalog.js";
import { tabOf } from "../state/indexes.js";
import { isSubagent } from "../state/words.js";
import { CHEVRON, moveFocus, pickerLabel, usePopover } from "./popover.js";

/** @typedef {import("../../proto/envelope.js").ipc.Agent.$Properties} Agent */

/** @param {{ sessionId: string }} props */
export function AgentPicker({ sessionId }) {
  const pop = usePopover();
  const menuRef = useRef(/** @type {HTMLDivElement | null} */ (null));
  const c = catalog.value;
  const chosen = tabOf(sessionId)?.agent ?? "";
  const current = currentAgent(sessionId);
  const visible = (c.agents ?? []).filter((a) => !a.hidden);
  const primary = visible.filter((a) => !isSubagent(a));
  const showSub = !!settings.value.showSubagents;
  const sub = showSub ? visible.filter(isSubagent) : [];
  const unknown = !!chosen && (c.agents ?? []).length > 0 &&
    !(c.agents ?? []).some((a) => a.name === chosen);

  useEffect(() => {
    if (!pop.open) return;
    const checked = /** @type {HTMLElement | null} */ (
      menuRef.current?.querySelector('[aria-checked="true"]') ??
        menuRef.current?.querySelector('[role^="menuitem"]')
    );
    checked?.focus();
  }, [pop.open]);

  /** @param {string} name */
  const choose = async (name) => {
    pop.close();
    await updateTabOrCreate(sessionId, { agent: name });
  };
  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    if (e.key === "Tab") return pop.close(false);
    const items = /** @type {HTMLElement[]} */ ([
      ...(menuRef.current?.querySelectorAll('[role^="menuitem"]') ?? []),
    ]);
    moveFocus(e, items);
  };
  /** @param {Agent} a */
  const item = (a) => {
    const name = a.name ?? "";
    const isDefault = name === c.defaultAgent;
    return html`
      <button type="button" role="menuitemradio" tabindex="-1" class="agent-option"
        aria-checked=${name === current ? "true" : "false"} data-agent=${name}
        onClick=${() => choose(name)}>
        <span class="check" aria-hidden="true"></span>
        <span class="option-text">
          <span class="option-name">${agentLabel(name)}${isDefault
            ? html`
              <span class="badge">default</span>
            `
            : null}</span>
          ${a.description ? html`<span class="option-desc">${a.description}</span>` : null}
        </span>
      </button>
    `;
  };
  const label = pickerLabel("Agent", agentLabel(current) || "server default", !!chosen, unknown);
  return html`
    <div class="picker agent-picker" ref=${pop.wrap} onKeyDown=${pop.onEscape}>
      <button type="button" class="picker-button" ref=${pop.trigger} aria-haspopup="menu"
        aria-expanded=${pop.open ? "true" : "false"} aria-label=${label} title=${label}
        data-unknown=${unknown ? "true" : "false"} onClick=${() => pop.setOpen(!pop.open)}>
        <span class="agent-dot" data-agent=${current} aria-hidden="true"></span>
        <span class="picker-value">${agentLabel(current) || "Agent"}</span>
        ${CHEVRON}
      </button>
      ${pop.open
        ? html`
          <div class="popover agent-menu" role="menu" aria-label="Agents" ref=${menuRef}
            onKeyDown=${onKeyDown}>
            ${unknown
              ? html`<p class="popover-note warn" role="note">
                The agent “${chosen}” is not offered by the server; choose another.
              </p>`
              : null}
            ${primary.map(item)}
            ${sub.length
              ? html`<div class="menu-heading" role="presentation">Subagents</div>${sub.map(item)}`
              : null}
            <div class="menu-separator" role="separator"></div>
            <button type="button" role="menuitemcheckbox" tabindex="-1" class="agent-option toggle"
              aria-checked=${showSub ? "true" : "false"}
              onClick=${() => saveSettings({ showSubagents: !showSub })}>
              <span class="check" aria-hidden="true"></span>
              <span class="option-text"><span class="option-name">Show subagents</span></span>
            </button>
          </div>
        `
        : null}
    </div>
  `;
}
