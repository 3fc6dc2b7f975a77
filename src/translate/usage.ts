import type { AnthropicUsage } from "../platforms/anthropic/types";
import type { CompletionUsage } from "../openai/types";
import { serverToolUsage } from "./server-tools";

/** Anthropic usage as it may really arrive: every field optional, many nullable. */
export type UpstreamUsage = { [K in keyof AnthropicUsage]?: AnthropicUsage[K] | null };

/** OpenAI usage plus the top-level cache counters that Roo Code reads. */
export type OpenAIUsage = CompletionUsage & {
  prompt_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** Claude's server tools (web search, web fetch), when any ran: an extra field. */
  server_tool_use?: { web_search_requests: number; web_fetch_requests: number };
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
  Object.assign(usage, serverToolUsage(u));
  return usage;
}

const USAGE_KEYS = [
  "input_tokens",
  "output_tokens",
  "cache_creation_input_tokens",
  "cache_read_input_tokens",
  "cache_creation",
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

/**
 * Two answers' usage as one: a paused server-tool turn continued by the gateway is billed
 * as the sum of its parts (each part reads the whole prompt again).
 */
export function sumUsage(a: UpstreamUsage | null | undefined, b: UpstreamUsage | null | undefined): UpstreamUsage {
  const out: UpstreamUsage = { ...(a ?? {}) };
  const add = (x: number | null | undefined, y: number | null | undefined) => (x ?? 0) + (y ?? 0);
  if (!b) return out;
  out.input_tokens = add(a?.input_tokens, b.input_tokens);
  out.output_tokens = add(a?.output_tokens, b.output_tokens);
  out.cache_creation_input_tokens = add(a?.cache_creation_input_tokens, b.cache_creation_input_tokens);
  out.cache_read_input_tokens = add(a?.cache_read_input_tokens, b.cache_read_input_tokens);
  if (a?.server_tool_use || b.server_tool_use) {
    out.server_tool_use = {
      web_search_requests: add(a?.server_tool_use?.web_search_requests, b.server_tool_use?.web_search_requests),
      web_fetch_requests: add(a?.server_tool_use?.web_fetch_requests, b.server_tool_use?.web_fetch_requests),
    } as NonNullable<UpstreamUsage["server_tool_use"]>;
  }
  const ta = a?.output_tokens_details?.thinking_tokens;
  const tb = b.output_tokens_details?.thinking_tokens;
  if (typeof ta === "number" || typeof tb === "number") out.output_tokens_details = { thinking_tokens: add(ta, tb) } as NonNullable<UpstreamUsage["output_tokens_details"]>;
  return out;
}
