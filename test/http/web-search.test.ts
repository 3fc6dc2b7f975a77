import OpenAI from "openai";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { parseConfig } from "../../src/config";
import { buildDeps } from "../../src/runtime/build-deps";
import { CLIENT_KEY, startGateway, type Gateway } from "../helpers/gateway";
import { fixtures, recordedSse } from "../helpers/recorded";

// Claude's web search (and citations) through OpenAI clients: each way in, each output,
// stream and non-stream, against the simulator; and the recorded web-search stream replayed.

function clients(gw: Gateway) {
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) => gw.fetch(input instanceof Request ? input : String(input), init)) as typeof globalThis.fetch;
  return {
    openai: new OpenAI({ apiKey: CLIENT_KEY, baseURL: "http://gateway.test/v1", fetch, maxRetries: 0 }),
    ai: createOpenAI({ apiKey: CLIENT_KEY, baseURL: "http://gateway.test/v1", fetch }),
  };
}

const sent = (gw: Gateway) => gw.sim.received.filter((r) => r.path === "/v1/messages").map((r) => r.body);
const ask = (text: string) => [{ role: "user" as const, content: text }];

/** Each annotation's span, cut out of the content. */
function spans(content: string, annotations: Array<{ url_citation: { start_index: number; end_index: number } }>) {
  return annotations.map((a) => content.slice(a.url_citation.start_index, a.url_citation.end_index));
}

describe("chat completions: the ways in", () => {
  it("web_search_options → Claude's web search tool (max_uses from search_context_size, user_location mapped)", async () => {
    const gw = startGateway();
    const { openai } = clients(gw);
    const res = await openai.chat.completions.create({
      model: "claude-sonnet-4-5",
      messages: ask("Who won the 2026 final?"),
      web_search_options: { search_context_size: "low", user_location: { type: "approximate", approximate: { city: "Oslo", country: "NO" } } },
    });
    expect(sent(gw)[0].tools).toMatchObject([{ type: "web_search_20250305", name: "web_search", max_uses: 1, user_location: { type: "approximate", city: "Oslo", country: "NO" } }]);
    const message = res.choices[0]!.message;
    expect(message.tool_calls).toBeUndefined();
    expect(res.choices[0]!.finish_reason).toBe("stop");
    expect(message.annotations).toHaveLength(2);
    for (const span of spans(message.content!, message.annotations!)) expect(span).toContain("simulated page");
    expect((message.annotations![0]!.url_citation as { cited_text?: string }).cited_text).toBe(spans(message.content!, message.annotations!)[0]);
    expect((res.usage as unknown as { server_tool_use: unknown }).server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 0 });
  });

  it("the -search model variants: listed for models with search, combinable with -think, newest tool version", async () => {
    const gw = startGateway();
    const { openai } = clients(gw);
    const ids = (await openai.models.list()).data.map((m) => m.id);
    expect(ids).toContain("claude-sonnet-4-5-search");
    expect(ids).toContain("claude-opus-4-8-think-search");
    expect(ids.some((id) => id.startsWith("claude-3-haiku") && id.endsWith("-search"))).toBe(false);
    const res = await openai.chat.completions.create({ model: "claude-opus-4-8-think-search", messages: ask("What changed in Rust 2026?") });
    const body = sent(gw)[0];
    expect(body.model).toBe("claude-opus-4-8");
    expect(body.tools).toMatchObject([{ type: "web_search_20260209", name: "web_search", max_uses: 5 }]);
    expect(body.thinking).toMatchObject({ type: "adaptive" });
    expect(res.choices[0]!.message.annotations!.length).toBeGreaterThan(0);
    expect(res.model).toBe("claude-opus-4-8-think-search");
  });

  it("WEB_SEARCH=off: a 400 naming the setting, nothing sent upstream", async () => {
    const gw = startGateway({ WEB_SEARCH: "off" });
    const { openai } = clients(gw);
    await expect(openai.chat.completions.create({ model: "claude-sonnet-4-5-search", messages: ask("news?") })).rejects.toMatchObject({ status: 400, code: "web_search_disabled", param: "model" });
    await expect(openai.chat.completions.create({ model: "claude-sonnet-4-5", messages: ask("news?"), web_search_options: {} })).rejects.toMatchObject({ status: 400, param: "web_search_options" });
    expect(sent(gw)).toHaveLength(0);
  });

  it("operator settings: allowed domains, max uses cap and web fetch reach the tools; results stay inside", async () => {
    const gw = startGateway({ WEB_SEARCH_ALLOWED_DOMAINS: "docs.rs,rust-lang.org", WEB_SEARCH_MAX_USES: "2", WEB_FETCH: "on" });
    const { openai } = clients(gw);
    const res = await openai.chat.completions.create({ model: "claude-sonnet-4-5", messages: ask("Async traits? See https://docs.rs/tokio too"), web_search_options: { search_context_size: "high" } });
    expect(sent(gw)[0].tools).toMatchObject([
      { type: "web_search_20250305", max_uses: 2, allowed_domains: ["docs.rs", "rust-lang.org"] },
      { type: "web_fetch_20250910", name: "web_fetch", max_uses: 2, allowed_domains: ["docs.rs", "rust-lang.org"], citations: { enabled: true } },
    ]);
    const web = res.choices[0]!.message.annotations!.filter((a) => a.url_citation.url.startsWith("https:"));
    expect(web.length).toBeGreaterThan(0);
    for (const a of web) expect(new URL(a.url_citation.url).hostname).toMatch(/(^|\.)(docs\.rs|rust-lang\.org)$/);
    expect((res.usage as unknown as { server_tool_use: unknown }).server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 1 });
  });
});

