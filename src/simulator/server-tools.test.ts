import { describe, expect, inject, it } from "vitest";
import { ClaudeSimulator } from "./index";
import { assemble, KEY, messagesRequest, parseSse, send } from "./test-support";

const SEARCH = { type: "web_search_20250305", name: "web_search" };
const FETCH = { type: "web_fetch_20250910", name: "web_fetch" };

function ask(text: string, tools: unknown[], extra: Record<string, unknown> = {}) {
  return { model: "claude-sonnet-4-5", max_tokens: 2048, tools, messages: [{ role: "user", content: text }], ...extra };
}

const types = (content: any[]) => content.map((b) => b.type);

describe("web search (server tool)", () => {
  it("searches, returns result blocks and cites them, with usage.server_tool_use", async () => {
    const sim = new ClaudeSimulator();
    const { status, json } = await send(sim, ask("What is the tallest mountain?", [SEARCH]));
    expect(status).toBe(200);
    expect(json.stop_reason).toBe("end_turn");
    const [use, result] = json.content;
    expect(use).toMatchObject({ type: "server_tool_use", name: "web_search", input: { query: "What is the tallest mountain?" } });
    expect(use.id).toMatch(/^srvtoolu_01/);
    expect(result.type).toBe("web_search_tool_result");
    expect(result.tool_use_id).toBe(use.id);
    expect(result.content.length).toBeGreaterThan(1);
    for (const r of result.content) {
      expect(r).toMatchObject({ type: "web_search_result", url: expect.stringMatching(/^https:\/\//), title: expect.any(String), encrypted_content: expect.any(String) });
      expect("page_age" in r).toBe(true);
    }
    const cited = json.content.filter((b: any) => b.citations?.length);
    expect(cited.length).toBe(2);
    const c = cited[0].citations[0];
    expect(c).toMatchObject({ type: "web_search_result_location", url: result.content[0].url, title: result.content[0].title, cited_text: cited[0].text });
    expect(typeof c.encrypted_index).toBe("string");
    expect(json.usage.server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 0 });
  });

  it("streams as recorded: input_json_delta for the query, result whole, citations_delta before the cited text", async () => {
    const sim = new ClaudeSimulator();
    const res = await sim.fetch(messagesRequest(ask("Who won the match?", [SEARCH], { stream: true })));
    const events = parseSse(await res.text());
    const start = events.find((e) => e.data.type === "content_block_start" && e.data.content_block.type === "server_tool_use")!;
    expect(start.data.content_block.input).toEqual({});
    const citedStart = events.findIndex((e) => e.data.type === "content_block_start" && e.data.content_block.citations);
    expect(events[citedStart]!.data.content_block).toEqual({ citations: [], type: "text", text: "" });
    expect(events[citedStart + 1]!.data.delta.type).toBe("citations_delta");
    expect(events[citedStart + 2]!.data.delta.type).toBe("text_delta");
    const delta = events.find((e) => e.data.type === "message_delta")!;
    expect(delta.data.usage.server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 0 });
    expect(events[0]!.data.message.usage.server_tool_use).toBeUndefined();
    const message = assemble(events);
    const direct = await send(sim, ask("Who won the match?", [SEARCH]));
    expect(types(message.content)).toEqual(types(direct.json.content));
    expect(message.content[0].input).toEqual({ query: "Who won the match?" });
  });

  it("max_uses: searches beyond it come back as max_uses_exceeded results", async () => {
    const sim = new ClaudeSimulator();
    const { json } = await send(sim, ask("Who is A? Who is B?", [{ ...SEARCH, max_uses: 1 }]));
    const results = json.content.filter((b: any) => b.type === "web_search_tool_result");
    expect(results).toHaveLength(2);
    expect(Array.isArray(results[0].content)).toBe(true);
    expect(results[1].content).toEqual({ type: "web_search_tool_result_error", error_code: "max_uses_exceeded" });
    expect(json.usage.server_tool_use.web_search_requests).toBe(1);
    expect(json.content.some((b: any) => b.type === "text" && b.text.includes("max_uses_exceeded"))).toBe(true);
  });

  it("queued tool errors answer inside a 200 (too_many_requests, query_too_long)", async () => {
    const sim = new ClaudeSimulator();
    sim.serverToolError("too_many_requests");
    const first = await send(sim, ask("Weather in Oslo?", [SEARCH]));
    expect(first.status).toBe(200);
    expect(first.json.content[1].content).toEqual({ type: "web_search_tool_result_error", error_code: "too_many_requests" });
    expect(first.json.usage.server_tool_use.web_search_requests).toBe(0);
    sim.serverToolError("query_too_long");
    const second = await send(sim, ask("Weather in Oslo?", [SEARCH]));
    expect(second.json.content[1].content.error_code).toBe("query_too_long");
    const third = await send(sim, ask("Weather in Oslo?", [SEARCH]));
    expect(Array.isArray(third.json.content[1].content)).toBe(true);
  });

  it("domain filters: allowed keeps only those sites, blocked removes them", async () => {
    const sim = new ClaudeSimulator();
    const allowed = await send(sim, ask("Rust async?", [{ ...SEARCH, allowed_domains: ["docs.rs"] }]));
    const urls = allowed.json.content[1].content.map((r: any) => r.url);
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(new URL(u).hostname).toBe("docs.rs");
    const blocked = await send(sim, ask("Rust async?", [{ ...SEARCH, blocked_domains: ["wikipedia.org"] }]));
    const hosts = blocked.json.content[1].content.map((r: any) => new URL(r.url).hostname);
    expect(hosts.length).toBeGreaterThan(0);
    expect(hosts.some((h: string) => h.endsWith("wikipedia.org"))).toBe(false);
  });

  it("user_location shapes the results", async () => {
    const sim = new ClaudeSimulator();
    const loc = { type: "approximate", city: "Lyon", country: "FR", timezone: "Europe/Paris" };
    const { json } = await send(sim, ask("Good bakeries?", [{ ...SEARCH, user_location: loc }]));
    expect(json.content.find((b: any) => b.citations)?.text).toContain("Lyon, FR");
  });

  it("pause_turn after three server tool calls; sending the content back continues the turn", async () => {
    const sim = new ClaudeSimulator();
    const body = ask("A? B? C? D?", [SEARCH], { model: "claude-sonnet-4-6" });
    const first = await send(sim, body);
    expect(first.json.stop_reason).toBe("pause_turn");
    expect(first.json.content.filter((b: any) => b.type === "server_tool_use")).toHaveLength(3);
    const second = await send(sim, { ...body, messages: [...body.messages, { role: "assistant", content: first.json.content }] });
    expect(second.status).toBe(200);
    expect(second.json.stop_reason).toBe("end_turn");
    const uses = second.json.content.filter((b: any) => b.type === "server_tool_use");
    expect(uses.map((u: any) => u.input.query)).toEqual(["D?"]);
    // The answer covers all four searches, the earlier ones read back from the history.
    const text = second.json.content.filter((b: any) => b.type === "text").map((b: any) => b.text).join("");
    for (const q of ["“A”", "“B”", "“C”", "“D”"]) expect(text).toContain(q);
  });

  it("a client tool named in the same message is still called after the search", async () => {
    const sim = new ClaudeSimulator();
    const weather = { name: "get_weather", description: "weather", input_schema: { type: "object", properties: { city: { type: "string" } } } };
    const { json } = await send(sim, ask("Search the news and use get_weather for Oslo", [SEARCH, weather]));
    expect(json.stop_reason).toBe("tool_use");
    expect(types(json.content)[0]).toBe("server_tool_use");
    expect(types(json.content).at(-1)).toBe("tool_use");
  });

  it("400s for invalid definitions, with the API's words", async () => {
    const sim = new ClaudeSimulator();
    const cases: Array<[unknown, string]> = [
      [{ ...SEARCH, allowed_domains: ["a.com"], blocked_domains: ["b.com"] }, "tools.0.web_search_20250305: Only one of allowed_domains or blocked_domains may be set."],
      [{ ...SEARCH, blocked_domains: [] }, "tools.0.web_search_20250305.blocked_domains: Empty list of domains is ambiguous. Provide at least one domain or null."],
      [{ ...SEARCH, allowed_domains: ["10.0.0.1"] }, 'tools.0.web_search_20250305.allowed_domains.0: IP addresses are not supported; provide a plain hostname like "example.com"'],
      [{ ...SEARCH, max_uses: 0 }, "tools.0.web_search_20250305.max_uses: Input should be greater than 0"],
      [{ ...SEARCH, name: "search" }, "tools.0.web_search_20250305.name: Input should be 'web_search'"],
      // Sorted tags, as in a recorded refusal (coder/xum#2922); ours lists the tags the simulator knows.
      [{ type: "web_search_20990101", name: "web_search" }, "tools.0: Input tag 'web_search_20990101' found using 'type' does not match any of the expected tags: 'bash_20250124', 'custom', 'memory_20250818', 'text_editor_20250124', 'text_editor_20250429', 'text_editor_20250728', 'tool_search_tool_bm25', 'tool_search_tool_bm25_20251119', 'tool_search_tool_regex', 'tool_search_tool_regex_20251119', 'web_fetch_20250910', 'web_fetch_20260209', 'web_search_20250305', 'web_search_20260209'"],
      [{ type: "web_search_20260209", name: "web_search" }, "tools.0: 'web_search_20260209' is not supported on this model"],
      [{ ...SEARCH, user_location: { type: "exact" } }, "tools.0.web_search_20250305.user_location.type: Input should be 'approximate'"],
    ];
    for (const [tool, message] of cases) {
      const { status, json } = await send(sim, ask("hi", [tool]));
      expect(status, message).toBe(400);
      expect(json.error.type).toBe("invalid_request_error");
      expect(json.error.message).toContain(message);
    }
    const haiku3 = await send(sim, ask("hi", [SEARCH], { model: "claude-3-haiku-20240307" }));
    expect(haiku3.json.error.message).toBe("tools.0: 'web_search_20250305' is not supported on this model");
    const newest = await send(sim, ask("hi", [{ type: "web_search_20260209", name: "web_search" }], { model: "claude-opus-4-8" }));
    expect(newest.status).toBe(200);
  });

  it("models report web_search and web_fetch support in capabilities", async () => {
    const sim = new ClaudeSimulator();
    const res = await sim.fetch(new Request("https://api.anthropic.com/v1/models/claude-3-haiku-20240307", { headers: { "x-api-key": KEY, "anthropic-version": "2023-06-01" } }));
    const info: any = await res.json();
    expect(info.capabilities.server_tools.web_search.supported).toBe(false);
    const res2 = await sim.fetch(new Request("https://api.anthropic.com/v1/models/claude-sonnet-4-5", { headers: { "x-api-key": KEY, "anthropic-version": "2023-06-01" } }));
    expect(((await res2.json()) as any).capabilities.server_tools).toMatchObject({ web_search: { supported: true }, web_fetch: { supported: true } });
  });

  it("history: search blocks echoed in an earlier assistant turn are accepted; a use without its result is a 400", async () => {
    const sim = new ClaudeSimulator();
    const first = await send(sim, ask("What is new in Rust?", [SEARCH]));
    const follow = { ...ask("And in Go?", [SEARCH]), messages: [
      { role: "user", content: "What is new in Rust?" },
      { role: "assistant", content: first.json.content },
      { role: "user", content: "And in Go?" },
    ] };
    expect((await send(sim, follow)).status).toBe(200);
    const broken = structuredClone(follow);
    (broken.messages[1] as any).content = first.json.content.filter((b: any) => b.type !== "web_search_tool_result");
    const bad = await send(sim, broken);
    expect(bad.status).toBe(400);
    const useId = first.json.content.find((b: any) => b.type === "server_tool_use").id;
    expect(bad.json.error.message).toBe(
      `messages.1: \`server_tool_use\` ids were found without corresponding result blocks: ${useId}. Each \`server_tool_use\` block must have a corresponding result block (such as \`web_search_tool_result\`) after it in the same message.`,
    );
  });

  it("history: a result without its server_tool_use before it is a 400 in the API's words", async () => {
    const sim = new ClaudeSimulator();
    const first = await send(sim, ask("What is new in Rust?", [SEARCH]));
    const orphan = first.json.content.filter((b: any) => b.type !== "server_tool_use");
    const index = orphan.findIndex((b: any) => b.type === "web_search_tool_result");
    const bad = await send(sim, { ...ask("And in Go?", [SEARCH]), messages: [
      { role: "user", content: "What is new in Rust?" },
      { role: "assistant", content: orphan },
      { role: "user", content: "And in Go?" },
    ] });
    expect(bad.status).toBe(400);
    // The template recorded for `advisor_tool_result` (anthropics/claude-code#64383, #66944).
    expect(bad.json.error.message).toBe(
      `messages.1.content.${index}: unexpected \`tool_use_id\` found in \`web_search_tool_result\` blocks: ${orphan[index].tool_use_id}. Each \`web_search_tool_result\` block must have a corresponding \`server_tool_use\` block before it.`,
    );
  });
});

describe("web fetch (server tool)", () => {
  it("fetches a URL from the message; errors for unreachable and disallowed URLs", async () => {
    const sim = new ClaudeSimulator();
    const { json } = await send(sim, ask("Summarise https://example.com/post and https://down.invalid/x", [{ ...FETCH, citations: { enabled: true } }]));
    const results = json.content.filter((b: any) => b.type === "web_fetch_tool_result");
    expect(results[0].content).toMatchObject({ type: "web_fetch_result", url: "https://example.com/post", content: { type: "document", source: { type: "text" }, citations: { enabled: true } } });
    expect(results[1].content).toEqual({ type: "web_fetch_tool_result_error", error_code: "url_not_accessible" });
    expect(json.usage.server_tool_use).toEqual({ web_search_requests: 0, web_fetch_requests: 1 });
    expect(json.content.find((b: any) => b.citations)?.citations[0]).toMatchObject({ type: "char_location", document_index: 0 });
    const blocked = await send(sim, ask("Read https://example.com/post", [{ ...FETCH, blocked_domains: ["example.com"] }]));
    expect(blocked.json.content[1].content.error_code).toBe("url_not_allowed");
  });
});

describe("document citations", () => {
  it("char_location for text, page_location for PDF, content_block_location for custom content", async () => {
    const sim = new ClaudeSimulator();
    const pdf = btoa("%PDF-1.7\nBT (Revenue grew by 12 percent.) Tj ET");
    const { json } = await send(sim, {
      model: "claude-sonnet-4-5", max_tokens: 1024,
      messages: [{ role: "user", content: [
        { type: "document", title: "Notes", source: { type: "text", media_type: "text/plain", data: "  The sky is blue. Grass is green." }, citations: { enabled: true } },
        { type: "document", source: { type: "base64", media_type: "application/pdf", data: pdf }, citations: { enabled: true } },
        { type: "document", source: { type: "content", content: [{ type: "text", text: "First block." }] }, citations: { enabled: true } },
        { type: "document", source: { type: "text", media_type: "text/plain", data: "uncited" } },
        { type: "text", text: "Summarise" },
      ] }],
    });
    const citations = json.content.flatMap((b: any) => b.citations ?? []);
    expect(citations).toEqual([
      { type: "char_location", cited_text: "The sky is blue.", document_index: 0, document_title: "Notes", start_char_index: 2, end_char_index: 18 },
      { type: "page_location", cited_text: "Revenue grew by 12 percent.", document_index: 1, document_title: null, start_page_number: 1, end_page_number: 2 },
      { type: "content_block_location", cited_text: "First block.", document_index: 2, document_title: null, start_block_index: 0, end_block_index: 1 },
    ]);
    const res = await sim.fetch(messagesRequest({ model: "claude-sonnet-4-5", max_tokens: 1024, stream: true, messages: [{ role: "user", content: [
      { type: "document", source: { type: "text", media_type: "text/plain", data: "Alpha beta." }, citations: { enabled: true } },
      { type: "text", text: "Go" },
    ] }] }));
    const message = assemble(parseSse(await res.text()));
    expect(message.content.flatMap((b: any) => b.citations ?? [])[0]).toMatchObject({ type: "char_location", cited_text: "Alpha beta." });
  });
});

describe("web search shapes match the recorded stream", () => {
  it("block starts, result entries, citations and message_delta usage carry the recorded fields", async () => {
    const recorded = inject("recordedFixtures")["anthropic-web-search-tool.1.chunks.txt"]!.trim().split("\n").map((l) => JSON.parse(l));
    const res = await new ClaudeSimulator().fetch(messagesRequest(ask("Tech news today?", [SEARCH], { stream: true, model: "claude-sonnet-4-20250514" })));
    const ours = parseSse(await res.text()).map((e) => e.data);
    const keys = (o: object) => Object.keys(o).sort();
    const start = (list: any[], type: string) => list.find((e) => e.type === "content_block_start" && e.content_block.type === type).content_block;
    expect(keys(start(ours, "server_tool_use"))).toEqual(keys(start(recorded, "server_tool_use")));
    const result = (list: any[]) => start(list, "web_search_tool_result");
    expect(keys(result(ours))).toEqual(keys(result(recorded)));
    expect(keys(result(ours).content[0])).toEqual(keys(result(recorded).content[0]));
    const citation = (list: any[]) => list.find((e) => e.delta?.type === "citations_delta").delta.citation;
    expect(keys(citation(ours))).toEqual(keys(citation(recorded)));
    const delta = (list: any[]) => list.find((e) => e.type === "message_delta");
    expect(keys(delta(ours).usage)).toEqual(keys(delta(recorded).usage));
    expect(keys(delta(ours).usage.server_tool_use)).toEqual(keys(delta(recorded).usage.server_tool_use));
  });
});
