import type { ModelProfile } from "../models/profile";

/**
 * temperature / top_p / top_k, shaped to what the model accepts (never a 400 for them):
 * - temperature: OpenAI's 0–2 is clamped to Claude's 0–1 (values above 1 become 1).
 * - `locked` models (Opus 4.7+, 5.x, Fable): all three dropped; they accept only defaults.
 * - `exclusive` models (Claude 4.x): temperature OR top_p; when both are given (NextChat
 *   always sends both, usually top_p 1) temperature is kept and top_p dropped.
 * - Thinking on: temperature and top_k dropped (only 1 / unset allowed); top_p kept only
 *   when >= 0.95, the range thinking accepts.
 * - top_k is accepted as an extension and passed where allowed.
 * Every dropped value is reported in `dropped` so the caller can log it.
 */
export interface Sampling {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  dropped: string[];
}

export function translateSampling(
  input: { temperature?: number | null; top_p?: number | null; top_k?: number | null },
  profile: ModelProfile,
  thinking: boolean,
): Sampling {
  const out: Sampling = { dropped: [] };
  let temperature = input.temperature ?? undefined;
  let topP = input.top_p ?? undefined;
  let topK = input.top_k ?? undefined;
  const drop = (name: string, why: string) => out.dropped.push(`${name} dropped: ${why}`);

  if (profile.sampling === "locked") {
    if (temperature !== undefined) drop("temperature", `${profile.id} accepts only the default`);
    if (topP !== undefined) drop("top_p", `${profile.id} accepts only the default`);
    if (topK !== undefined) drop("top_k", `${profile.id} accepts only the default`);
    return out;
  }
  if (temperature !== undefined) temperature = Math.min(1, Math.max(0, temperature));
  if (thinking) {
    if (temperature !== undefined) drop("temperature", "not adjustable while thinking");
    if (topK !== undefined) drop("top_k", "not adjustable while thinking");
    temperature = undefined;
    topK = undefined;
    if (topP !== undefined && topP < 0.95) {
      drop("top_p", "must be >= 0.95 while thinking");
      topP = undefined;
    }
  }
  if (profile.sampling === "exclusive" && temperature !== undefined && topP !== undefined) {
    drop("top_p", `${profile.id} accepts temperature or top_p, not both`);
    topP = undefined;
  }
  if (temperature !== undefined) out.temperature = temperature;
  if (topP !== undefined) out.top_p = topP;
  if (topK !== undefined) out.top_k = topK;
  return out;
}

/** `stop` (string or array) → stop_sequences, without whitespace-only entries, which Anthropic rejects. */
export function translateStop(stop: string | string[] | null | undefined): string[] | undefined {
  if (stop == null) return undefined;
  const list = (typeof stop === "string" ? [stop] : stop).filter((s) => s.trim() !== "");
  return list.length > 0 ? [...new Set(list)] : undefined;
}