describe("chat completions: what comes back", () => {
  it("streamed: annotations ride on the chunk that completes their text; the same answer as non-stream", async () => {
    const gw = startGateway();
    const { openai } = clients(gw);
    const stream = await openai.chat.completions.create({ model: "claude-sonnet-4-5-search", messages: ask("Is Pluto a planet?"), stream: true, stream_options: { include_usage: true } });
    let content = "";
    const annotations: any[] = [];
    let usage: any;
    let finish: string | null = null;
    for await (const chunk of stream) {
      const delta: any = chunk.choices[0]?.delta ?? {};
      expect(delta.tool_calls).toBeUndefined();
      if (delta.content) content += delta.content;
      if (delta.annotations) {
        expect(delta.content).toBeTruthy();
        for (const a of delta.annotations) expect(a.url_citation.end_index).toBe(content.length);
        annotations.push(...delta.annotations);
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(finish).toBe("stop");
    expect(annotations).toHaveLength(2);
    for (const span of spans(content, annotations)) expect(span).toContain("simulated page");
    expect(usage.server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 0 });
    const whole = await openai.chat.completions.create({ model: "claude-sonnet-4-5-search", messages: ask("Is Pluto a planet?") });
    expect(whole.choices[0]!.message.content).toBe(content);
    expect(whole.choices[0]!.message.annotations!.map((a) => a.url_citation.url)).toEqual(annotations.map((a) => a.url_citation.url));
  });

  it("pause_turn is continued by the gateway (stream and not): one finished answer covering every search", async () => {
    for (const stream of [false, true]) {
      const gw = startGateway();
      const body = { model: "claude-sonnet-4-6-search", messages: ask("A? B? C? D? E?"), stream };
      const res = await gw.fetch("/v1/chat/completions", { method: "POST", headers: gw.auth(), body: JSON.stringify(body) });
      expect(res.status).toBe(200);
      const text = await res.text();
      const content = stream
        ? text.split("\n\n").filter((l) => l.startsWith("data: {")).map((l) => JSON.parse(l.slice(6))).map((c) => c.choices?.[0]?.delta?.content ?? "").join("")
        : JSON.parse(text).choices[0].message.content;
      for (const q of ["A", "B", "C", "D", "E"]) expect(content).toContain(`“${q}”`);
      const upstream = sent(gw);
      expect(upstream).toHaveLength(2);
      expect(upstream[1].messages.at(-1).role).toBe("assistant");
      expect(upstream[1].messages.at(-1).content.filter((b: any) => b.type === "server_tool_use")).toHaveLength(3);
      if (stream) expect(text).toContain('"finish_reason":"stop"');
    }
  });

  it("search errors come back as text the user can read, not a failed request", async () => {
    const gw = startGateway();
    const { openai } = clients(gw);
    gw.sim.serverToolError("too_many_requests");
    const res = await openai.chat.completions.create({ model: "claude-sonnet-4-5-search", messages: ask("Weather?") });
    expect(res.choices[0]!.message.content).toContain("too_many_requests");
    // An answer with no words of Claude's: the gateway writes the sentence.
    gw.sim.script({ content: [
      { type: "server_tool_use", id: "srvtoolu_01x", name: "web_search", input: { query: "weather oslo" } },
      { type: "web_search_tool_result", tool_use_id: "srvtoolu_01x", content: { type: "web_search_tool_result_error", error_code: "max_uses_exceeded" } },
    ], stop_reason: "end_turn" });
    const bare = await openai.chat.completions.create({ model: "claude-sonnet-4-5-search", messages: ask("Weather?") });
    expect(bare.choices[0]!.message.content).toBe("The web search for “weather oslo” failed: the search limit for this answer was reached (max_uses_exceeded).");
  });

  it("server tool use never becomes a tool_call and never breaks the client's tool loop in the same turn", async () => {
    const gw = startGateway();
    const { openai } = clients(gw);
    const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
    const first = await openai.chat.completions.create({ model: "claude-sonnet-4-5-search", tools, messages: ask("Search the news and use get_weather for Oslo") });
    const call = first.choices[0]!.message.tool_calls!;
    expect(call).toHaveLength(1);
    expect(call[0]!.type === "function" && call[0]!.function.name).toBe("get_weather");
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    const second = await openai.chat.completions.create({
      model: "claude-sonnet-4-5-search",
      tools,
      messages: [...ask("Search the news and use get_weather for Oslo"), first.choices[0]!.message, { role: "tool", tool_call_id: call[0]!.id, content: "sunny" }],
    });
    expect(second.choices[0]!.message.content).toContain("sunny");
  });

  it.each([
    [false, "claude-sonnet-4-5-search"],
    [true, "claude-sonnet-4-5-search"],
    [true, "claude-opus-4-8-think-search"],
  ] as const)("inside the client's tool loop, the turn's own searches go back with it, as received (stream: %s, %s)", async (stream, model) => {
    const gw = startGateway();
    const { openai } = clients(gw);
    const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
    const question = ask("Search the news and use get_weather for Oslo");
    let message: OpenAI.ChatCompletionMessageParam;
    let callId: string;
    if (stream) {
      const s = await openai.chat.completions.create({ model, tools, messages: question, stream: true });
      let content = "";
      const calls: Array<{ id: string; name: string; args: string }> = [];
      for await (const chunk of s) {
        const d = chunk.choices[0]?.delta;
        if (d?.content) content += d.content;
        for (const c of d?.tool_calls ?? []) {
          if (c.id) calls[c.index] = { id: c.id, name: c.function!.name!, args: "" };
          calls[c.index]!.args += c.function?.arguments ?? "";
        }
      }
      callId = calls[0]!.id;
      message = { role: "assistant", content, tool_calls: calls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.name, arguments: c.args } })) };
    } else {
      const first = await openai.chat.completions.create({ model, tools, messages: question });
      message = first.choices[0]!.message;
      callId = first.choices[0]!.message.tool_calls![0]!.id;
    }
    const answered = gw.sim.received.filter((r) => r.path === "/v1/messages").length;
    const second = await openai.chat.completions.create({ model, tools, messages: [...question, message, { role: "tool", tool_call_id: callId, content: "sunny" }] });
    expect(second.choices[0]!.message.content).toContain("sunny");
    const turn = sent(gw)[answered].messages[1].content as Array<{ type: string; id?: string; tool_use_id?: string; content?: unknown }>;
    const types = turn.map((b) => b.type);
    const at = types.indexOf("server_tool_use");
    // Signed thinking (on -think models) first, then the searches, then the text and the call.
    expect(types.slice(0, at).every((t) => t === "thinking" || t === "redacted_thinking")).toBe(true);
    expect(at > 0).toBe(model.includes("-think"));
    expect(types[at + 1]).toBe("web_search_tool_result");
    expect(types.at(-1)).toBe("tool_use");
    expect(turn[at + 1]!.tool_use_id).toBe(turn[at]!.id);
    expect(JSON.stringify(turn[at + 1]!.content)).toContain("encrypted_content");
  });

  it("history: a follow-up sends the earlier answer back as text; search blocks are dropped cleanly", async () => {
    const gw = startGateway();
    const { openai } = clients(gw);
    const first = await openai.chat.completions.create({ model: "claude-sonnet-4-5-search", messages: ask("Rust news?") });
    const follow = await openai.chat.completions.create({ model: "claude-sonnet-4-5-search", messages: [...ask("Rust news?"), first.choices[0]!.message, ...ask("And Go?")] });
    expect(follow.choices[0]!.message.content).toContain("Go");
    const assistant = sent(gw)[1].messages[1];
    expect(JSON.stringify(assistant)).not.toContain("server_tool_use");
    expect(JSON.stringify(assistant)).toContain(first.choices[0]!.message.content!.slice(0, 30));
  });
});

