// @ts-check
/**
 * Settings → Models: the default model of a new tab, the favourites (the model picker lists them
 * first, in this order: moved with the arrow buttons, Alt+↑/↓ or by dragging) and every model the
 * connected providers offer, searchable, with its context size, image input and reasoning.
 */
import { useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { tokensShort } from "../lib/format.js";
import { saveSettings } from "../state/actions.js";
import { findModel, sameModel } from "../state/catalog.js";
import { catalog, settings } from "../state/store.js";

/**
 * @typedef {import("../../proto/envelope.js").ipc.Model.$Properties} Model
 * @typedef {import("../../proto/envelope.js").ipc.Provider.$Properties} Provider
 * @typedef {import("../../proto/envelope.js").ipc.ModelRef.$Properties} ModelRef
 */

const SHOWN = 40;

/** "128k context · images · reasoning". @param {Model | undefined} m */
export function modelDetails(m) {
  if (!m) return "not offered by the server now";
  return [
    m.contextLimit ? `${tokensShort(m.contextLimit)} context` : "",
    m.attachment ? "images" : "",
    m.reasoning ? "reasoning" : "",
  ].filter(Boolean).join(" · ");
}

/** @param {ModelRef} ref */
const keyOf = (ref) => `${ref.providerId}/${ref.modelId}`;
/** @param {ModelRef} ref */
function nameOf(ref) {
  const { provider, model } = findModel(ref.providerId ?? "", ref.modelId ?? "");
  return `${model?.name || ref.modelId} (${provider?.name || ref.providerId})`;
}

/** @param {ModelRef} model @param {number} index */
const move = (model, index) => saveSettings({ moveFavorite: { model, index } });

function Favourites() {
  const favs = settings.value.favoriteModels ?? [];
  const [dragged, setDragged] = useState(-1);
  if (!favs.length) {
    return html`<p class="settings-hint">No favourites yet: add them below or with the star in
      the model picker.</p>`;
  }
  /** @param {KeyboardEvent} e @param {ModelRef} ref @param {number} i */
  const onKeyDown = (e, ref, i) => {
    if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
    e.preventDefault();
    const to = e.key === "ArrowUp" ? i - 1 : i + 1;
    if (to < 0 || to >= favs.length) return;
    const list = /** @type {HTMLElement | null} */ (
      /** @type {HTMLElement} */ (e.currentTarget).closest("ol")
    );
    move(ref, to).then(() =>
      /** @type {HTMLElement | null} */ (list?.children[to] ?? null)?.focus()
    );
  };
  return html`
    <ol class="favourite-list" aria-label="Favourite models">
      ${favs.map((ref, i) => {
        const { model } = findModel(ref.providerId ?? "", ref.modelId ?? "");
        const name = nameOf(ref);
        return html`
          <li key=${keyOf(ref)} tabindex="0" draggable="true" class="favourite"
            data-dragging=${dragged === i ? "true" : "false"}
            aria-label=${`${name}, ${i + 1} of ${favs.length}`}
            aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown"
            onKeyDown=${(/** @type {KeyboardEvent} */ e) => onKeyDown(e, ref, i)}
            onDragStart=${(/** @type {DragEvent} */ e) => {
              setDragged(i);
              e.dataTransfer?.setData("text/plain", keyOf(ref));
            }}
            onDragEnd=${() => setDragged(-1)}
            onDragOver=${(/** @type {DragEvent} */ e) => e.preventDefault()}
            onDrop=${(/** @type {DragEvent} */ e) => {
              e.preventDefault();
              if (dragged >= 0 && dragged !== i) move(favs[dragged], i);
              setDragged(-1);
            }}>
            <span class="drag-handle" aria-hidden="true">⠿</span>
            <span class="option-text">
              <span class="option-name">${name}</span>
              <span class="option-desc">${modelDetails(model)}</span>
            </span>
            <button type="button" class="icon-button" aria-label=${`Move ${name} up`}
              disabled=${i === 0} onClick=${() => move(ref, i - 1)}>↑</button>
            <button type="button" class="icon-button" aria-label=${`Move ${name} down`}
              disabled=${i === favs.length - 1} onClick=${() => move(ref, i + 1)}>↓</button>
            <button type="button" class="icon-button" aria-label=${`Remove ${name}`}
              onClick=${() => saveSettings({ removeFavorite: ref })}>✕</button>
          </li>
        `;
      })}
    </ol>
  `;
}

/** Every model of the connected providers, as one list. */
function connectedModels() {
  return (catalog.value.providers ?? []).filter((p) => p.connected)
    .flatMap((p) => (p.models ?? []).map((m) => ({ provider: p, model: m })));
}

function DefaultModel() {
  const chosen = settings.value.defaultModel;
  const server = catalog.value.defaultModel;
  const value = chosen?.modelId ? keyOf(chosen) : "";
  const all = connectedModels();
  return html`
    <label class="settings-field">
      <span>Model of a new tab</span>
      <select value=${value} onChange=${(/** @type {Event} */ e) => {
        const v = /** @type {HTMLSelectElement} */ (e.currentTarget).value;
        const at = v.indexOf("/");
        saveSettings({
          defaultModel: at < 0 ? {} : { providerId: v.slice(0, at), modelId: v.slice(at + 1) },
        });
      }}>
        <option value="">The server's default${server?.modelId
          ? ` (${nameOf(server)})`
          : ""}</option>
        ${chosen?.modelId && !all.some((x) =>
            sameModel(chosen, {
              providerId: x.provider.id,
              modelId: x.model.id,
            })
          )
          ? html`<option value=${value}>${nameOf(chosen)} (not offered now)</option>`
          : null}
        ${all.map((x) =>
          html`
            <option key=${`${x.provider.id}/${x.model.id}`}
              value=${`${x.provider.id}/${x.model.id}`}>${x.model.name || x.model.id} (${x.provider
                .name})</option>
          `
        )}
      </select>
    </label>
  `;
}

function Discovery() {
  const [q, setQ] = useState("");
  const favs = settings.value.favoriteModels ?? [];
  const needle = q.trim().toLowerCase();
  const found = connectedModels().filter(({ provider: p, model: m }) =>
    !needle ||
    [m.name, m.id, p.name, p.id].some((x) => (x ?? "").toLowerCase().includes(needle))
  );
  const unconnected = (catalog.value.providers ?? []).filter((p) => !p.connected).length;
  return html`
    <div class="model-discovery">
      <input type="search" aria-label="Find a model" placeholder="Find a model"
        value=${q} autocomplete="off" spellcheck="false"
        onInput=${(/** @type {InputEvent} */ e) =>
          setQ(/** @type {HTMLInputElement} */ (e.currentTarget).value)} />
      <ul class="discovery-list" aria-label="Models of the connected providers">
        ${found.slice(0, SHOWN).map(({ provider: p, model: m }) => {
          const ref = { providerId: p.id ?? "", modelId: m.id ?? "" };
          const name = `${m.name || m.id} (${p.name})`;
          const fav = favs.some((f) => sameModel(f, ref));
          return html`
            <li key=${keyOf(ref)} class="discovered" data-model=${m.id}>
              <span class="option-text">
                <span class="option-name">${name}</span>
                <span class="option-desc">${m.id}${modelDetails(m)
                  ? ` · ${modelDetails(m)}`
                  : ""}</span>
              </span>
              <button type="button" disabled=${fav} aria-label=${`Add ${name} to favourites`}
                onClick=${() => saveSettings({ addFavorite: ref })}>${fav
                  ? "Favourite"
                  : "Add"}</button>
            </li>
          `;
        })}
      </ul>
      <p class="settings-hint" role="status">
        ${found.length > SHOWN
          ? `${found.length - SHOWN} more: refine the search. `
          : found.length
          ? ""
          : `No model matches “${q.trim()}”. `}
        ${unconnected
          ? `${unconnected} more providers are not connected; add their API keys to use them.`
          : ""}
      </p>
    </div>
  `;
}

export function ModelSettings() {
  return html`
    <fieldset class="settings-group model-settings">
      <legend>Models</legend>
      <${DefaultModel} />
      <h3 class="settings-subhead">Favourites</h3>
      <${Favourites} />
      <h3 class="settings-subhead">All models</h3>
      <${Discovery} />
    </fieldset>
  `;
}
