import { base62 } from "./ids";
import { blocksOf, thinkingOn } from "./request-context";
import { allowedByFilter, SERVER_RESULT_TYPES, serverToolsOf, type DomainFilter, type FetchTool, type SearchTool, type UserLocation } from "./server-tools";
import type { Block } from "./tokens";

/**
 * The mini model's turn when web search or web fetch is offered: it searches for each
 * question in the user's last message and fetches each URL in it, then answers with text
 * blocks that cite the results (`web_search_result_location`), as the real API does.
 * Everything is deterministic: the "web" is a fixed set of sites that every query maps onto,
 * so tests can assert urls, titles and cited text.
 *
 * Behaviour a test can rely on:
 * - one search per sentence ending in "?" (else one for the whole text), one fetch per URL;
 * - `max_uses` exceeded → a `web_search_tool_result` error with `max_uses_exceeded`;
 * - after PAUSE_AFTER server tool calls in one response the turn stops with `pause_turn`; sending
 *   the assistant content back as the last message continues it where it stopped;
 * - queued errors (`ClaudeSimulator.serverToolError`) answer the next searches/fetches;
 * - domain filters apply to results (allowed domains with no match yield results on those domains).
 */
export const PAUSE_AFTER = 3;
export const QUERY_LIMIT = 200;

export interface WebTurn {
  content: Block[];
  stopReason: "end_turn" | "pause_turn";
  usage: { web_search_requests: number; web_fetch_requests: number };
}

interface Result {
  url: string;
  title: string;
  snippet: string;
}

interface Outcome {
  kind: "search" | "fetch";
  subject: string;
  results: Result[];
  error: string | null;
}

export type ErrorQueue = string[];

const newServerToolId = (): string => `srvtoolu_01${base62(22)}`;

function textOf(blocks: Block[]): string {
  return blocks.filter((b) => b?.type === "text").map((b) => String(b.text)).join("\n");
}

export function searchQueries(text: string): string[] {
  const questions = (text.match(/[^?.!\n]*\?/g) ?? []).map((q) => q.trim()).filter((q) => q.length > 1);
  const list = questions.length > 0 ? questions : [text.trim().split("\n")[0] ?? ""];
  return list.filter((q) => q !== "").map((q) => (q.length > QUERY_LIMIT ? q.slice(0, QUERY_LIMIT) : q));
}