describe("document citations", () => {
  const doc = (citations?: boolean) => ({
    role: "user" as const,
    content: [
      { type: "file", file: { filename: "notes.txt", file_data: `data:text/plain;base64,${btoa("The launch is on Friday. Bring snacks.")}` }, ...(citations === undefined ? {} : { citations }) },
      { type: "text", text: "When is the launch?" },
    ],
  });

  it("\"citations\": true on a file part, or CITATIONS=on: url_citation with a file: url and the cited text", async () => {
    for (const [env, part] of [[{}, true], [{ CITATIONS: "on" }, undefined]] as const) {
      const gw = startGateway(env);
      const res = await gw.fetch("/v1/chat/completions", { method: "POST", headers: gw.auth(), body: JSON.stringify({ model: "claude-sonnet-4-5", messages: [doc(part)] }) });
      const message = (await res.json() as any).choices[0].message;
      expect(sent(gw)[0].messages[0].content[0]).toMatchObject({ type: "document", citations: { enabled: true } });
      expect(message.annotations).toEqual([{ type: "url_citation", url_citation: expect.objectContaining({ url: "file:document-0", title: "notes.txt", cited_text: "The launch is on Friday.", document_index: 0, location: { start_char_index: 0, end_char_index: 24 } }) }]);
      expect(spans(message.content, message.annotations)).toEqual(["The launch is on Friday."]);
    }
    const plain = startGateway();
    await plain.fetch("/v1/chat/completions", { method: "POST", headers: plain.auth(), body: JSON.stringify({ model: "claude-sonnet-4-5", messages: [doc()] }) });
    expect(sent(plain)[0].messages[0].content[0].citations).toBeUndefined();
  });
});

