import { fnv1a32 } from "../hash";

/**
 * Anthropic requires tool_use ids to match ^[a-zA-Z0-9_-]+$; OpenAI clients and other
 * providers' histories carry ids like `call:1`, `functions.get_weather:0` or ids with
 * dots. The same function is applied to assistant tool_call ids and tool message
 * tool_call_ids, so the pair stays matched. Valid ids pass through untouched (so ids
 * the gateway returned, `toolu_…`, keep matching the ThinkingStore); invalid ones get
 * their bad characters replaced and a short hash of the original appended, so two
 * different ids never collapse into one.
 */
const VALID = /^[a-zA-Z0-9_-]+$/;

export function sanitizeToolId(id: string): string {
  if (VALID.test(id)) return id;
  const cleaned = id.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 48);
  // Base 36 FNV-1a: short and deterministic (a collision guard, not security).
  return `${cleaned || "call"}_${fnv1a32(id).toString(36)}`;
}
