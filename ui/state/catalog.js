// @ts-check
/**
 * Look-ups in the catalog of agents and models, and what a tab sends with: the agent and model
 * chosen for it, else the server's defaults.
 */
import { computed } from "@preact/signals";
import { catalog } from "./store.js";
import { tabOf } from "./indexes.js";

/**
 * @typedef {import("../../proto/envelope.js").ipc.Model.$Properties} Model
 * @typedef {import("../../proto/envelope.js").ipc.Provider.$Properties} Provider
 * @typedef {import("../../proto/envelope.js").ipc.ModelRef.$Properties} ModelRef
 */

/** Providers by id, each with its models by id. */
const providerIndex = computed(() =>
  new Map(
    (catalog.value.providers ?? []).map((p) => [
      p.id ?? "",
      { provider: p, models: new Map((p.models ?? []).map((m) => [m.id ?? "", m])) },
    ]),
  )
);

/**
 * A model of the catalog and its provider (either undefined when the server does not offer it).
 * @param {string} providerId @param {string} modelId
 * @returns {{ provider: Provider | undefined, model: Model | undefined }}
 */
export function findModel(providerId, modelId) {
  const p = providerIndex.value.get(providerId);
  return { provider: p?.provider, model: p?.models.get(modelId) };
}

/** Whether two references name the same model. @param {ModelRef | null | undefined} a @param {ModelRef | null | undefined} b */
export const sameModel = (a, b) =>
  !!a && !!b && a.providerId === b.providerId && a.modelId === b.modelId;

/** The model chosen for a tab, or null when it sends with the server's default. @param {string} sessionId */
export function chosenModel(sessionId) {
  const tab = tabOf(sessionId);
  return tab?.modelId ? { providerId: tab.providerId, modelId: tab.modelId } : null;
}

/**
 * The reference of the model a tab sends with: the one chosen for it, else the server's default.
 * @param {string} sessionId @returns {ModelRef | null}
 */
export function modelRefOf(sessionId) {
  return chosenModel(sessionId) ?? catalog.value.defaultModel ?? null;
}

/** The model a tab sends with, if the catalog has it. @param {string} sessionId */
export function currentModel(sessionId) {
  const ref = modelRefOf(sessionId);
  return findModel(ref?.providerId ?? "", ref?.modelId ?? "").model ?? null;
}

/** The agent a tab sends with: chosen, else the server's default. @param {string} sessionId */
export function currentAgent(sessionId) {
  return tabOf(sessionId)?.agent || catalog.value.defaultAgent || "";
}

/** How many tokens a model's context holds (0: unknown). @param {string} providerId @param {string} modelId */
export function contextLimit(providerId, modelId) {
  return findModel(providerId, modelId).model?.contextLimit ?? 0;
}

/** Agent names read as words: "build" -> "Build". @param {string} name */
export const agentLabel = (name) => name ? name[0].toUpperCase() + name.slice(1) : "";
