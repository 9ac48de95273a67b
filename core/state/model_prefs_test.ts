import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { cleanSettings } from "../config/settings.ts";
import { applyModelPrefs, moveModel } from "./model_prefs.ts";

const m = (id: string) => ({ providerId: "p", modelId: id });

Deno.test("favourites: a model moves to the index given, clamped to the list", () => {
  const list = [m("a"), m("b"), m("c")];
  assertEquals(moveModel(list, m("c"), 0), [m("c"), m("a"), m("b")]);
  assertEquals(moveModel(list, m("a"), 1), [m("b"), m("a"), m("c")]);
  assertEquals(moveModel(list, m("a"), 99), [m("b"), m("c"), m("a")]);
  assertEquals(moveModel(list, m("b"), -3), [m("b"), m("a"), m("c")]);
  assertEquals(moveModel(list, m("x"), 0), list, "a model not in the list changes nothing");
});

Deno.test("favourites: added at the end once, removed, moved by intent", () => {
  let s = cleanSettings({});
  s = applyModelPrefs(s, { addFavorite: m("a") });
  s = applyModelPrefs(s, { addFavorite: m("b") });
  s = applyModelPrefs(s, { addFavorite: m("a") });
  assertEquals(s.favoriteModels, [m("b"), m("a")]);
  s = applyModelPrefs(s, { moveFavorite: { model: m("a"), index: 0 } });
  assertEquals(s.favoriteModels, [m("a"), m("b")]);
  s = applyModelPrefs(s, { removeFavorite: m("a") });
  assertEquals(s.favoriteModels, [m("b")]);
});

Deno.test("default model: set, cleared with an empty ref, refused half given", () => {
  let s = applyModelPrefs(cleanSettings({}), { defaultModel: m("a") });
  assertEquals(s.defaultModel, m("a"));
  assertEquals(cleanSettings(JSON.parse(JSON.stringify(s))).defaultModel, m("a"));
  assertThrows(() => applyModelPrefs(s, { defaultModel: { providerId: "p" } }), TypeError);
  s = applyModelPrefs(s, { defaultModel: {} });
  assertEquals(s.defaultModel, null);
});