describe("/v1/responses: built-in web_search tools", () => {
  it("non-stream: web_search_call items with the query, url_citation annotations, server_tool_use usage", async () => {
    const gw = startGateway();
    const { openai } = clients(gw);
    const res = await openai.responses.create({ model: "claude-sonnet-4-5", input: "Who discovered penicillin?", tools: [{ type: "web_search", search_context_size: "high", filters: { allowed_domains: ["wikipedia.org"] } }] });
    expect(sent(gw)[0].tools).toMatchObject([{ type: "web_search_20250305", max_uses: 10, allowed_domains: ["wikipedia.org"] }]);
    const call = res.output.find((o) => o.type === "web_search_call") as any;
    expect(call).toMatchObject({ type: "web_search_call", status: "completed", action: { type: "search", query: "Who discovered penicillin?" } });
    expect(call.id).toMatch(/^ws_/);
    const message = res.output.find((o) => o.type === "message") as any;
    const text = message.content[0];
    expect(text.annotations.length).toBeGreaterThan(0);
    for (const a of text.annotations) {
      expect(a.type).toBe("url_citation");
      expect(text.text.slice(a.start_index, a.end_index)).toBe(a.cited_text);
      expect(new URL(a.url).hostname).toMatch(/wikipedia\.org$/);
    }
    expect(res.output_text).toContain("penicillin");
    expect((res.usage as any).server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 0 });
  });

  it("stream: web_search_call events and output_text.annotation.added, the final response carrying them", async () => {
    const gw = startGateway();
    const { openai } = clients(gw);
    const stream = await openai.responses.create({ model: "claude-sonnet-4-5", input: "Who discovered penicillin?", tools: [{ type: "web_search_preview" }], stream: true });
    const types: string[] = [];
    let final: any;
    const added: any[] = [];
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === "response.output_text.annotation.added") added.push(ev.annotation);
      if (ev.type === "response.completed") final = ev.response;
    }
    expect(types).toEqual(expect.arrayContaining(["response.web_search_call.in_progress", "response.web_search_call.searching", "response.web_search_call.completed", "response.output_text.annotation.added"]));
    expect(types.indexOf("response.web_search_call.completed")).toBeLessThan(types.indexOf("response.output_text.delta"));
    const message = final.output.find((o: any) => o.type === "message");
    expect(message.content[0].annotations).toEqual(added);
    expect(added.length).toBeGreaterThan(0);
    for (const a of added) expect(message.content[0].text.slice(a.start_index, a.end_index)).toBe(a.cited_text);
    expect(final.output.find((o: any) => o.type === "web_search_call").action.query).toBe("Who discovered penicillin?");
  });

  it("echoed web_search_call items and their item_references are accepted on the next turn", async () => {
    const gw = startGateway();
    const { openai } = clients(gw);
    const first = await openai.responses.create({ model: "claude-sonnet-4-5", input: "Penicillin?", tools: [{ type: "web_search" }] });
    const call = first.output.find((o) => o.type === "web_search_call")!;
    const next = await openai.responses.create({
      model: "claude-sonnet-4-5",
      tools: [{ type: "web_search" }],
      input: [{ role: "user", content: "Penicillin?" }, call as any, { type: "item_reference", id: call.id! }, { role: "user", content: "Who funded it?" }],
    });
    expect(next.status).toBe("completed");
  });
});

