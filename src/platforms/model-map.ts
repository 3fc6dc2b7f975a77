import { canonicalModelKey, parseModelId } from "../models/model-id";

/**
 * `MODEL_MAP`: the operator's own platform ids, for models the built-in tables do not
 * know or for ids the tables get wrong for their account (an application inference
 * profile ARN, a provisioned-throughput model). JSON, by platform then Anthropic id:
 * `{"bedrock": {"claude-sonnet-4-5": "arn:aws:bedrock:…"}, "vertex": {"claude-opus-4-8": "claude-opus-4-8"}}`.
 */
export type ModelMap = Partial<Record<"bedrock" | "vertex", Record<string, string>>>;

/** Parses MODEL_MAP; throws an Error that says what is wrong with it (config turns it into a startup error). */
export function parseModelMap(text: string | undefined): ModelMap {
  if (!text || !text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('MODEL_MAP must be JSON such as {"bedrock":{"claude-sonnet-4-5":"eu.anthropic.claude-sonnet-4-5-20250929-v1:0"}}');
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("MODEL_MAP must be a JSON object keyed by platform (bedrock, vertex)");
  const out: ModelMap = {};
  for (const [platform, entries] of Object.entries(parsed)) {
    if (platform !== "bedrock" && platform !== "vertex") throw new Error(`MODEL_MAP: unknown platform "${platform}" (expected bedrock or vertex)`);
    if (!entries || typeof entries !== "object" || Array.isArray(entries)) throw new Error(`MODEL_MAP.${platform} must be an object of "anthropic-id": "platform-id"`);
    const map: Record<string, string> = {};
    for (const [from, to] of Object.entries(entries)) {
      if (typeof to !== "string" || !to.trim()) throw new Error(`MODEL_MAP.${platform}["${from}"] must be a non-empty string`);
      map[canonicalModelKey(from)] = to.trim();
    }
    out[platform] = map;
  }
  return out;
}

/** True for models from Claude 4.6 on, whose platform ids follow Anthropic's own (no date, no `-v1:0`). */
export function isUndatedGeneration(anthropicId: string): boolean {
  const parsed = parseModelId(anthropicId);
  if (!parsed) return false;
  return parsed.major > 4 || (parsed.major === 4 && parsed.minor >= 6);
}
