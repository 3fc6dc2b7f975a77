import type { AnthropicRequest } from "../anthropic/types";

/** Anthropic refuses more than four cache_control breakpoints in one request. */
export const MAX_CACHE_BREAKPOINTS = 4;

/**
 * Keeps at most four cache_control markers, removing the earliest in render order
 * (tools → system → messages). A breakpoint caches the whole prefix before it, so the
 * latest ones cover the most: dropping early ones loses the least. Returns how many
 * were removed. Mutates `body` (which the caller has just built).
 */
export function limitCacheBreakpoints(body: AnthropicRequest): number {
  const marked: { cache_control?: unknown }[] = [];
  const visit = (o: unknown) => {
    if (typeof o === "object" && o !== null && "cache_control" in o && (o as { cache_control?: unknown }).cache_control) {
      marked.push(o as { cache_control?: unknown });
    }
  };
  for (const t of body.tools ?? []) visit(t);
  if (Array.isArray(body.system)) body.system.forEach(visit);
  for (const m of body.messages) {
    if (typeof m.content === "string") continue;
    for (const b of m.content) {
      if (b.type === "tool_result" && Array.isArray(b.content)) b.content.forEach(visit);
      visit(b);
    }
  }
  const excess = marked.length - MAX_CACHE_BREAKPOINTS;
  for (let i = 0; i < excess; i++) delete marked[i]!.cache_control;
  return Math.max(0, excess);
}
