import { GatewayError, invalidRequest } from "../errors";
import type { ModelProfile } from "../models/profile";

/**
 * Which of Claude's server tools a request gets (pure): web search when the client asked
 * for it, in any of the three ways in, and web fetch alongside it when the operator turned
 * it on. The operator's settings bound what a client may ask.
 *
 * `search_context_size` → `max_uses` (searches Claude may run for one answer), as LiteLLM
 * and new-api map it: low 1, medium 5 (also the default), high 10; WEB_SEARCH_MAX_USES caps it.
 * Domain lists: Claude takes allowed or blocked domains, never both. The operator's allowed
 * list bounds a client's (`filters.allowed_domains` on /v1/responses); an operator's blocked
 * domain is taken out of an allowed list; with no allowed list, the blocked list is sent.
 */
export type SearchContextSize = "low" | "medium" | "high";

export const MAX_USES_FOR_SIZE: Record<SearchContextSize, number> = { low: 1, medium: 5, high: 10 };

export interface SearchAsk {
  /** Where the ask came from, for error messages: `web_search_options`, `model`, `tools[2]`. */
  param: string;
  contextSize?: SearchContextSize | null;
  userLocation?: { city?: string | null; region?: string | null; country?: string | null; timezone?: string | null } | null;
  allowedDomains?: readonly string[] | null;
}

export interface WebToolSettings {
  WEB_SEARCH: boolean;
  WEB_FETCH: boolean;
  WEB_SEARCH_ALLOWED_DOMAINS: readonly string[];
  WEB_SEARCH_BLOCKED_DOMAINS: readonly string[];
  WEB_SEARCH_MAX_USES: number;
}

export type ServerToolDefinition = Record<string, unknown> & { type: string; name: "web_search" | "web_fetch" };

/** The tool definitions to add to the Messages request; [] when nothing was asked. */
export function planWebTools(ask: SearchAsk | null, profile: ModelProfile, settings: WebToolSettings): ServerToolDefinition[] {
  if (!ask) return [];
  if (!settings.WEB_SEARCH) {
    throw new GatewayError(400, `Web search is turned off on this gateway (WEB_SEARCH=off), so \`${ask.param}\` cannot be served. Ask without it, or ask the operator to set WEB_SEARCH=on.`, "invalid_request_error", ask.param, "web_search_disabled");
  }
  if (!profile.webSearch) {
    throw new GatewayError(400, `The model \`${profile.id}\` has no web search (its capabilities say so), so \`${ask.param}\` cannot be served. GET /v1/models lists the \`-search\` variants of the models that have it.`, "invalid_request_error", ask.param, "web_search_unsupported");
  }
  const cap = settings.WEB_SEARCH_MAX_USES;
  const wanted = MAX_USES_FOR_SIZE[ask.contextSize ?? "medium"];
  const maxUses = cap > 0 ? Math.min(cap, wanted) : wanted;
  const domains = domainFilter(ask, settings);
  const search: ServerToolDefinition = { type: profile.webSearch, name: "web_search", max_uses: maxUses, ...domains };
  const location = userLocation(ask);
  if (location) search.user_location = location;
  const tools = [search];
  if (settings.WEB_FETCH && profile.webFetch) {
    // Fetch follows the operator's lists only; a client's search filter is about results.
    const fetchDomains = domainFilter({ param: ask.param }, settings);
    tools.push({ type: profile.webFetch, name: "web_fetch", max_uses: maxUses, ...fetchDomains, citations: { enabled: true } });
  }
  return tools;
}

/** `example.com` covers its subdomains; `example.com/docs` that path and below (Claude's own rule). */
export function domainCovers(outer: string, inner: string): boolean {
  const [oHost = "", ...oPath] = outer.toLowerCase().split("/");
  const [iHost = "", ...iPath] = inner.toLowerCase().split("/");
  if (iHost !== oHost && !iHost.endsWith(`.${oHost}`)) return false;
  const op = oPath.join("/");
  return op === "" || iPath.join("/").startsWith(op);
}

function cleanDomain(d: string): string {
  return d.trim().replace(/^[a-z]+:\/\//i, "").replace(/\/+$/, "");
}

function domainFilter(ask: SearchAsk, s: WebToolSettings): { allowed_domains?: string[]; blocked_domains?: string[] } {
  const operatorAllowed = s.WEB_SEARCH_ALLOWED_DOMAINS.map(cleanDomain).filter(Boolean);
  const blocked = s.WEB_SEARCH_BLOCKED_DOMAINS.map(cleanDomain).filter(Boolean);
  let allowed = operatorAllowed;
  if (ask.allowedDomains && ask.allowedDomains.length > 0) {
    const asked = ask.allowedDomains.map(cleanDomain).filter(Boolean);
    allowed = operatorAllowed.length === 0 ? asked : asked.filter((d) => operatorAllowed.some((o) => domainCovers(o, d)));
    if (allowed.length === 0) {
      throw invalidRequest(`${ask.param}: none of the allowed domains (${asked.join(", ")}) is permitted by this gateway (WEB_SEARCH_ALLOWED_DOMAINS).`, ask.param, "web_search_domain_not_allowed");
    }
  }
  if (allowed.length > 0) {
    const kept = allowed.filter((d) => !blocked.some((b) => domainCovers(b, d)));
    if (kept.length === 0) {
      throw invalidRequest(`${ask.param}: every allowed domain is blocked by this gateway (WEB_SEARCH_BLOCKED_DOMAINS).`, ask.param, "web_search_domain_not_allowed");
    }
    return { allowed_domains: [...new Set(kept)] };
  }
  return blocked.length > 0 ? { blocked_domains: [...new Set(blocked)] } : {};
}

function userLocation(ask: SearchAsk): Record<string, string> | undefined {
  const loc = ask.userLocation;
  if (!loc) return undefined;
  const out: Record<string, string> = { type: "approximate" };
  for (const field of ["city", "region", "country", "timezone"] as const) {
    const v = loc[field];
    if (typeof v === "string" && v.trim() !== "") out[field] = v.trim();
  }
  if (out.country !== undefined && !/^[A-Za-z]{2}$/.test(out.country)) {
    throw invalidRequest(`${ask.param}: user_location country must be a two-letter ISO country code (e.g. "US"), got ${JSON.stringify(out.country)}.`, ask.param, "invalid_value");
  }
  if (out.country) out.country = out.country.toUpperCase();
  return Object.keys(out).length > 1 ? out : undefined;
}
