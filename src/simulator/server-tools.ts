import { type ApiError, invalidRequest } from "./api-error";
import type { Block } from "./tokens";

/**
 * Claude's server tools that run on Anthropic's side: web search and web fetch.
 * Tool definitions are checked as the API checks them (400 with the field's path), and
 * each model supports the versions the docs list: the 2025 versions on every model that
 * has tools with thinking, the 2026-02-09 (dynamic filtering) versions from Opus/Sonnet
 * 4.6 on, which are exactly the models with adaptive thinking.
 */
export const WEB_SEARCH_VERSIONS = ["web_search_20250305", "web_search_20260209"] as const;
export const WEB_FETCH_VERSIONS = ["web_fetch_20250910", "web_fetch_20260209"] as const;

export interface DomainFilter {
  allowed: string[] | null;
  blocked: string[] | null;
}

export interface UserLocation {
  city?: string;
  region?: string;
  country?: string;
  timezone?: string;
}

export interface SearchTool {
  type: string;
  maxUses: number | null;
  domains: DomainFilter;
  userLocation: UserLocation | null;
}

export interface FetchTool {
  type: string;
  maxUses: number | null;
  domains: DomainFilter;
  citations: boolean;
  maxContentTokens: number | null;
}

export interface ServerTools {
  search: SearchTool | null;
  fetch: FetchTool | null;
}

/**
 * What the tools' versions depend on: the model's thinking generation. A SimModel fits;
 * named here so that this module does not import models.ts, which imports it.
 */
export interface ToolModel {
  thinking: { enabled: boolean; adaptive: boolean };
}

/** Versions of each server tool the model accepts (what GET /v1/models reports too). */
export function serverToolVersions(model: ToolModel): { search: string[]; fetch: string[] } {
  if (model.thinking.adaptive) return { search: [...WEB_SEARCH_VERSIONS], fetch: [...WEB_FETCH_VERSIONS] };
  if (model.thinking.enabled) return { search: [WEB_SEARCH_VERSIONS[0]], fetch: [WEB_FETCH_VERSIONS[0]] };
  return { search: [], fetch: [] };
}

export function isWebToolType(type: unknown): type is string {
  return typeof type === "string" && (type.startsWith("web_search_") || type.startsWith("web_fetch_"));
}

const KNOWN = [...WEB_SEARCH_VERSIONS, ...WEB_FETCH_VERSIONS] as readonly string[];
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/**
 * The tool tags besides the web tools, as a real refusal lists them (sorted, quoted): a
 * Vertex 400 for `web_fetch_20250910` with its `req_vrtx_` request_id, coder/xum#2922.
 * The first-party list is longer (code execution, computer use…); these are the ones seen.
 */
const OTHER_TOOL_TAGS = [
  "bash_20250124", "custom", "memory_20250818", "text_editor_20250124", "text_editor_20250429", "text_editor_20250728",
  "tool_search_tool_bm25", "tool_search_tool_bm25_20251119", "tool_search_tool_regex", "tool_search_tool_regex_20251119",
];

/** Tool tags a platform's schema knows: the first-party API has every web tool version, Bedrock none. */
export function toolTags(platform: "anthropic" | "bedrock"): string[] {
  return (platform === "anthropic" ? [...OTHER_TOOL_TAGS, ...KNOWN] : [...OTHER_TOOL_TAGS]).sort();
}

/** The API's words for a tool `type` its schema does not know (pydantic's tagged-union error). */
export function unknownToolTag(i: number, type: string, tags: string[]): ApiError {
  return invalidRequest(`tools.${i}: Input tag '${type}' found using 'type' does not match any of the expected tags: ${tags.map((t) => `'${t}'`).join(", ")}`);
}

/** Shape checks that need no model (run with the other tool checks, before the model lookup). */
export function validateWebToolShape(tool: Block, i: number): void {
  const type: string = tool.type;
  if (!KNOWN.includes(type)) throw unknownToolTag(i, type, toolTags("anthropic"));
  const path = `tools.${i}.${type}`;
  const name = type.startsWith("web_search_") ? "web_search" : "web_fetch";
  if (tool.name !== name) throw invalidRequest(`${path}.name: Input should be '${name}'`);
  if (tool.max_uses !== undefined && tool.max_uses !== null) {
    if (!isInt(tool.max_uses)) throw invalidRequest(`${path}.max_uses: Input should be a valid integer`);
    if (tool.max_uses <= 0) throw invalidRequest(`${path}.max_uses: Input should be greater than 0`);
  }
  const allowed = tool.allowed_domains;
  const blocked = tool.blocked_domains;
  // Wording unverified (no recorded response found); ours, in the API's style.
  if (allowed != null && blocked != null) throw invalidRequest(`${path}: Only one of allowed_domains or blocked_domains may be set.`);
  validateDomains(allowed, `${path}.allowed_domains`);
  validateDomains(blocked, `${path}.blocked_domains`);
  if (name === "web_search" && tool.user_location != null) validateLocation(tool.user_location, `${path}.user_location`);
  if (name === "web_fetch") {
    if (tool.max_content_tokens != null && (!isInt(tool.max_content_tokens) || tool.max_content_tokens <= 0)) {
      throw invalidRequest(`${path}.max_content_tokens: Input should be greater than 0`);
    }
    if (tool.citations != null && (typeof tool.citations !== "object" || Array.isArray(tool.citations))) {
      throw invalidRequest(`${path}.citations: Input should be a valid dictionary or object to extract fields from`);
    }
  }
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}(:\d+)?(\/.*)?$/;