export function urlsIn(text: string): string[] {
  return [...new Set((text.match(/https?:\/\/[^\s<>"')\]]+/g) ?? []).map((u) => u.replace(/[.,;:!?]+$/, "")))];
}

const SITES = [
  { host: "en.wikipedia.org", path: (s: string) => `/wiki/${s}`, title: (q: string) => `${q} - Wikipedia`, pageAge: null },
  { host: "www.reuters.com", path: (s: string) => `/world/${s}`, title: (q: string) => `${q} | Reuters`, pageAge: "2 days ago" },
  { host: "docs.example.org", path: (s: string) => `/articles/${s}`, title: (q: string) => `${q}: an overview`, pageAge: null },
  { host: "news.example.com", path: (s: string) => `/${s}`, title: (q: string) => `Latest on ${q}`, pageAge: "March 3, 2026" },
  { host: "blog.example.net", path: (s: string) => `/posts/${s}`, title: (q: string) => `What we learned about ${q}`, pageAge: null },
];

function slug(q: string): string {
  return q.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "query";
}

function subject(q: string): string {
  return q.replace(/\?+$/, "").trim();
}

/** The simulated web: the same query always finds the same pages. */
export function search(query: string, filter: DomainFilter, location: UserLocation | null): Result[] {
  const s = slug(query);
  const topic = subject(query);
  const near = location?.city ? ` Local results for ${location.city}${location.country ? `, ${location.country}` : ""}.` : "";
  let results: Result[] = SITES.map((site) => ({
    url: `https://${site.host}${site.path(s)}`,
    title: site.title(topic),
    snippet: `${site.host} reports on ${topic}: this is a simulated page with facts about it.${near}`,
  })).filter((r) => allowedByFilter(r.url, filter));
  if (results.length === 0 && filter.allowed) {
    // Only the allowed sites may answer: the simulated web has a page about everything on each of them.
    results = filter.allowed.map((d) => {
      const base = d.includes("/") ? `https://${d.replace(/\/$/, "")}/` : `https://${d}/`;
      return { url: `${base}${s}`, title: `${topic} on ${d}`, snippet: `${d} writes about ${topic}: a simulated page.${near}` };
    });
  }
  return results;
}

function pageAge(url: string): string | null {
  const host = new URL(url).hostname;
  return SITES.find((s) => s.host === host)?.pageAge ?? null;
}

// The "encrypted" fields are opaque to clients; here they carry what the simulator needs to
// cite a result again when it comes back in the history (a continued or follow-up turn).
const seal = (prefix: string, value: unknown): string => prefix + btoa(unescape(encodeURIComponent(JSON.stringify(value))));
function unseal(value: unknown): any {
  if (typeof value !== "string" || value.length < 3) return null;
  try {
    return JSON.parse(decodeURIComponent(escape(atob(value.slice(2)))));
  } catch {
    return null;
  }
}

function searchResultBlock(id: string, outcome: Outcome): Block {
  if (outcome.error) return { type: "web_search_tool_result", tool_use_id: id, content: { type: "web_search_tool_result_error", error_code: outcome.error } };
  return {
    type: "web_search_tool_result",
    tool_use_id: id,
    content: outcome.results.map((r) => ({
      type: "web_search_result",
      title: r.title,
      url: r.url,
      encrypted_content: seal("Es", r),
      page_age: pageAge(r.url),
    })),
  };
}

function fetchResultBlock(id: string, outcome: Outcome, tool: FetchTool): Block {
  if (outcome.error) return { type: "web_fetch_tool_result", tool_use_id: id, content: { type: "web_fetch_tool_result_error", error_code: outcome.error } };
  const page = outcome.results[0]!;
  return {
    type: "web_fetch_tool_result",
    tool_use_id: id,
    content: {
      type: "web_fetch_result",
      url: page.url,
      retrieved_at: "2026-12-03T08:00:00Z",
      content: {
        type: "document",
        source: { type: "text", media_type: "text/plain", data: page.snippet },
        title: page.title,
        ...(tool.citations ? { citations: { enabled: true } } : {}),
      },
    },
  };
}

/** What an earlier (paused) part of this turn already did, read back from the echoed blocks. */
function priorOutcomes(blocks: Block[]): Outcome[] {
  const uses = new Map<string, Block>();
  for (const b of blocks) if (b?.type === "server_tool_use") uses.set(b.id, b);
  const out: Outcome[] = [];
  for (const b of blocks) {
    if (!SERVER_RESULT_TYPES.has(b?.type)) continue;
    const use = uses.get(b.tool_use_id);
    const kind = b.type === "web_search_tool_result" ? "search" : "fetch";
    const subjectText = String(kind === "search" ? use?.input?.query ?? "" : use?.input?.url ?? "");
    const c = b.content;
    if (c && !Array.isArray(c) && typeof c.error_code === "string") {
      out.push({ kind, subject: subjectText, results: [], error: c.error_code });
    } else if (kind === "search") {
      const results = (Array.isArray(c) ? c : []).map((r: Block) => unseal(r?.encrypted_content)).filter((r: Result | null): r is Result => !!r?.url);
      out.push({ kind, subject: subjectText, results, error: null });
    } else {
      const doc = c?.content;
      out.push({ kind, subject: subjectText, results: [{ url: String(c?.url ?? subjectText), title: String(doc?.title ?? subjectText), snippet: String(doc?.source?.data ?? "") }], error: null });
    }
  }
  return out;
}

function fetchPage(url: string, tool: FetchTool): Outcome {
  if (url.length > 250) return { kind: "fetch", subject: url, results: [], error: "url_too_long" };
  if (!allowedByFilter(url, tool.domains)) return { kind: "fetch", subject: url, results: [], error: "url_not_allowed" };
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return { kind: "fetch", subject: url, results: [], error: "invalid_tool_input" };
  }
  // Reserved names never resolve (RFC 6761): the simulated fetch fails on them as a real one would.
  if (host.endsWith(".invalid") || host === "localhost") return { kind: "fetch", subject: url, results: [], error: "url_not_accessible" };
  return { kind: "fetch", subject: url, results: [{ url, title: `Page at ${host}`, snippet: `The page ${url} says: this is simulated content fetched from ${host}.` }], error: null };
}

/**
 * The turn, or null when the server tools have nothing to do (none offered, tool_choice
 * none, or the user's last message answers client tool calls).
 */
export function webTurn(body: Block, errors: ErrorQueue): WebTurn | null {
  const tools = serverToolsOf(body);
  if ((!tools.search && !tools.fetch) || body.tool_choice?.type === "none") return null;
  const messages: Block[] = body.messages;
  const last = messages[messages.length - 1];
  const trailing = last?.role === "assistant" ? blocksOf(last) : [];
  const continuing = trailing.length > 0 && SERVER_RESULT_TYPES.has(trailing[trailing.length - 1]?.type);
  if (last?.role === "assistant" && !continuing) return null;
  const user = [...messages].reverse().find((m) => m?.role === "user");
  const userBlocks = blocksOf(user);
  if (userBlocks.some((b) => b?.type === "tool_result")) return null;
  const text = textOf(userBlocks);

  const wanted: Array<{ kind: "search" | "fetch"; subject: string }> = [
    ...(tools.fetch ? urlsIn(text).map((u) => ({ kind: "fetch" as const, subject: u })) : []),
    ...(tools.search && text.trim() !== "" ? searchQueries(text).map((q) => ({ kind: "search" as const, subject: q })) : []),
  ];
  if (wanted.length === 0) return null;

  const prior = continuing ? priorOutcomes(trailing) : [];
  const pending = wanted.filter((w) => !prior.some((p) => p.kind === w.kind && p.subject === w.subject));
  const content: Block[] = [];
  if (!continuing && thinkingOn(body)) {
    content.push({ type: "thinking", thinking: `The user asked: “${text.slice(0, QUERY_LIMIT)}”. I'll look that up on the web.` });
  }
  const usage = { web_search_requests: 0, web_fetch_requests: 0 };
  const outcomes: Outcome[] = [];
  let calls = 0;
  for (const w of pending) {
    if (calls === PAUSE_AFTER) return { content, stopReason: "pause_turn", usage };
    calls++;
    const id = newServerToolId();
    if (w.kind === "search") {
      const tool = tools.search as SearchTool;
      content.push({ type: "server_tool_use", id, name: "web_search", input: { query: w.subject } });
      let outcome: Outcome;
      const queued = tool.maxUses !== null && usage.web_search_requests >= tool.maxUses ? "max_uses_exceeded" : errors.shift();
      if (queued) outcome = { kind: "search", subject: w.subject, results: [], error: queued };
      else {
        usage.web_search_requests++;
        outcome = { kind: "search", subject: w.subject, results: search(w.subject, tool.domains, tool.userLocation), error: null };
      }
      outcomes.push(outcome);
      content.push(searchResultBlock(id, outcome));
    } else {
      const tool = tools.fetch as FetchTool;
      content.push({ type: "server_tool_use", id, name: "web_fetch", input: { url: w.subject } });
      let outcome: Outcome;
      const queued = tool.maxUses !== null && usage.web_fetch_requests >= tool.maxUses ? "max_uses_exceeded" : errors.shift();
      if (queued) outcome = { kind: "fetch", subject: w.subject, results: [], error: queued };
      else {
        outcome = fetchPage(w.subject, tool);
        if (!outcome.error) usage.web_fetch_requests++;
      }
      outcomes.push(outcome);
      content.push(fetchResultBlock(id, outcome, tool));
    }
  }
  content.push(...answer([...prior, ...outcomes], tools.fetch?.citations === true));
  return { content, stopReason: "end_turn", usage };
}

/** Plain text blocks around cited ones, as Claude writes them (the recorded stream's pattern). */
function answer(outcomes: Outcome[], fetchCitations: boolean): Block[] {
  const blocks: Block[] = [];
  let documentIndex = 0;
  outcomes.forEach((o, n) => {
    const lead = n === 0 ? "" : "\n\n";
    if (o.error) {
      blocks.push({ type: "text", text: `${lead}The ${o.kind === "search" ? `web search for “${subject(o.subject)}”` : `fetch of ${o.subject}`} did not work (${o.error}), so I cannot tell you about it.` });
      return;
    }
    if (o.kind === "fetch") {
      const page = o.results[0]!;
      blocks.push({ type: "text", text: `${lead}From ${page.url}:\n` });
      if (fetchCitations) {
        blocks.push({ type: "text", text: page.snippet, citations: [{ type: "char_location", cited_text: page.snippet, document_index: documentIndex, document_title: page.title, start_char_index: 0, end_char_index: page.snippet.length }] });
      } else blocks.push({ type: "text", text: page.snippet });
      documentIndex++;
      return;
    }
    if (o.results.length === 0) {
      blocks.push({ type: "text", text: `${lead}I found nothing about “${subject(o.subject)}”.` });
      return;
    }
    blocks.push({ type: "text", text: `${lead}Here is what I found about “${subject(o.subject)}”:\n- ` });
    o.results.slice(0, 2).forEach((r, k) => {
      if (k > 0) blocks.push({ type: "text", text: "\n- " });
      blocks.push({
        type: "text",
        text: r.snippet,
        citations: [{ type: "web_search_result_location", cited_text: r.snippet, url: r.url, title: r.title, encrypted_index: seal("Eo", { u: r.url, k }) }],
      });
    });
  });
  return blocks;
}
