// @ts-check
/**
 * The model of a tab, chosen next to the input and sent with every message. Nothing chosen means
 * the server's default, shown as such; a choice is kept as made (even of the default), so a later
 * change of the server's default does not change the tab. The list is searchable, grouped by
 * provider (connected ones marked), with the person's favourites (the star) and the recently used
 * models first. A choice the server no longer offers is flagged, not hidden.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { tokensShort } from "../lib/format.js";
import { saveSettings, updateTabOrCreate } from "../state/actions.js";
import { catalog, settings } from "../state/store.js";
import { chosenModel, findModel, modelRefOf, sameModel } from "../state/catalog.js";
import { tabOf } from "../state/indexes.js";
import { CHEVRON, moveFocus, pickerLabel, usePopover } from "./popover.js";
import { settingsOpen } from "../state/view.js";
import { ExpiryCountdown } from "./expiry_countdown.js";

/**
 * @typedef {import("../../proto/envelope.js").ipc.Model.$Properties} Model
 * @typedef {import("../../proto/envelope.js").ipc.Provider.$Properties} Provider
 * @typedef {import("../../proto/envelope.js").ipc.ModelRef.$Properties} ModelRef
 */

const RECENT_SHOWN = 5;

/** @param {Provider | undefined} provider @param {Model} m */
const modelLabel = (provider, m) => `${m.name || m.id} (${provider?.name || m.providerId})`;

/**
 * @param {{
 *   model: Model, provider: Provider | undefined, current: boolean, isDefault: boolean,
 *   favorite: boolean, onChoose: () => void, onStar: () => void,
 * }} props
 */
function ModelRow({ model, provider, current, isDefault, favorite, onChoose, onStar }) {
  const label = modelLabel(provider, model);
  const details = [
    model.id,
    model.contextLimit ? `${tokensShort(model.contextLimit)} context` : "",
    model.reasoning ? "reasoning" : "",
    model.attachment ? "images" : "",
  ].filter(Boolean).join(" · ");
  return html`
    <div class="model-row" data-current=${current ? "true" : "false"}>
      <button type="button" class="model-choice" aria-current=${current ? "true" : undefined}
        aria-description=${isDefault ? `default, ${details}` : details}
        data-provider=${model.providerId} data-model=${model.id} onClick=${onChoose}>
        <span class="check" aria-hidden="true"></span>
        <span class="option-text">
          <span
            class="option-name">${model.name || model.id}<span class="visually-hidden">${` (${
              provider?.name || model.providerId
            })`}</span>${isDefault
              ? html`
                <span class="badge" aria-hidden="true">default</span>
              `
              : null}</span>
          <span class="option-desc" aria-hidden="true">${details}</span>
        </span>
      </button>
      <button type="button" class="star icon-button" aria-pressed=${favorite ? "true" : "false"}
        aria-label=${`Favourite ${label}`}
        title=${favorite ? "Remove from favourites" : "Pin to favourites"} onClick=${onStar}>
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <path d="M8 1.8l1.9 3.9 4.3.6-3.1 3 .7 4.3L8 11.6l-3.8 2 .7-4.3-3.1-3 4.3-.6z" />
        </svg>
      </button>
    </div>
  `;
}

