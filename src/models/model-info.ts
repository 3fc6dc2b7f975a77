import type { EffortLevel, ModelProfile } from "./profile";
import { fallbackProfile, newestRulesProfile, WEB_TOOLS_2025, WEB_TOOLS_2026 } from "./fallback";

/**
 * Reads one entry of Anthropic's GET /v1/models (SDK 1.14 `ModelInfo`) into a profile.
 *
 * `capabilities` decides thinking modes, effort levels, image/PDF input and structured
 * outputs. It says nothing about sampling or prefill, so those come from the built-in
 * rules for the id (family fallback for new ids; the newest rules for a non-Claude id).
 * Entries without `capabilities` (older API responses) take the table's profile, with
 * the upstream's name, date and limits where it gives them.
 */
export function profileFromModelInfo(info: unknown): ModelProfile | undefined {
  if (!isRecord(info) || typeof info.id !== "string" || info.id === "") return undefined;
  const id = info.id;
  const caps = isRecord(info.capabilities) ? info.capabilities : undefined;
  const known = fallbackProfile(id);
  if (!caps && !known) return undefined;
  // A model with capabilities but an id outside our naming: assume the strictest rules.
  const base: ModelProfile = known ?? newestRulesProfile(id);

  const profile: ModelProfile = {
    ...base,
    id,
    displayName: typeof info.display_name === "string" && info.display_name ? info.display_name : base.displayName,
    createdAt: typeof info.created_at === "string" && info.created_at ? info.created_at : base.createdAt,
    maxOutputTokens: positiveInt(info.max_tokens) ?? base.maxOutputTokens,
    contextWindow: positiveInt(info.max_input_tokens) ?? base.contextWindow,
  };
  if (!caps) return profile;

  const thinking = isRecord(caps.thinking) ? caps.thinking : undefined;
  const types = thinking && isRecord(thinking.types) ? thinking.types : undefined;
  if (thinking && supported(thinking) === false) {
    profile.thinking = { budget: false, adaptive: false, disable: false };
  } else if (types) {
    profile.thinking = {
      budget: supported(types.enabled) ?? base.thinking.budget,
      adaptive: supported(types.adaptive) ?? base.thinking.adaptive,
      disable: supported(types.disabled) ?? base.thinking.disable,
    };
  }
  const effort = isRecord(caps.effort) ? caps.effort : undefined;
  if (effort) {
    const levels: EffortLevel[] = ["low", "medium", "high", "xhigh", "max"];
    profile.effort = supported(effort) === false ? [] : levels.filter((l) => supported(effort[l]) === true);
  }
  profile.imageInput = supported(caps.image_input) ?? base.imageInput;
  profile.pdfInput = supported(caps.pdf_input) ?? base.pdfInput;
  profile.structuredOutputs = supported(caps.structured_outputs) ?? base.structuredOutputs;
  // capabilities say whether, not which version: the newest one of the model's generation.
  const serverTools = isRecord(caps.server_tools) ? caps.server_tools : undefined;
  if (serverTools) {
    const tools = profile.thinking.adaptive ? WEB_TOOLS_2026 : WEB_TOOLS_2025;
    const all = supported(serverTools);
    const search = all === false ? false : supported(serverTools.web_search);
    const fetch = all === false ? false : supported(serverTools.web_fetch);
    if (search !== undefined) profile.webSearch = search ? tools.search : null;
    else if (profile.webSearch) profile.webSearch = tools.search;
    if (fetch !== undefined) profile.webFetch = fetch ? tools.fetch : null;
    else if (profile.webFetch) profile.webFetch = tools.fetch;
  }
  return profile;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function supported(leaf: unknown): boolean | undefined {
  return isRecord(leaf) && typeof leaf.supported === "boolean" ? leaf.supported : undefined;
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined;
}
