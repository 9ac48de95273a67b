/**
 * The person's model preferences as settings intents: favourites (added, removed, moved), the
 * default model of a new tab, and the chat density. Pure functions of settings and a patch, so
 * the workspace applies them in order like every other settings field.
 */
import type { ipc } from "../../proto/gen/ipc.js";
import type { Settings } from "../config/settings.ts";

type ModelRef = ipc.ModelRef.$Properties;

/** Whether two refs name the same model. */
export function sameModel(a: ModelRef | null | undefined, b: ModelRef | null | undefined): boolean {
  return !!a && !!b && a.providerId === b.providerId && a.modelId === b.modelId;
}

/**
 * `list` with `model` moved to `index` (clamped to the list); a model not in the list leaves it
 * as it was.
 */
export function moveModel(list: ModelRef[], model: ModelRef, index: number): ModelRef[] {
  const at = list.findIndex((m) => sameModel(m, model));
  if (at < 0) return list;
  const rest = list.filter((_, i) => i !== at);
  const to = Math.max(0, Math.min(Math.trunc(index), rest.length));
  return [...rest.slice(0, to), list[at], ...rest.slice(to)];
}

/** Applies the model and density fields of a settings patch (the others are the caller's). */
export function applyModelPrefs(s: Settings, patch: ipc.UpdateSettings.$Properties): Settings {
  const next = { ...s };
  let favorites = s.favoriteModels ?? [];
  if (patch.addFavorite?.modelId) {
    const add = { providerId: patch.addFavorite.providerId, modelId: patch.addFavorite.modelId };
    favorites = [...favorites.filter((m) => !sameModel(m, add)), add];
  }
  if (patch.removeFavorite?.modelId) {
    const gone = patch.removeFavorite;
    favorites = favorites.filter((m) => !sameModel(m, gone));
  }
  if (patch.moveFavorite?.model) {
    favorites = moveModel(favorites, patch.moveFavorite.model, patch.moveFavorite.index ?? 0);
  }
  next.favoriteModels = favorites;
  if (patch.defaultModel != null) {
    const { providerId = "", modelId = "" } = patch.defaultModel;
    if (!providerId !== !modelId) {
      throw new TypeError("Cannot set the default model: provider_id and model_id go together");
    }
    next.defaultModel = modelId ? { providerId, modelId } : null;
  }
  if (patch.density != null) next.density = patch.density;
  return next;
}
