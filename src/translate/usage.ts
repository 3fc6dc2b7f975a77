import type { AnthropicUsage } from "../platforms/anthropic/types";
import type { CompletionUsage } from "../openai/types";

/** Anthropic usage as it may really arrive: every field optional, many nullable. */
export type UpstreamUsage = { [K in keyof AnthropicUsage]?: AnthropicUsage[K] | null };

/** OpenAI usage plus the top-level cache counters that Roo Code reads. */
export type OpenAIUsage = CompletionUsage & {
  prompt_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
};

/**
 * OpenAI counts cached tokens inside prompt_tokens, Anthropic reports them apart from
 * input_tokens: the prompt is the sum of all three, or cost dashboards undercount it.
 */
export function toOpenAIUsage(u: UpstreamUsage | null | undefined): OpenAIUsage {
  const input = u?.input_tokens ?? 0;
  const read = u?.cache_read_input_tokens ?? 0;
  const write = u?.cache_creation_input_tokens ?? 0;
  const output = u?.output_tokens ?? 0;
  const prompt = input + read + write;
  const usage: OpenAIUsage = {
    prompt_tokens: prompt,
    completion_tokens: output,
    total_tokens: prompt + output,
    prompt_tokens_details: { cached_tokens: read, cache_write_tokens: write },
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
  };
  const thinking = u?.output_tokens_details?.thinking_tokens;
  // Only when upstream says so: a guessed 0 would tell clients "no reasoning happened".
  if (typeof thinking === "number") usage.completion_tokens_details = { reasoning_tokens: thinking };
  return usage;
}

const USAGE_KEYS = [
  "input_tokens",
  "output_tokens",
  "cache_creation_input_tokens",
  "cache_read_input_tokens",
  "output_tokens_details",
  "server_tool_use",
] as const;

/**
 * Streams report usage on message_start and (cumulatively) on message_delta; either may
 * omit or null a field. The latest non-null value of each field wins.
 */
export function mergeUsage(into: UpstreamUsage, from: UpstreamUsage | null | undefined): UpstreamUsage {
  if (!from) return into;
  for (const key of USAGE_KEYS) {
    const value = from[key];
    if (value !== null && value !== undefined) (into as Record<string, unknown>)[key] = value;
  }
  return into;
}
