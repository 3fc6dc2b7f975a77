import { canonicalModelKey } from "../../models/model-id";
import { isUndatedGeneration, type ModelMap } from "../model-map";

/**
 * Anthropic ids → Bedrock model ids. Bedrock names the dated models with a `-v1:0`
 * suffix and, from Claude 4.6 on, follows Anthropic's own id (Opus 4.6 alone kept a
 * `-v1`). Most Claude models can only be invoked on demand through a cross-region
 * inference profile, whose id is the model id behind a geography prefix (`global.`,
 * `us.`, `eu.`, `apac.`, `jp.`, `au.`); `profiles` lists the ones each model has.
 */
interface BedrockModel {
  id: string;
  profiles: readonly string[];
}

const ALL = ["global.", "us.", "eu.", "apac.", "jp.", "au."] as const;

export const BEDROCK_MODELS: Readonly<Record<string, BedrockModel>> = {
  "claude-opus-4-6": { id: "anthropic.claude-opus-4-6-v1", profiles: ALL },
  "claude-opus-4-5": { id: "anthropic.claude-opus-4-5-20251101-v1:0", profiles: ["global.", "us.", "eu."] },
  "claude-haiku-4-5": { id: "anthropic.claude-haiku-4-5-20251001-v1:0", profiles: ALL },
  "claude-sonnet-4-5": { id: "anthropic.claude-sonnet-4-5-20250929-v1:0", profiles: ALL },
  "claude-opus-4-1": { id: "anthropic.claude-opus-4-1-20250805-v1:0", profiles: ["us."] },
  "claude-opus-4": { id: "anthropic.claude-opus-4-20250514-v1:0", profiles: ["us."] },
  "claude-sonnet-4": { id: "anthropic.claude-sonnet-4-20250514-v1:0", profiles: ["global.", "us.", "eu.", "apac."] },
  "claude-3-7-sonnet": { id: "anthropic.claude-3-7-sonnet-20250219-v1:0", profiles: ["us.", "eu.", "apac."] },
  "claude-3-5-haiku": { id: "anthropic.claude-3-5-haiku-20241022-v1:0", profiles: ["us."] },
  "claude-3-haiku": { id: "anthropic.claude-3-haiku-20240307-v1:0", profiles: ["us.", "eu.", "apac."] },
};

/** `BEDROCK_MODEL_PREFIX`: a profile prefix, `none` (in-region model ids), or undefined for the default. */
export type BedrockPrefixSetting = string | undefined;

export interface BedrockModelChoice {
  /** What goes into the URL (before encoding). */
  modelId: string;
  /** Where it came from, for error messages. */
  source: "MODEL_MAP" | "table" | "naming rule";
}

/**
 * The Bedrock id for an Anthropic id, or undefined when Bedrock does not offer the model
 * (as far as the table and MODEL_MAP know). With no BEDROCK_MODEL_PREFIX the default is
 * `global.` where the model has it, else the region's own geography (`eu-west-1` → `eu.`),
 * else the bare in-region id. An explicit prefix is used as the operator wrote it.
 */
export function bedrockModelId(anthropicId: string, region: string, prefix: BedrockPrefixSetting, map: ModelMap = {}): BedrockModelChoice | undefined {
  const key = canonicalModelKey(anthropicId);
  const mapped = map.bedrock?.[key];
  if (mapped) return { modelId: mapped, source: "MODEL_MAP" };
  const known = BEDROCK_MODELS[key];
  const model: BedrockModel | undefined = known ?? (isUndatedGeneration(key) ? { id: `anthropic.${key}`, profiles: ALL } : undefined);
  if (!model) return undefined;
  const source = known ? "table" : "naming rule";
  if (prefix !== undefined && prefix !== "") {
    return { modelId: prefix === "none" ? model.id : `${withDot(prefix)}${model.id}`, source };
  }
  if (model.profiles.includes("global.")) return { modelId: `global.${model.id}`, source };
  const geo = geographyOf(region);
  if (geo && model.profiles.includes(geo)) return { modelId: `${geo}${model.id}`, source };
  return { modelId: model.id, source };
}

/** The Anthropic ids Bedrock offers through this table (for /v1/models), MODEL_MAP's included. */
export function bedrockAnthropicIds(map: ModelMap = {}): string[] {
  return [...new Set([...Object.keys(BEDROCK_MODELS), ...Object.keys(map.bedrock ?? {})])];
}

function withDot(prefix: string): string {
  return prefix.endsWith(".") ? prefix : `${prefix}.`;
}

function geographyOf(region: string): string | undefined {
  if (/^us-/.test(region)) return "us.";
  if (/^eu-/.test(region)) return "eu.";
  if (region === "ap-northeast-1" || region === "ap-northeast-3") return "jp.";
  if (region === "ap-southeast-2" || region === "ap-southeast-4") return "au.";
  if (/^ap-/.test(region)) return "apac.";
  return undefined;
}