describe("the AI SDK", () => {
  it("chat model (-search): sources populated, stream and not", async () => {
    const gw = startGateway();
    const { ai } = clients(gw);
    const result = await generateText({ model: ai.chat("claude-sonnet-4-5-search"), prompt: "Is Pluto a planet?" });
    expect(result.sources.length).toBe(2);
    expect(result.sources[0]).toMatchObject({ sourceType: "url", url: expect.stringMatching(/^https:\/\//) });
    const streamed = streamText({ model: ai.chat("claude-sonnet-4-5-search"), prompt: "Is Pluto a planet?" });
    expect((await streamed.sources).map((s: any) => s.url)).toEqual(result.sources.map((s: any) => s.url));
  });

  it("responses model with the web search tool: sources and the provider-executed search", async () => {
    const gw = startGateway();
    const { ai } = clients(gw);
    const result = await generateText({ model: ai("claude-sonnet-4-5"), prompt: "Is Pluto a planet?", tools: { web_search: ai.tools.webSearch({}) } });
    expect(result.sources.length).toBeGreaterThan(0);
    expect(result.text).toContain("Pluto");
    const searched = result.content.filter((p: any) => p.type === "tool-call" && p.providerExecuted === true);
    expect(searched).toHaveLength(1);
    expect(result.content.some((p: any) => p.type === "tool-result" && p.toolCallId === (searched[0] as any).toolCallId)).toBe(true);
  });
});

describe("reasoning_details", () => {
  const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];

  it("emitted on messages and stream deltas; REASONING_DETAILS=off stops it", async () => {
    const gw = startGateway();
    const { openai } = clients(gw);
    const res: any = await openai.chat.completions.create({ model: "claude-sonnet-4-5-think", messages: ask("Why is the sky blue?") });
    const [detail] = res.choices[0].message.reasoning_details;
    expect(detail).toMatchObject({ type: "reasoning.text", format: "anthropic-claude-v1", index: 0, text: res.choices[0].message.reasoning_content });
    expect(detail.signature).toBeTruthy();
    const stream = await openai.chat.completions.create({ model: "claude-sonnet-4-5-think", messages: ask("Why is the sky blue?"), stream: true });
    const pieces: any[] = [];
    for await (const chunk of stream) pieces.push(...(((chunk.choices[0]?.delta as any)?.reasoning_details) ?? []));
    expect(pieces.map((p) => p.text ?? "").join("")).toBe(detail.text);
    expect(pieces.at(-1).signature).toBeTruthy();
    const off = startGateway({ REASONING_DETAILS: "off" });
    const plain: any = await clients(off).openai.chat.completions.create({ model: "claude-sonnet-4-5-think", messages: ask("Why is the sky blue?") });
    expect(plain.choices[0].message.reasoning_details).toBeUndefined();
  });

  it("echoed back on another replica (empty store), thinking stays on in the tool loop; the echo wins over the store", async () => {
    const gw = startGateway();
    const { openai } = clients(gw);
    const first: any = await openai.chat.completions.create({ model: "claude-sonnet-4-5-think", tools, messages: ask("Use get_weather for Oslo") });
    const message = first.choices[0].message;
    expect(message.reasoning_details[0].signature).toBeTruthy();
    const next = (m: any) => [...ask("Use get_weather for Oslo"), m, { role: "tool", tool_call_id: message.tool_calls[0].id, content: "sunny" }];

    // Another replica: the same upstream, a fresh gateway with nothing in its store.
    const config = parseConfig({ APIKEY: CLIENT_KEY, ANTHROPIC_API_KEYS: "sk-ant-test-key-one-1111,sk-ant-test-key-two-2222", STREAM_KEEPALIVE_MS: "0" });
    const replica = createApp({ deps: () => buildDeps(config, { upstream: gw.sim.fetch, log: { info() {}, warn() {}, error() {} } }), scope: () => ({ waitUntil: () => {}, signal: new AbortController().signal }) });
    const res = await replica.fetch(new Request("http://gateway.test/v1/chat/completions", { method: "POST", headers: gw.auth(), body: JSON.stringify({ model: "claude-sonnet-4-5-think", tools, messages: next(message) }) }));
    expect(res.status).toBe(200);
    expect(sent(gw).at(-1).messages[1].content[0]).toEqual({ type: "thinking", thinking: message.reasoning_details[0].text, signature: message.reasoning_details[0].signature });
    expect(sent(gw).at(-1).thinking).toMatchObject({ type: "enabled" });

    // The original gateway has its own copy in the store; a different (valid) echo is what goes upstream.
    const other: any = await openai.chat.completions.create({ model: "claude-sonnet-4-5-think", tools, messages: ask("Use get_weather for Paris") });
    const echoed = { ...message, reasoning_details: other.choices[0].message.reasoning_details };
    await openai.chat.completions.create({ model: "claude-sonnet-4-5-think", tools, messages: next(echoed) });
    expect(sent(gw).at(-1).messages[1].content[0].thinking).toBe(other.choices[0].message.reasoning_details[0].text);
  });
});

describe("the recorded web-search stream, replayed through the gateway", () => {
  function replayGateway() {
    const config = parseConfig({ APIKEY: CLIENT_KEY, ANTHROPIC_API_KEYS: "sk-ant-replay-key-0001", STREAM_KEEPALIVE_MS: "0" });
    const upstream = async (url: string | URL | Request) => {
      const path = new URL(String(url instanceof Request ? url.url : url)).pathname;
      if (path === "/v1/messages") return new Response(recordedSse("anthropic-web-search-tool.1.chunks.txt"), { headers: { "content-type": "text/event-stream" } });
      return new Response(JSON.stringify({ type: "error", error: { type: "not_found_error", message: "no" } }), { status: 404, headers: { "content-type": "application/json" } });
    };
    const deps = buildDeps(config, { upstream: upstream as never, log: { info() {}, warn() {}, error() {} } });
    const app = createApp({ deps: () => deps, scope: () => ({ waitUntil: () => {}, signal: new AbortController().signal }) });
    return (body: unknown) => app.fetch(new Request("http://gateway.test/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${CLIENT_KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) }));
  }

  it("every citation becomes an annotation on the chunk that completes its text; spans are the cited blocks; usage passed on", async () => {
    const post = replayGateway();
    const res = await post({ model: "claude-sonnet-4-5-search", stream: true, stream_options: { include_usage: true }, messages: ask("tech news today") });
    const chunks = (await res.text()).split("\n\n").filter((l) => l.startsWith("data: {")).map((l) => JSON.parse(l.slice(6)));
    let content = "";
    const annotations: any[] = [];
    for (const c of chunks) {
      const d = c.choices?.[0]?.delta ?? {};
      expect(d.tool_calls).toBeUndefined();
      if (d.content) content += d.content;
      if (d.annotations) annotations.push(...d.annotations.map((a: any) => ({ ...a, at: content.length })));
    }
    const recorded = fixtures()["anthropic-web-search-tool.1.chunks.txt"]!.trim().split("\n").map((l) => JSON.parse(l));
    const citations = recorded.filter((e: any) => e.delta?.type === "citations_delta").map((e: any) => e.delta.citation);
    expect(annotations.map((a) => a.url_citation.url)).toEqual(citations.map((c: any) => c.url));
    for (const a of annotations) expect(a.url_citation.end_index).toBe(a.at);
    expect(content.slice(annotations[0].url_citation.start_index, annotations[0].url_citation.end_index)).toMatch(/^Apple today announced .* JST\.$/);
    expect(chunks.at(-1).usage.server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 0 });
  });
});
