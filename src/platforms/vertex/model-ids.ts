import { canonicalModelKey } from "../../models/model-id";
import { isUndatedGeneration, type ModelMap } from "../model-map";

/**
 * Anthropic ids → Vertex AI model ids: `claude-sonnet-4-5@20250929` for the dated
 * models; from Claude 4.6 on Vertex uses Anthropic's own id.
 */
export const VERTEX_MODELS: Readonly<Record<string, string>> = {
  "claude-opus-4-5": "claude-opus-4-5@20251101",
  "claude-haiku-4-5": "claude-haiku-4-5@20251001",
  "claude-sonnet-4-5": "claude-sonnet-4-5@20250929",
  "claude-opus-4-1": "claude-opus-4-1@20250805",
  "claude-opus-4": "claude-opus-4@20250514",
  "claude-sonnet-4": "claude-sonnet-4@20250514",
  "claude-3-7-sonnet": "claude-3-7-sonnet@20250219",
  "claude-3-5-haiku": "claude-3-5-haiku@20241022",
  "claude-3-haiku": "claude-3-haiku@20240307",
};

export function vertexModelId(anthropicId: string, map: ModelMap = {}): string | undefined {
  const key = canonicalModelKey(anthropicId);
  return map.vertex?.[key] ?? VERTEX_MODELS[key] ?? (isUndatedGeneration(key) ? key : undefined);
}

export function vertexAnthropicIds(map: ModelMap = {}): string[] {
  return [...new Set([...Object.keys(VERTEX_MODELS), ...Object.keys(map.vertex ?? {})])];
}
