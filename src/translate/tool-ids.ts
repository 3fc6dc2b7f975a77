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
  return `${cleaned || "call"}_${fnv1a(id)}`;
}

/** FNV-1a 32-bit, base 36: short, deterministic, no crypto needed (collision guard, not security). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
