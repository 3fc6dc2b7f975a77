/**
 * Claude's server tool blocks (web search, web fetch) in OpenAI's terms (pure).
 *
 * The server ran these tools itself: they are never client `tool_calls`. Chat completions
 * have no place for them except readable text (search errors) and usage extras; the
 * Responses API has `web_search_call` output items {id, status, action}.
 */
interface BlockLike {
  type: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
}

export interface WebSearchCall {
  type: "web_search_call";
  id: string;
  status: "completed" | "failed";
  action: { type: "search"; query: string; sources?: Array<{ type: "url"; url: string }> } | { type: "open_page"; url: string };
}

/**
 * A block of work Claude's server tools did inside an answer (server_tool_use, and its
 * web_search_tool_result / web_fetch_tool_result): it must go back in the assistant turn,
 * exactly as received, for Claude to see its own searches again.
 */
export function isServerToolBlock(b: { type: string; tool_use_id?: unknown }): boolean {
  return b.type === "server_tool_use" || (b.type !== "tool_result" && b.type.endsWith("_tool_result") && typeof b.tool_use_id === "string");
}

/** Error codes of the search and fetch tools, in words a user reads. */
const ERROR_TEXT: Record<string, string> = {
  max_uses_exceeded: "the search limit for this answer was reached",
  too_many_requests: "the search service is rate limited right now",
  query_too_long: "the search query was too long",
  invalid_tool_input: "the search request was invalid",
  unavailable: "the search service is unavailable",
  request_too_large: "the search request was too large",
  url_too_long: "the address was too long",
  url_not_allowed: "the address is not allowed by this gateway's settings",
  url_not_in_prior_context: "the address did not appear in the conversation",
  url_not_accessible: "the page could not be reached",
  unsupported_content_type: "the page's content type is not supported",
};

/** The error code of a result block, or null when it holds results. */
export function resultError(result: BlockLike | undefined): string | null {
  const c = result?.content as { error_code?: unknown } | undefined;
  return c && !Array.isArray(c) && typeof c.error_code === "string" ? c.error_code : null;
}

/** A failed search or fetch as a line of text: Claude usually words it itself, this is for when it does not. */
export function serverToolErrorText(use: BlockLike | undefined, code: string): string {
  const input = (use?.input ?? {}) as { query?: unknown; url?: unknown };
  const what = use?.name === "web_fetch" ? `Fetching ${String(input.url ?? "the page")}` : `The web search${typeof input.query === "string" ? ` for “${input.query}”` : ""}`;
  return `${what} failed: ${ERROR_TEXT[code] ?? code} (${code}).`;
}

function sources(result: BlockLike | undefined): Array<{ type: "url"; url: string }> {
  const c = result?.content;
  if (!Array.isArray(c)) return [];
  return c.filter((r: any) => typeof r?.url === "string").map((r: any) => ({ type: "url" as const, url: r.url }));
}

/** `srvtoolu_01abc` → `ws_01abc`: OpenAI's id prefix, the same id on every rendering of the answer. */
export function webSearchCallId(useId: string): string {
  return `ws_${useId.replace(/^srvtoolu_/, "")}`;
}

/** The Responses API's `web_search_call` items, one per server tool use that has its result. */
export function webSearchCalls(blocks: readonly BlockLike[]): Array<{ position: number; item: WebSearchCall }> {
  const results = new Map<string, BlockLike>();
  for (const b of blocks) if (typeof b.tool_use_id === "string" && b.type !== "tool_result") results.set(b.tool_use_id, b);
  const out: Array<{ position: number; item: WebSearchCall }> = [];
  blocks.forEach((b, position) => {
    if (b.type !== "server_tool_use" || (b.name !== "web_search" && b.name !== "web_fetch") || !b.id) return;
    const result = results.get(b.id);
    const input = (b.input ?? {}) as { query?: unknown; url?: unknown };
    const status = result === undefined || resultError(result) !== null ? "failed" : "completed";
    const action: WebSearchCall["action"] = b.name === "web_fetch"
      ? { type: "open_page", url: String(input.url ?? "") }
      : { type: "search", query: String(input.query ?? ""), ...(status === "completed" ? { sources: sources(result) } : {}) };
    out.push({ position, item: { type: "web_search_call", id: webSearchCallId(b.id), status, action } });
  });
  return out;
}

/** usage.server_tool_use, passed on as extra usage fields (zero counts are omitted). */
export function serverToolUsage(usage: { server_tool_use?: { web_search_requests?: number | null; web_fetch_requests?: number | null } | null } | null | undefined):
  { server_tool_use: { web_search_requests: number; web_fetch_requests: number } } | Record<string, never> {
  const s = usage?.server_tool_use;
  const search = s?.web_search_requests ?? 0;
  const fetch = s?.web_fetch_requests ?? 0;
  return search > 0 || fetch > 0 ? { server_tool_use: { web_search_requests: search, web_fetch_requests: fetch } } : {};
}
