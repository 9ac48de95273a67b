// @ts-check
/** The reasoning variant of a tab, for models that have them (e.g. low / medium / high). */
import { html } from "../lib/html.js";
import { updateTabOrCreate } from "../state/actions.js";
import { agentLabel, currentModel } from "../state/catalog.js";
import { tabOf } from "../state/indexes.js";

/** @param {{ sessionId: string }} props */
export function VariantPicker({ sessionId }) {
  const tab = tabOf(sessionId);
  const variants = currentModel(sessionId)?.variants ?? [];
  if (!variants.length) return null;
  const value = tab?.variant ?? "";
  return html`
    <div class="picker variant-picker" title="Reasoning effort">
      <select aria-label="Variant" value=${value}
        onChange=${async (/** @type {Event} */ e) => {
          const v = /** @type {HTMLSelectElement} */ (e.currentTarget).value;
          await updateTabOrCreate(sessionId, { variant: v });
        }}>
        <option value="">Default effort</option>
        ${variants.map((v) => html`<option value=${v} key=${v}>${agentLabel(v)}</option>`)}
      </select>
    </div>
  `;
}