function validateDomains(list: unknown, path: string): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw invalidRequest(`${path}: Input should be a valid list`);
  if (list.length === 0) throw invalidRequest(`${path}: Empty list of domains is ambiguous. Provide at least one domain or null.`);
  list.forEach((d, j) => {
    if (typeof d !== "string" || d.trim() === "") throw invalidRequest(`${path}.${j}: Input should be a valid string`);
    // Wording unverified (no recorded response found); ours, in the API's style.
    if (/^[a-z]+:\/\//i.test(d)) throw invalidRequest(`${path}.${j}: Domains must not include a scheme; provide a plain hostname like "example.com"`);
    if (IPV4.test(d) || d.startsWith("[")) throw invalidRequest(`${path}.${j}: IP addresses are not supported; provide a plain hostname like "example.com"`);
  });
}

function validateLocation(loc: Block, path: string): void {
  if (typeof loc !== "object" || Array.isArray(loc)) throw invalidRequest(`${path}: Input should be a valid dictionary or object to extract fields from`);
  if (loc.type !== "approximate") throw invalidRequest(`${path}.type: Input should be 'approximate'`);
  for (const field of ["city", "region", "country", "timezone"]) {
    if (loc[field] != null && typeof loc[field] !== "string") throw invalidRequest(`${path}.${field}: Input should be a valid string`);
  }
  if (typeof loc.country === "string" && loc.country.length !== 2) {
    throw invalidRequest(`${path}.country: String should have at most 2 characters`);
  }
}

/** The model's side of the check: a version it does not have is refused with the API's words. */
export function validateWebToolsForModel(tools: unknown, model: ToolModel): void {
  if (!Array.isArray(tools)) return;
  const versions = serverToolVersions(model);
  tools.forEach((tool: Block, i) => {
    if (!isWebToolType(tool?.type)) return;
    const ok = tool.type.startsWith("web_search_") ? versions.search.includes(tool.type) : versions.fetch.includes(tool.type);
    // Wording unverified (no recorded response found); ours, in the API's style.
    if (!ok) throw invalidRequest(`tools.${i}: '${tool.type}' is not supported on this model`);
  });
}

/** The request's server tools, already validated. */
export function serverToolsOf(body: Block): ServerTools {
  const out: ServerTools = { search: null, fetch: null };
  for (const tool of Array.isArray(body.tools) ? body.tools : []) {
    if (!isWebToolType(tool?.type)) continue;
    const domains = { allowed: tool.allowed_domains ?? null, blocked: tool.blocked_domains ?? null };
    const maxUses = tool.max_uses ?? null;
    if (tool.type.startsWith("web_search_")) {
      const loc = tool.user_location;
      out.search = { type: tool.type, maxUses, domains, userLocation: loc ? { city: loc.city, region: loc.region, country: loc.country, timezone: loc.timezone } : null };
    } else {
      out.fetch = { type: tool.type, maxUses, domains, citations: tool.citations?.enabled === true, maxContentTokens: tool.max_content_tokens ?? null };
    }
  }
  return out;
}

/** `example.com` covers its subdomains; `example.com/blog` covers that path and below. */
export function domainMatches(url: string, domain: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const slash = domain.indexOf("/");
  const host = (slash < 0 ? domain : domain.slice(0, slash)).toLowerCase();
  const path = slash < 0 ? "" : domain.slice(slash);
  const h = parsed.hostname.toLowerCase();
  if (h !== host && !h.endsWith(`.${host}`)) return false;
  return path === "" || parsed.pathname.startsWith(path);
}

export function allowedByFilter(url: string, filter: DomainFilter): boolean {
  if (filter.allowed) return filter.allowed.some((d) => domainMatches(url, d));
  if (filter.blocked) return !filter.blocked.some((d) => domainMatches(url, d));
  return true;
}

/** Server tool result blocks carry the answer of a `server_tool_use` in the same assistant turn. */
export const SERVER_RESULT_TYPES = new Set(["web_search_tool_result", "web_fetch_tool_result"]);