/** @param {{ sessionId: string }} props */
export function ModelPicker({ sessionId }) {
  const pop = usePopover();
  const [q, setQ] = useState("");
  const listRef = useRef(/** @type {HTMLDivElement | null} */ (null));
  const searchRef = useRef(/** @type {HTMLInputElement | null} */ (null));
  const c = catalog.value;
  const s = settings.value;
  const tab = tabOf(sessionId);
  const chosen = chosenModel(sessionId);
  const currentRef = modelRefOf(sessionId);
  const { provider: curProvider, model: curModel } = findModel(
    currentRef?.providerId ?? "",
    currentRef?.modelId ?? "",
  );
  const loaded = (c.providers ?? []).length > 0;
  const unknown = !!chosen && loaded && !curModel;
  const favorites = s.favoriteModels ?? [];

  useEffect(() => {
    if (!pop.open) return;
    setQ("");
    searchRef.current?.focus();
  }, [pop.open]);

  /** @param {Model} m */
  const choose = async (m) => {
    pop.close();
    const keepVariant = tab?.variant && (m.variants ?? []).includes(tab.variant);
    await updateTabOrCreate(sessionId, {
      model: { providerId: m.providerId ?? "", modelId: m.id ?? "" },
      variant: keepVariant ? tab?.variant ?? "" : "",
    });
  };
  /** @param {Model} m */
  const star = (m) => {
    const ref = { providerId: m.providerId ?? "", modelId: m.id ?? "" };
    saveSettings(
      favorites.some((f) => sameModel(f, ref)) ? { removeFavorite: ref } : { addFavorite: ref },
    );
  };

  const needle = q.trim().toLowerCase();
  /** @param {Provider} p @param {Model} m */
  const hit = (p, m) =>
    !needle ||
    [m.name, m.id, p.name, p.id].some((x) => (x ?? "").toLowerCase().includes(needle));
  /** @param {ModelRef[]} refs */
  const resolve = (refs) =>
    refs.map((r) => findModel(r.providerId ?? "", r.modelId ?? ""))
      .filter((x) => !!x.model && !!x.provider && hit(x.provider, /** @type {Model} */ (x.model)));
  const favs = resolve(favorites);
  const recents = resolve(
    (s.recentModels ?? []).filter((r) => !favorites.some((f) => sameModel(f, r))),
  ).slice(0, RECENT_SHOWN);
  // Providers that are not connected cannot run a model: one entry leads to where they connect.
  const unconnected = (c.providers ?? []).filter((p) => !p.connected).length;
  const providers = (c.providers ?? []).filter((p) => p.connected).map((p) => ({
    provider: p,
    models: (p.models ?? []).filter((m) => hit(p, m)),
  })).filter((g) => g.models.length > 0);

  /** @param {{ provider: Provider | undefined, model: Model | null | undefined }} x @param {string} key */
  const row = (x, key) => {
    const m = /** @type {Model} */ (x.model);
    const ref = { providerId: m.providerId ?? "", modelId: m.id ?? "" };
    return html`
      <${ModelRow} key=${key} model=${m} provider=${x.provider}
        current=${sameModel(ref, currentRef)} isDefault=${sameModel(ref, c.defaultModel)}
        favorite=${favorites.some((f) => sameModel(f, ref))} onChoose=${() => choose(m)}
        onStar=${() => star(m)} />
    `;
  };

  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    if (e.key === "Enter" && e.target === searchRef.current) {
      e.preventDefault();
      /** @type {HTMLElement | null} */ (listRef.current?.querySelector(".model-choice"))?.click();
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const items = /** @type {HTMLElement[]} */ ([
      ...(listRef.current?.querySelectorAll(".model-choice") ?? []),
    ]);
    const at = items.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    if (e.key === "ArrowUp" && at === 0) {
      e.preventDefault();
      searchRef.current?.focus();
      return;
    }
    moveFocus(e, items);
  };

  const name = unknown
    ? `${currentRef?.providerId}/${currentRef?.modelId}`
    : curModel?.name || curModel?.id || currentRef?.modelId || "Model";
  const label = pickerLabel("Model", name, !!chosen, unknown);
  return html`
    <div class="picker model-picker" ref=${pop.wrap} onKeyDown=${pop.onEscape}>
      <button type="button" class="picker-button" ref=${pop.trigger} aria-haspopup="dialog"
        aria-expanded=${pop.open ? "true" : "false"} aria-label=${label}
        title=${curProvider ? `${label} from ${curProvider.name}` : label}
        data-unknown=${unknown ? "true" : "false"} onClick=${() => pop.setOpen(!pop.open)}>
        <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
          <rect x="3.5" y="3.5" width="9" height="9" rx="1.5" />
          <path d="M6 1.5v2M10 1.5v2M6 12.5v2M10 12.5v2M1.5 6h2M1.5 10h2M12.5 6h2M12.5 10h2" />
        </svg>
        <span class="picker-value">${name}</span>
        ${CHEVRON}
      </button>
      <${ExpiryCountdown} compact=${true} />
      ${pop.open
        ? html`
          <div class="popover model-menu" role="dialog" aria-label="Choose a model"
            onKeyDown=${onKeyDown}>
            <div class="search">
              <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                <circle cx="7" cy="7" r="4.5" /><path d="M10.5 10.5L14 14" />
              </svg>
              <input type="search" ref=${searchRef} aria-label="Search models"
                placeholder="Search models" value=${q} autocomplete="off" spellcheck="false"
                onInput=${(/** @type {InputEvent} */ e) =>
                  setQ(/** @type {HTMLInputElement} */ (e.currentTarget).value)} />
            </div>
            ${unknown
              ? html`<p class="popover-note warn" role="note">
                “${name}” is not offered by the server; choose another model.
              </p>`
              : null}
            <div class="model-list" ref=${listRef}>
              ${favs.length
                ? html`<div role="group" aria-label="Favourites" class="model-group">
                  <div class="menu-heading" aria-hidden="true">Favourites</div>
                  ${favs.map((x) => row(x, `fav:${x.provider?.id}/${x.model?.id}`))}
                </div>`
                : null}
              ${recents.length
                ? html`<div role="group" aria-label="Recently used" class="model-group">
                  <div class="menu-heading" aria-hidden="true">Recently used</div>
                  ${recents.map((x) => row(x, `recent:${x.provider?.id}/${x.model?.id}`))}
                </div>`
                : null}
              ${providers.map((g) =>
                html`
                  <div role="group" key=${g.provider.id} class="model-group"
                    aria-label=${`${g.provider.name}${
                      g.provider.connected ? "" : " (not connected)"
                    }`}>
                                    <div class="menu-heading" aria-hidden="true">
                                      <span>${g.provider.name}</span>
                                      <span class="badge ${g.provider.connected ? "ok" : ""}">
                                        ${g.provider.connected ? "connected" : "not connected"}
                                      </span>
                                    </div>
                                    ${g.models.map((m) =>
                                      row(
                                        { provider: g.provider, model: m },
                                        `${g.provider.id}/${m.id}`,
                                      )
                                    )}
                                  </div>
                `
              )}
              ${unconnected && !needle
                ? html`
                  <button type="button" class="connect-provider"
                    onClick=${() => {
                      pop.close();
                      settingsOpen.value = true;
                    }}>Connect a provider… <span class="option-desc">${unconnected} not connected</span></button>
                `
                : null}
              ${!providers.length
                ? html`<p class="popover-note" role="status">
                  ${loaded ? `No model matches “${q.trim()}”.` : "Loading models…"}
                </p>`
                : null}
            </div>
          </div>
        `
        : null}
    </div>
  `;
}
