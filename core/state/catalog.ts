/**
 * Agents and models the server offers, as one Catalog for the pickers: `GET /agent`, the
 * providers (first `GET /config/providers`, the connected ones with their models and limits, a
 * few KB; then `GET /provider`, every provider known, several MB a busy server takes seconds to
 * write) and `GET /config` (the configured default model; the providers' `default` is a
 * per-provider pick, docs/opencode-api.md §4.7). Providers not connected come without models.
 */
import { ipc } from "../../proto/envelope.js";
import type { OcAgent, OcConfig, OcProviderList } from "../opencode/types.ts";

export type Catalog = ipc.Catalog.$Properties;

const AGENT_MODES: Record<string, ipc.AgentMode> = {
  primary: ipc.AgentMode.AGENT_MODE_PRIMARY,
  subagent: ipc.AgentMode.AGENT_MODE_SUBAGENT,
  all: ipc.AgentMode.AGENT_MODE_ALL,
};

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

export function toCatalog(agents: OcAgent[], providers: OcProviderList, config: OcConfig): Catalog {
  const connected = new Set(providers.connected ?? []);
  const list: ipc.Provider.$Properties[] = (providers.all ?? []).map((p) => ({
    id: p.id,
    name: p.name || p.id,
    connected: connected.has(p.id),
    // A provider that is not connected cannot run its models: it travels as a name only (a
    // server the app starts lists over 200 of them, several MB of models).
    models: Object.entries(connected.has(p.id) ? p.models ?? {} : {}).map(([key, m]) => ({
      id: m.id || key,
      providerId: p.id,
      name: m.name || m.id || key,
      contextLimit: num(m.limit?.context),
      outputLimit: num(m.limit?.output),
      reasoning: m.capabilities?.reasoning === true,
      attachment: m.capabilities?.attachment === true,
      toolCall: m.capabilities?.toolcall !== false,
      variants: Object.keys(m.variants ?? {}),
      costInput: num(m.cost?.input),
      costOutput: num(m.cost?.output),
    })).sort((a, b) => a.name.localeCompare(b.name)),
  })).sort((a, b) => Number(b.connected) - Number(a.connected) || a.name.localeCompare(b.name));

  let defaultModel: ipc.ModelRef.$Properties | null = null;
  if (typeof config.model === "string" && config.model.includes("/")) {
    const at = config.model.indexOf("/");
    defaultModel = { providerId: config.model.slice(0, at), modelId: config.model.slice(at + 1) };
  } else {
    const first = list.find((p) => p.connected && p.models?.length);
    const pick = first && (providers.default?.[first.id ?? ""] ?? first.models?.[0]?.id);
    if (first && pick) defaultModel = { providerId: first.id, modelId: pick };
  }
  const agentList = agents.map((a) => ({
    name: a.name,
    description: a.description ?? "",
    mode: AGENT_MODES[a.mode ?? ""] ?? ipc.AgentMode.AGENT_MODE_ALL,
    hidden: a.hidden === true,
    native: a.native === true,
  }));
  const primary = agentList.filter((a) =>
    a.mode !== ipc.AgentMode.AGENT_MODE_SUBAGENT && !a.hidden
  );
  const configured = typeof config.default_agent === "string" ? config.default_agent : "";
  const defaultAgent = primary.some((a) => a.name === configured)
    ? configured
    : primary.find((a) => a.name === "build")?.name ?? primary[0]?.name ?? "";
  return { agents: agentList, providers: list, defaultAgent, defaultModel };
}

/**
 * The quick list of connected providers, plus those the last whole list said were connected and
 * the quick one leaves out (a provider signed in by OAuth): until the whole list is read again,
 * a picker keeps them rather than losing them for a moment.
 */
export function withKnownConnected(
  quick: OcProviderList,
  last: OcProviderList | null,
): OcProviderList {
  if (!last) return quick;
  const have = new Set(quick.connected ?? []);
  const kept = last.all.filter((p) => last.connected?.includes(p.id) && !have.has(p.id));
  return {
    all: [...quick.all, ...kept],
    connected: [...have, ...kept.map((p) => p.id)],
    default: { ...last.default, ...quick.default },
  };
}
