import { describe, expect, it } from "vitest";
import { startGateway, type Gateway } from "../helpers/gateway";

/**
 * Hostile and malformed input, through the HTTP surface. Whatever a client sends, the
 * gateway answers quickly with a 4xx in the right shape (OpenAI's `{error:{message,
 * type,param,code}}`, Anthropic's on /v1/messages) that names the problem, and never
 * with a 500/502, a hang, or a request to the upstream. Where the right answer is a
 * 200 (input a real client may send and that the gateway should tolerate), the case
 * says so and why.
 */

const MODEL = "claude-sonnet-4-5";
const CHAT = "/v1/chat/completions";
type Json = Record<string, unknown>;

const chat = (extra: Json = {}): Json => ({ model: MODEL, max_tokens: 16, messages: [{ role: "user", content: "hi" }], ...extra });
const withMessages = (...messages: unknown[]): Json => chat({ messages });
const userContent = (content: unknown): Json => withMessages({ role: "user", content });
const nested = (depth: number, open = "[", close = "]", inner = ""): string => open.repeat(depth) + inner + close.repeat(depth);
/** A JSON object nested `depth` levels under one key: {"a":{"a":…{}}}. */
const deepObject = (depth: number): unknown => JSON.parse(nested(depth, '{"a":', "}", "{}"));
const big = (n: number, ch = "x") => ch.repeat(n);
const weatherTool = { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } };
const toolTurn = (call: unknown) => [
  { role: "user", content: "weather?" },
  { role: "assistant", content: null, tool_calls: [call] },
  { role: "tool", tool_call_id: "call_1", content: "sunny" },
];
const PNG_1x1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

interface OpenAIError {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Requests the gateway sent upstream other than reading the model list. */
function upstreamCalls(gw: Gateway): string[] {
  return gw.sim.received.filter((r) => !(r.method === "GET" && r.path.startsWith("/v1/models"))).map((r) => `${r.method} ${r.path}`);
}

/** Fails with a clear message instead of the test timeout when the gateway does not answer. */
async function answered(p: Promise<Response>, ms = 15_000): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms (hang)`)), ms);
  });
  try {
    return await Promise.race([p, hang]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

interface Expect {
  status?: number;
  /** What the message must say about the problem. */
  mentions?: RegExp;
  param?: string | null;
}

/** A 4xx with an OpenAI error body naming the problem, and nothing sent upstream. */
async function expectOpenAIError(gw: Gateway, res: Response, want: Expect = {}): Promise<OpenAIError["error"]> {
  const text = await res.text();
  const where = `${res.status} ${text.slice(0, 300)}`;
  if (want.status !== undefined) expect(res.status, where).toBe(want.status);
  expect(res.status, where).toBeGreaterThanOrEqual(400);
  expect(res.status, where).toBeLessThan(500);
  expect(res.headers.get("content-type"), where).toMatch(/^application\/json/);
  const body = JSON.parse(text) as OpenAIError;
  expect(Object.keys(body), where).toEqual(["error"]);
  expect(Object.keys(body.error).sort(), where).toEqual(["code", "message", "param", "type"]);
  expect(typeof body.error.message, where).toBe("string");
  expect(body.error.message.trim().length, where).toBeGreaterThan(5);
  expect(typeof body.error.type, where).toBe("string");
  expect(body.error.param === null || typeof body.error.param === "string", where).toBe(true);
  expect(body.error.code === null || typeof body.error.code === "string", where).toBe(true);
  if (want.mentions) expect(body.error.message, where).toMatch(want.mentions);
  if (want.param !== undefined) expect(body.error.param, where).toBe(want.param);
  expect(upstreamCalls(gw), where).toEqual([]);
  return body.error;
}

/** A 200 chat completion that did reach the upstream once. */
async function expectCompletion(gw: Gateway, res: Response): Promise<Json> {
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(200);
  const body = JSON.parse(text) as Json;
  expect(body.object).toBe("chat.completion");
  expect(upstreamCalls(gw)).toEqual(["POST /v1/messages"]);
  return body;
}

function post(gw: Gateway, path: string, body: string | Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Promise<Response> {
  return answered(gw.fetch(path, { method: "POST", headers: gw.auth(headers), body, ...(body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit));
}
const postJson = (gw: Gateway, body: unknown, headers: Record<string, string> = {}) => post(gw, CHAT, JSON.stringify(body), headers);
/** The last /v1/messages body the simulator received. */
const sentUpstream = (gw: Gateway) => gw.sim.received.filter((r) => r.path === "/v1/messages").at(-1)?.body as Json;

describe("POST /v1/chat/completions: bodies that are not a JSON object", () => {
  it.each<[string, string, RegExp]>([
    ["an empty body", "", /empty/i],
    ["whitespace only", " \n\t ", /empty/i],
    ["a JSON array", "[]", /JSON object/],
    ["an array of messages", '[{"role":"user","content":"hi"}]', /JSON object/],
    ["a number", "1", /JSON object/],
    ["a string", '"hello"', /JSON object/],
    ["null", "null", /JSON object/],
    ["true", "true", /JSON object/],
    ["a truncated object", '{"model":"claude-sonnet-4-5","messages":[{"role":"us', /not valid JSON/],
    ["an unclosed brace", "{", /not valid JSON/],
    ["single quotes", "{'model':'claude-sonnet-4-5'}", /not valid JSON/],
    ["a trailing comma", '{"model":"claude-sonnet-4-5",}', /not valid JSON/],
    ["trailing garbage", '{"model":"claude-sonnet-4-5"} {"x":1}', /not valid JSON/],
    ["NaN", "NaN", /not valid JSON/],
    ["JavaScript, not JSON", "{model: 'x', messages: []}", /not valid JSON/],
    ["a form-encoded body", "model=claude-sonnet-4-5&messages=hi", /not valid JSON/],
    ["100,000 nested arrays", nested(100_000), /JSON object/],
    ["100,000 nested objects", nested(100_000, '{"a":', "}", "1"), /model/],
    ["100,000 unclosed arrays", "[".repeat(100_000), /not valid JSON/],
    ["a NUL byte", "\u0000", /not valid JSON/],
  ])("%s is a 400", async (_, body, mentions) => {
    const gw = startGateway();
    await expectOpenAIError(gw, await post(gw, CHAT, body), { status: 400, mentions });
  });
});

describe("POST /v1/chat/completions: wrong types at every level", () => {
  it.each<[string, Json, RegExp, string | null]>([
    ["model missing", { messages: [{ role: "user", content: "hi" }] }, /model.*required/, "model"],
    ["model as a number", chat({ model: 42 }), /model.*string/, "model"],
    ["model empty", chat({ model: "" }), /model.*empty/, "model"],
    ["model as an object", chat({ model: { id: MODEL } }), /model/, "model"],
    ["messages missing", { model: MODEL }, /messages.*required/, "messages"],
    ["messages empty", chat({ messages: [] }), /messages.*at least 1/, "messages"],
    ["messages as a string", chat({ messages: "hi" }), /messages.*array/, "messages"],
    ["messages as an object", chat({ messages: { role: "user", content: "hi" } }), /messages.*array/, "messages"],
    ["a message that is null", withMessages(null), /messages\[0\].*object/, "messages[0]"],
    ["a message that is a string", withMessages("hi"), /messages\[0\].*object/, "messages[0]"],
    ["a message without role", withMessages({ content: "hi" }), /role is required/, "messages[0].role"],
    ["an unknown role", withMessages({ role: "root", content: "hi" }), /unknown role "root"/, "messages[0].role"],
    ["role as a number", withMessages({ role: 1, content: "hi" }), /role/, "messages[0].role"],
    ["content as a number", userContent(42), /messages\[0\]\.content/, "messages[0].content"],
    ["content as an object", userContent({ type: "text", text: "hi" }), /messages\[0\]\.content/, "messages[0].content"],
    ["content as true", userContent(true), /messages\[0\]\.content/, "messages[0].content"],
    ["content as nested arrays of nulls", userContent([[null, [null]], null]), /messages\[0\]\.content\[0\]/, "messages[0].content[0]"],
    ["a content part that is null", userContent([null]), /messages\[0\]\.content\[0\].*object/, "messages[0].content[0]"],
    ["a part without type", userContent([{ text: "hi" }]), /type is required/, "messages[0].content[0].type"],
    ["a part with an unknown type", userContent([{ type: "html", html: "<b>" }]), /unknown type "html"/, "messages[0].content[0].type"],
    ["a text part whose text is a number", userContent([{ type: "text", text: 5 }]), /text.*string/, "messages[0].content[0].text"],
    ["a text part without text", userContent([{ type: "text" }]), /text.*required/, "messages[0].content[0].text"],
    ["image_url as a number", userContent([{ type: "image_url", image_url: 7 }]), /image_url/, "messages[0].content[0].image_url"],
    ["image_url.url as an object", userContent([{ type: "image_url", image_url: { url: { href: "x" } } }]), /url/, "messages[0].content[0].image_url.url"],
    ["image_url.url as null", userContent([{ type: "image_url", image_url: { url: null } }]), /url/, "messages[0].content[0].image_url.url"],
    ["a file part without file", userContent([{ type: "file" }]), /file.*required/, "messages[0].content[0].file"],
    ["file_data as a number", userContent([{ type: "file", file: { file_data: 1 } }]), /file_data.*string/, "messages[0].content[0].file.file_data"],
    ["input_audio", userContent([{ type: "input_audio", input_audio: { data: "", format: "wav" } }]), /audio/, "messages[0].content[0].type"],
    ["tool_calls as an object", withMessages({ role: "user", content: "x" }, { role: "assistant", tool_calls: { id: "a" } }), /tool_calls.*array/, "messages[1].tool_calls"],
    ["a tool call without function", withMessages(...toolTurn({ id: "call_1", type: "function" })), /function.*required/, "messages[1].tool_calls[0].function"],
    ["a tool call whose id is an object", withMessages(...toolTurn({ id: { x: 1 }, type: "function", function: { name: "f", arguments: "{}" } })), /id.*string/, "messages[1].tool_calls[0].id"],
    ["a tool call without id", withMessages(...toolTurn({ type: "function", function: { name: "f", arguments: "{}" } })), /id.*required/, "messages[1].tool_calls[0].id"],
    ["tool call arguments as an object", withMessages(...toolTurn({ id: "call_1", type: "function", function: { name: "f", arguments: { a: 1 } } })), /arguments.*string/, "messages[1].tool_calls[0].function.arguments"],
    ["tool call arguments as a number", withMessages(...toolTurn({ id: "call_1", type: "function", function: { name: "f", arguments: 3 } })), /arguments.*string/, "messages[1].tool_calls[0].function.arguments"],
    ["tool call arguments that are not JSON", withMessages(...toolTurn({ id: "call_1", type: "function", function: { name: "f", arguments: "{city:" } })), /not valid JSON/, "messages[1].tool_calls[0].function.arguments"],
    ["tool call arguments that are a JSON array", withMessages(...toolTurn({ id: "call_1", type: "function", function: { name: "f", arguments: "[1,2]" } })), /JSON object/, "messages[1].tool_calls[0].function.arguments"],
    ["a tool call type other than function", withMessages(...toolTurn({ id: "call_1", type: "custom", function: { name: "f", arguments: "{}" } })), /function/, "messages[1].tool_calls[0].type"],
    ["a tool message without tool_call_id", withMessages({ role: "user", content: "x" }, { role: "tool", content: "sunny" }), /tool_call_id.*required/, "messages[1].tool_call_id"],
    ["tool_call_id as a number", withMessages({ role: "user", content: "x" }, { role: "tool", tool_call_id: 12, content: "sunny" }), /tool_call_id.*string/, "messages[1].tool_call_id"],
    ["a name as a number", withMessages({ role: "user", name: 5, content: "hi" }), /name.*string/, "messages[0].name"],
    ["a tool message answering no tool call", withMessages({ role: "user", content: "x" }, { role: "tool", tool_call_id: "call_zzz", content: "r" }), /no tool call with id "call_zzz"/, "messages[1].tool_call_id"],
    ["a tool message answering another id", withMessages(...toolTurn({ id: "call_2", type: "function", function: { name: "get_weather", arguments: "{}" } })), /no tool call with id "call_1"/, "messages[2].tool_call_id"],
    ["a function message without a function_call", withMessages({ role: "user", content: "x" }, { role: "function", name: "f", content: "r" }), /no function_call "f"/, "messages[1].name"],
    ["a history tool call with an empty name", withMessages(...toolTurn({ id: "call_1", type: "function", function: { name: "", arguments: "{}" } })), /tool names must match/, "messages[1].tool_calls[0].function.name"],
    ["a history tool call name with control characters", withMessages(...toolTurn({ id: "call_1", type: "function", function: { name: "get\u0000weather\n", arguments: "{}" } })), /tool names must match/, "messages[1].tool_calls[0].function.name"],
    ["only a system message", withMessages({ role: "system", content: "be brief" }), /at least one user or assistant message/, "messages"],
    ["only an empty user message", userContent(""), /at least one user or assistant message/, "messages"],
    ["only whitespace", userContent(" \n\t "), /at least one user or assistant message/, "messages"],
    ["n as a float", chat({ n: 1.5 }), /n/, "n"],
    ["top_k beyond the safe integers", chat({ top_k: 1e20 }), /top_k/, "top_k"],
    ["a system message with an image", withMessages({ role: "system", content: [{ type: "image_url", image_url: { url: `data:image/png;base64,${PNG_1x1}` } }] }, { role: "user", content: "hi" }), /only text/, "messages[0].content[0].type"],
    ["stream as a string", chat({ stream: "true" }), /stream.*boolean/, "stream"],
    ["stream_options as a string", chat({ stream_options: "include_usage" }), /stream_options/, "stream_options"],
    ["max_tokens negative", chat({ max_tokens: -1 }), /max_tokens/, "max_tokens"],
    ["max_tokens a float", chat({ max_tokens: 1.5 }), /max_tokens.*int/i, "max_tokens"],
    ["max_tokens a string", chat({ max_tokens: "1024" }), /max_tokens.*number/, "max_tokens"],
    ["max_tokens 1e300", chat({ max_tokens: 1e300 }), /max_tokens/, "max_tokens"],
    ["max_completion_tokens an object", chat({ max_completion_tokens: {} }), /max_completion_tokens/, "max_completion_tokens"],
    ["temperature \"NaN\"", chat({ temperature: "NaN" }), /temperature.*number/, "temperature"],
    ["temperature \"Infinity\"", chat({ temperature: "Infinity" }), /temperature.*number/, "temperature"],
    ["temperature negative", chat({ temperature: -0.5 }), /temperature/, "temperature"],
    ["top_p above 1", chat({ top_p: 2 }), /top_p/, "top_p"],
    ["top_k a float", chat({ top_k: 0.5 }), /top_k/, "top_k"],
    ["stop as a number", chat({ stop: 5 }), /stop/, "stop"],
    ["stop with a null entry", chat({ stop: ["a", null] }), /stop\[1\]/, "stop[1]"],
    ["n = 2", chat({ n: 2 }), /n=1/, "n"],
    ["logprobs", chat({ logprobs: true }), /log probabilities/, "logprobs"],
    ["tools as an object", chat({ tools: weatherTool }), /tools.*array/, "tools"],
    ["a tool without function", chat({ tools: [{ type: "function" }] }), /function.*required/, "tools[0].function"],
    ["a tool type other than function", chat({ tools: [{ type: "web_search", function: { name: "x" } }] }), /function/, "tools[0].type"],
    ["a tool without name", chat({ tools: [{ type: "function", function: { parameters: {} } }] }), /name.*required/, "tools[0].function.name"],
    ["tool parameters as a string", chat({ tools: [{ type: "function", function: { name: "f", parameters: "{}" } }] }), /parameters.*object/, "tools[0].function.parameters"],
    ["tool parameters as an array", chat({ tools: [{ type: "function", function: { name: "f", parameters: [] } }] }), /parameters/, "tools[0].function.parameters"],
    ["tool parameters of type string", chat({ tools: [{ type: "function", function: { name: "f", parameters: { type: "string" } } }] }), /type "object"/, "tools[0].function.parameters.type"],
    ["duplicate tool names", chat({ tools: [weatherTool, weatherTool] }), /duplicate tool name "get_weather"/, "tools[1].function.name"],
    ["a tool name with spaces", chat({ tools: [{ type: "function", function: { name: "get weather" } }] }), /tool names must match/, "tools[0].function.name"],
    ["a tool name with control characters", chat({ tools: [{ type: "function", function: { name: "f\u0000\u001b[31m" } }] }), /tool names must match/, "tools[0].function.name"],
    ["a 129-character tool name", chat({ tools: [{ type: "function", function: { name: big(129) } }] }), /tool names must match/, "tools[0].function.name"],
    ["an empty tool name", chat({ tools: [{ type: "function", function: { name: "" } }] }), /tool names must match/, "tools[0].function.name"],
    ["tool_choice naming an unknown tool", chat({ tools: [weatherTool], tool_choice: { type: "function", function: { name: "rm_rf" } } }), /no tool named "rm_rf"/, "tool_choice.function.name"],
    ["tool_choice required without tools", chat({ tool_choice: "required" }), /no tools/, "tool_choice"],
    ["tool_choice as an unknown string", chat({ tools: [weatherTool], tool_choice: "always" }), /tool_choice/, "tool_choice"],
    ["tool_choice as a number", chat({ tools: [weatherTool], tool_choice: 1 }), /tool_choice/, "tool_choice"],
    ["response_format as a string", chat({ response_format: "json" }), /response_format/, "response_format"],
    ["response_format of an unknown type", chat({ response_format: { type: "xml" } }), /unknown type "xml"/, "response_format.type"],
    ["json_schema missing", chat({ response_format: { type: "json_schema" } }), /json_schema.*required/, "response_format.json_schema"],
    ["json_schema.schema as a string", chat({ response_format: { type: "json_schema", json_schema: { name: "x", schema: "{}" } } }), /schema.*object/, "response_format.json_schema.schema"],
    ["json_schema.schema as an array", chat({ response_format: { type: "json_schema", json_schema: { name: "x", schema: [] } } }), /schema/, "response_format.json_schema.schema"],
    ["reasoning_effort unknown", chat({ reasoning_effort: "ultra" }), /reasoning_effort/, "reasoning_effort"],
    ["thinking of an unknown type", chat({ thinking: { type: "always" } }), /thinking\.type/, "thinking.type"],
    ["thinking budget negative", chat({ thinking: { type: "enabled", budget_tokens: -5 } }), /budget_tokens/, "thinking.budget_tokens"],
  ])("%s is a 400 naming the field", async (_, body, mentions, param) => {
    const gw = startGateway();
    await expectOpenAIError(gw, await postJson(gw, body), { status: 400, mentions, param });
  });

  it.each<[string, Json, RegExp]>([
    ["a model with path traversal", chat({ model: "../../v1/files" }), /does not exist/],
    ["a model with unicode", chat({ model: "claude-sönnet-4-5-💥" }), /does not exist/],
  ])("%s is a 404 model_not_found, not an upstream call", async (_, body, mentions) => {
    const gw = startGateway();
    const err = await expectOpenAIError(gw, await postJson(gw, body), { mentions });
    expect(err.param).toBe("model");
  });
});

describe("POST /v1/chat/completions: extremes the gateway tolerates", () => {
  it.each<[string, Json, (sent: Json) => void]>([
    // README: max_tokens is capped at the model's maximum output, silently.
    ["max_tokens 1e15", chat({ max_tokens: 1e15 }), (sent) => expect(sent.max_tokens).toBe(64_000)],
    // README: temperature is clamped from OpenAI's 0–2 to Claude's 0–1 (out of 0–2 is OpenAI's 400: openai-ranges.test.ts).
    ["temperature 2", chat({ temperature: 2 }), (sent) => expect(sent.temperature).toBe(1)],
    // README: whitespace-only stop entries are dropped (Claude rejects them).
    ["stop entries that are empty or blank", chat({ stop: ["", "  ", "END"] }), (sent) => expect(sent.stop_sequences).toEqual(["END"])],
    // Unknown fields are ignored (clients add many), whatever their size.
    ["a 1 MB unknown field", chat({ extra_body: big(1024 * 1024) }), (sent) => expect(sent).not.toHaveProperty("extra_body")],
    ["a 100 KB user id", chat({ user: big(100_000, "u") }), () => undefined],
    // cache_control of an unknown type is not a breakpoint; an unknown ttl gets the default.
    ["cache_control of an unknown type and ttl", userContent([{ type: "text", text: "t", cache_control: { type: "persistent", ttl: "forever" } }]), () => undefined],
  ])("%s is a 200", async (_, body, check) => {
    const gw = startGateway();
    await expectCompletion(gw, await postJson(gw, body));
    check(sentUpstream(gw));
  });

  it("an error in a streaming request is a JSON error, not an event stream", async () => {
    const gw = startGateway();
    const res = await postJson(gw, chat({ stream: true, messages: [{ role: "user", content: 5 }] }));
    await expectOpenAIError(gw, res, { status: 400, param: "messages[0].content" });
  });
});

describe("POST /v1/chat/completions: huge and numerous values", () => {
  it("a 1 MB model id is refused without echoing all of it back", async () => {
    const gw = startGateway();
    const res = await postJson(gw, chat({ model: big(1024 * 1024) }));
    const err = await expectOpenAIError(gw, res, { status: 400, param: "model", mentions: /at most 256 characters/ });
    expect(err.message.length).toBeLessThan(2_000);
  });

  it("a 1 MB tool name is refused without echoing all of it back", async () => {
    const gw = startGateway();
    const res = await postJson(gw, chat({ tools: [{ type: "function", function: { name: big(1024 * 1024) } }] }));
    const err = await expectOpenAIError(gw, res, { status: 400, param: "tools[0].function.name" });
    expect(err.message.length).toBeLessThan(2_000);
  });

  it("a 1 MB unknown role is refused without echoing all of it back", async () => {
    const gw = startGateway();
    const err = await expectOpenAIError(gw, await postJson(gw, withMessages({ role: big(1024 * 1024), content: "hi" })), { status: 400, param: "messages[0].role" });
    expect(err.message.length).toBeLessThan(2_000);
  });

  it("a 1 MB unknown content part type is refused without echoing all of it back", async () => {
    const gw = startGateway();
    const err = await expectOpenAIError(gw, await postJson(gw, userContent([{ type: big(1024 * 1024) }])), { status: 400 });
    expect(err.message.length).toBeLessThan(2_000);
  });

  it("a body declared larger than MAX_REQUEST_BYTES is a 413 before it is parsed", async () => {
    const gw = startGateway();
    const res = await post(gw, CHAT, JSON.stringify(chat()), { "content-length": String(101_000_000) });
    // The Request constructor may rewrite a lying content-length; either way the answer is a 4xx.
    await expectOpenAIError(gw, res);
  });

  it.each(["5", "abc", "-1", "100000"])("a content-length of %s that does not match the body is harmless", async (length) => {
    // The runtime frames the body; the header only sizes buffers. (Whether the Request
    // keeps a lying header depends on the runtime; either way the body is read whole.)
    const gw = startGateway();
    await expectCompletion(gw, await post(gw, CHAT, JSON.stringify(chat()), { "content-length": length }));
  });

  it("a streamed body over MAX_REQUEST_BYTES is a 413 (no content-length to trust)", async () => {
    const gw = startGateway({ MAX_REQUEST_BYTES: String(32 * 1024 * 1024) });
    const chunk = new TextEncoder().encode(big(1024 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (sent === 0) ctrl.enqueue(new TextEncoder().encode('{"model":"claude-sonnet-4-5","junk":"'));
        if (sent++ < 34) ctrl.enqueue(chunk);
        else ctrl.close();
      },
    });
    await expectOpenAIError(gw, await post(gw, CHAT, body), { status: 413, mentions: /too large/ });
  });

  it("1,000 stop sequences are passed on", async () => {
    // The Messages API documents no limit on stop_sequences, so the gateway sets none:
    // refusing would be a guess, and Claude's own answer (if any) comes back as a 400.
    const gw = startGateway();
    const stop = Array.from({ length: 1000 }, (_, i) => `STOP${i}`);
    await expectCompletion(gw, await postJson(gw, chat({ stop })));
    expect(sentUpstream(gw).stop_sequences).toHaveLength(1000);
  });

  it("10,000 tools with one duplicate name at the end are refused naming it", async () => {
    const gw = startGateway();
    const tools = Array.from({ length: 10_000 }, (_, i) => ({ type: "function", function: { name: `tool_${i}` } }));
    tools.push({ type: "function", function: { name: "tool_7" } });
    await expectOpenAIError(gw, await postJson(gw, chat({ tools })), { status: 400, param: "tools[10000].function.name", mentions: /duplicate/ });
  }, 30_000);

  it("10,000 messages with a bad one at the end name its index", async () => {
    const gw = startGateway();
    const messages: unknown[] = Array.from({ length: 10_000 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `m${i}` }));
    messages.push({ role: "user", content: 1 });
    await expectOpenAIError(gw, await postJson(gw, chat({ messages })), { status: 400, param: "messages[10000].content" });
  }, 30_000);

  // JSON schemas and tool arguments are the client's own structures and go to Claude
  // unchanged (the gateway has no depth limit of its own, and the Messages API documents
  // none): a deep one is no 400 here, but it must not overflow the gateway's stack
  // either (replacers, recursive walks). Claude's verdict on it comes back as it is.
  it.each<[string, (d: number) => Json]>([
    ["tool parameters", (d) => chat({ tools: [{ type: "function", function: { name: "f", parameters: { type: "object", properties: { a: deepObject(d) } } } }] })],
    ["a json_schema", (d) => chat({ response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object", properties: { a: deepObject(d) } } } } })],
    ["a json_schema on a model without structured outputs", (d) => chat({ model: "claude-opus-4-1", response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object", properties: { a: deepObject(d) } } } } })],
    ["echoed reasoning_details", (d) => withMessages({ role: "user", content: "x" }, { role: "assistant", content: "y", reasoning_details: [deepObject(d)] }, { role: "user", content: "z" })],
    ["tool call arguments", (d) => ({ ...withMessages(...toolTurn({ id: "call_1", type: "function", function: { name: "get_weather", arguments: JSON.stringify(deepObject(d)) } })), tools: [weatherTool] })],
    [
      "tool call arguments in the first message (the affinity hash reads it)",
      (d) => ({ ...withMessages(...toolTurn({ id: "call_1", type: "function", function: { name: "get_weather", arguments: JSON.stringify(deepObject(d)) } }).slice(1)), tools: [weatherTool] }),
    ],
  ])("%s nested 100,000 deep are no crash", async (_, make) => {
    const gw = startGateway();
    await expectCompletion(gw, await postJson(gw, make(100_000)));
  }, 30_000);

  it("a deeply nested unknown field beside a large stray data URL is no crash", async () => {
    // A data URL big enough to be taken out of the body while it streams in, under a key
    // the translator never reads: its text is put back by walking the whole body.
    const gw = startGateway({ UPLOAD_THRESHOLD_BYTES: "1000" });
    const dataUrl = `data:image/png;base64,${"A".repeat(8000)}`;
    const text = `{"model":"${MODEL}","max_tokens":16,"messages":[{"role":"user","content":"hi"}],"extra":${nested(100_000, "[", "]", `{"url":"${dataUrl}"}`)}}`;
    const res = await post(gw, CHAT, text);
    // Unknown fields are ignored (clients add many), so this is a normal completion.
    await expectCompletion(gw, res);
  }, 30_000);
});

describe("POST /v1/chat/completions: attachments", () => {
  const image = (url: unknown) => userContent([{ type: "text", text: "what is this?" }, { type: "image_url", image_url: { url } }]);
  const file = (f: Json) => userContent([{ type: "text", text: "read this" }, { type: "file", file: f }]);

  it.each<[string, Json, RegExp, string]>([
    ["an empty data URL", image("data:"), /data URL/, "messages[0].content[1].image_url.url"],
    ["a data URL with no payload", image("data:image/png;base64,"), /base64/, "messages[0].content[1].image_url.url"],
    ["a truncated data URL (no comma)", image("data:image/png;base64"), /data URL/, "messages[0].content[1].image_url.url"],
    ["a data URL with invalid base64", image("data:image/png;base64,!!!not-base64!!!"), /base64/, "messages[0].content[1].image_url.url"],
    ["a data URL with base64 padding in the middle", image("data:image/png;base64,AA==AA=="), /base64/, "messages[0].content[1].image_url.url"],
    ["a data URL of an unsupported image type", image(`data:image/tiff;base64,${PNG_1x1}`), /image\/tiff/, "messages[0].content[1].image_url.url"],
    ["an SVG data URL", image("data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="), /svg/, "messages[0].content[1].image_url.url"],
    ["a text data URL as an image", image("data:text/plain;base64,aGVsbG8="), /text\/plain/, "messages[0].content[1].image_url.url"],
    ["a non-base64 image data URL", image("data:image/png,rawbytes"), /base64/, "messages[0].content[1].image_url.url"],
    ["an http: image URL", image("http://example.com/a.png"), /https/, "messages[0].content[1].image_url.url"],
    ["a file: image URL", image("file:///etc/passwd"), /https/, "messages[0].content[1].image_url.url"],
    ["a javascript: image URL", image("javascript:alert(1)"), /https/, "messages[0].content[1].image_url.url"],
    ["an empty image URL", image(""), /image/, "messages[0].content[1].image_url.url"],
    ["a bare image_url string that is not a URL", userContent([{ type: "image_url", image_url: "hello" }]), /image/, "messages[0].content[0].image_url"],
    ["a file part with neither file_data nor file_id", file({ filename: "a.pdf" }), /file_data.*file_id/, "messages[0].content[1].file"],
    ["file_data with invalid base64", file({ file_data: "data:application/pdf;base64,%%%%", filename: "a.pdf" }), /base64/, "messages[0].content[1].file.file_data"],
    ["file_data of an unsupported type", file({ file_data: "data:application/x-msdownload;base64,TVqQ", filename: "a.exe" }), /unsupported file type/, "messages[0].content[1].file.file_data"],
    ["bare base64 file_data without a filename", file({ file_data: "JVBERi0xLjQK" }), /file type/, "messages[0].content[1].file.file_data"],
    ["a text file that is not UTF-8", file({ file_data: "data:text/plain;base64,//79", filename: "a.txt" }), /UTF-8/, "messages[0].content[1].file.file_data"],
    ["a file_id the gateway does not know", file({ file_id: "file_does_not_exist" }), /Unknown file_id `file_does_not_exist`/, "file_id"],
    ["both file_id and file_data, the id unknown", file({ file_id: "file_nope", file_data: "data:application/pdf;base64,JVBERi0xLjQK" }), /Unknown file_id `file_nope`/, "file_id"],
  ])("%s is a 400 naming the part", async (_, body, mentions, param) => {
    const gw = startGateway();
    await expectOpenAIError(gw, await postJson(gw, body), { status: 400, mentions, param });
  });
});

describe("POST /v1/chat/completions: keys that attack the parser or the prototype", () => {
  it("__proto__ and constructor keys in the body are ignored and pollute nothing", async () => {
    const gw = startGateway();
    const text = `{"__proto__":{"polluted":true,"model":"evil"},"constructor":{"prototype":{"polluted":true}},"model":"${MODEL}","max_tokens":16,"messages":[{"role":"user","content":"hi","__proto__":{"role":"system"}}]}`;
    const res = await post(gw, CHAT, text);
    // Unknown keys are ignored (clients add many); what matters is that nothing leaks into prototypes.
    await expectCompletion(gw, res);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
    expect(sentUpstream(gw).messages).toEqual([{ role: "user", content: [{ type: "text", text: "hi", cache_control: { type: "ephemeral" } }] }]);
  });

  it("__proto__ in tool call arguments reaches Claude as a plain key and pollutes nothing", async () => {
    const gw = startGateway();
    const args = '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"city":"Paris"}';
    const body = withMessages(...toolTurn({ id: "call_1", type: "function", function: { name: "get_weather", arguments: args } }));
    const res = await postJson(gw, { ...body, tools: [weatherTool] });
    await expectCompletion(gw, res);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const assistant = (sentUpstream(gw).messages as Array<{ role: string; content: Array<{ type: string; input?: unknown }> }>)[1]!;
    const input = assistant.content.find((b) => b.type === "tool_use")!.input as Record<string, unknown>;
    expect(Object.keys(input)).toEqual(["__proto__", "constructor", "city"]);
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
  });

  it("__proto__ as a tool parameters property is passed through as schema text", async () => {
    const gw = startGateway();
    const text = `{"model":"${MODEL}","max_tokens":16,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"__proto__":{"type":"string"}}}}}]}`;
    await expectCompletion(gw, await post(gw, CHAT, text));
    expect(({} as Record<string, unknown>).type).toBeUndefined();
  });

  it.each([
    ["tool name", chat({ tools: [{ type: "function", function: { name: "__proto__" } }], tool_choice: { type: "function", function: { name: "constructor" } } }), "tool_choice.function.name"],
    ["model", chat({ model: "__proto__" }), "model"],
    ["model toString", chat({ model: "toString" }), "model"],
    ["model constructor", chat({ model: "constructor" }), "model"],
  ])("prototype names as a %s are ordinary unknown names", async (_, body, param) => {
    const gw = startGateway();
    await expectOpenAIError(gw, await postJson(gw, body), { param });
  });

  it("the model `hasOwnProperty` is an unknown model, not a crash", async () => {
    const gw = startGateway();
    await expectOpenAIError(gw, await postJson(gw, chat({ model: "hasOwnProperty" })), { status: 404, param: "model" });
  });
});

describe("POST /v1/chat/completions: encodings", () => {
  it("a UTF-8 byte order mark before the JSON is tolerated", async () => {
    // RFC 8259 §8.1 lets parsers ignore a BOM, and Windows tools (PowerShell) add one.
    const gw = startGateway();
    await expectCompletion(gw, await post(gw, CHAT, `\uFEFF${JSON.stringify(chat())}`));
  });

  it("invalid UTF-8 inside a string becomes U+FFFD instead of an error", async () => {
    // WHATWG UTF-8 decoding replaces bad bytes; the text still means what it meant, and
    // Claude receives valid UTF-8.
    const gw = startGateway();
    const head = new TextEncoder().encode(`{"model":"${MODEL}","max_tokens":16,"messages":[{"role":"user","content":"a`);
    const tail = new TextEncoder().encode(`b"}]}`);
    const bytes = new Uint8Array([...head, 0xff, 0xc3, 0x28, ...tail]);
    await expectCompletion(gw, await post(gw, CHAT, bytes));
    const sent = JSON.stringify(sentUpstream(gw).messages);
    expect(sent).toContain("a\uFFFD\uFFFD(b");
  });

  it("invalid UTF-8 outside strings is a 400", async () => {
    const gw = startGateway();
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    await expectOpenAIError(gw, await post(gw, CHAT, bytes), { status: 400, mentions: /not valid JSON/ });
  });

  it("a UTF-16 body is a 400", async () => {
    const gw = startGateway();
    const s = JSON.stringify(chat());
    const bytes = new Uint8Array(s.length * 2);
    for (let i = 0; i < s.length; i++) bytes[i * 2] = s.charCodeAt(i);
    await expectOpenAIError(gw, await post(gw, CHAT, bytes), { status: 400, mentions: /not valid JSON/ });
  });

  it.each([
    ["a lone high surrogate", "before \\ud800 after"],
    ["a lone low surrogate", "before \\udfff after"],
    ["a reversed pair", "before \\udc00\\ud800 after"],
    ["a high surrogate at the end", "end \\udbff"],
  ])("%s in the text is sent to Claude as U+FFFD", async (_, escaped) => {
    // JSON.parse accepts lone surrogates and JSON.stringify writes them back as \udXXX
    // escapes, which the Anthropic API refuses ("no low surrogate in string"): a
    // truncated emoji from a client would fail the whole request upstream.
    const gw = startGateway();
    const text = `{"model":"${MODEL}","max_tokens":16,"messages":[{"role":"user","content":"${escaped}"}]}`;
    await expectCompletion(gw, await post(gw, CHAT, text));
    const sent = JSON.stringify(sentUpstream(gw).messages);
    expect(sent).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
    expect(sent).toContain("\uFFFD");
  });

  it("a literal backslash followed by `ud800` is text, kept as it is", async () => {
    const gw = startGateway();
    const content = "C:\\ud800\\path and \\\\ud800";
    await expectCompletion(gw, await postJson(gw, chat({ messages: [{ role: "user", content }] })));
    expect(JSON.stringify(sentUpstream(gw).messages)).toContain(JSON.stringify(content).slice(1, -1));
  });

  it("a well-formed emoji pair is untouched", async () => {
    const gw = startGateway();
    await expectCompletion(gw, await post(gw, CHAT, `{"model":"${MODEL}","max_tokens":16,"messages":[{"role":"user","content":"hi \\ud83d\\ude00"}]}`));
    expect(JSON.stringify(sentUpstream(gw).messages)).toContain("hi 😀");
  });
});

describe("POST /v1/chat/completions: headers and transport", () => {
  it.each([
    ["text/plain", "text/plain"],
    ["no content type", ""],
    ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded"],
    ["a garbage content type", "%%%/;;;"],
  ])("a JSON body sent as %s is read as JSON", async (_, contentType) => {
    // The route only speaks JSON, and curl -d and some proxies label it otherwise:
    // reading the body as JSON whatever the label is the liberal choice, and a body
    // that is not JSON still gets the JSON parser's 400.
    const gw = startGateway();
    const headers = gw.auth();
    if (contentType) headers["content-type"] = contentType;
    else delete (headers as Record<string, string>)["content-type"];
    const res = await answered(gw.fetch(CHAT, { method: "POST", headers, body: JSON.stringify(chat()) }));
    await expectCompletion(gw, res);
  });

  it("a multipart body is a 400 (not JSON)", async () => {
    const gw = startGateway();
    const form = new FormData();
    form.set("model", MODEL);
    form.set("messages", "hi");
    const res = await answered(gw.fetch(CHAT, { method: "POST", headers: { authorization: gw.auth().authorization }, body: form }));
    await expectOpenAIError(gw, res, { status: 400, mentions: /not valid JSON/ });
  });

  it.each([
    ["GET", CHAT],
    ["PUT", CHAT],
    ["DELETE", CHAT],
    ["PATCH", CHAT],
    ["GET", "/v1/messages"],
    ["PUT", "/v1/files"],
  ])("%s %s is a 4xx JSON error", async (method, path) => {
    const gw = startGateway();
    const res = await answered(gw.fetch(path, { method, headers: gw.auth() }));
    await expectOpenAIError(gw, res, { mentions: new RegExp(method) });
  });

  it("a very long URL path is a 404 JSON error", async () => {
    const gw = startGateway();
    const res = await answered(gw.fetch(`/v1/${"a/".repeat(50_000)}chat/completions`, { method: "POST", headers: gw.auth(), body: JSON.stringify(chat()) }));
    const text = await res.clone().text();
    // The message names the path by its opening and length, not by echoing 100 KB back.
    expect(text.length, text.slice(0, 300)).toBeLessThan(1000);
    expect(text).toMatch(/… \(\d{6} characters\)/);
    await expectOpenAIError(gw, res, { status: 404 });
  });

  it("a huge authorization header is a 401", async () => {
    const gw = startGateway();
    const res = await answered(gw.fetch(CHAT, { method: "POST", headers: { authorization: `Bearer ${big(256 * 1024)}`, "content-type": "application/json" }, body: JSON.stringify(chat()) }));
    await expectOpenAIError(gw, res, { status: 401 });
  });

  it.each([
    ["x-stainless-os", "huge x-stainless-os"],
    ["anthropic-beta", "huge anthropic-beta"],
    ["origin", "huge origin"],
  ])("a huge %s header does not change the answer", async (name) => {
    // Headers the gateway does not act on for chat; a huge one is still a normal request.
    const gw = startGateway();
    await expectCompletion(gw, await postJson(gw, chat(), { [name]: big(64 * 1024, "b") }));
  });

  it("a huge invalid thing in an Authorization-like header of a real key is still a 401", async () => {
    const gw = startGateway();
    const res = await answered(gw.fetch(CHAT, { method: "POST", headers: { "x-api-key": `${big(64 * 1024)}`, "content-type": "application/json" }, body: JSON.stringify(chat()) }));
    await expectOpenAIError(gw, res, { status: 401 });
  });
});

describe("POST /v1/messages (Anthropic-shaped errors)", () => {
  interface AnthropicError {
    type: string;
    error: { type: string; message: string };
  }
  async function expectAnthropicError(gw: Gateway, res: Response, want: { status?: number; mentions?: RegExp } = {}) {
    const text = await res.text();
    const where = `${res.status} ${text.slice(0, 300)}`;
    if (want.status !== undefined) expect(res.status, where).toBe(want.status);
    expect(res.status, where).toBeGreaterThanOrEqual(400);
    expect(res.status, where).toBeLessThan(500);
    expect(res.headers.get("content-type"), where).toMatch(/^application\/json/);
    const body = JSON.parse(text) as AnthropicError;
    expect(body.type, where).toBe("error");
    expect(typeof body.error.type, where).toBe("string");
    expect(body.error.message.trim().length, where).toBeGreaterThan(5);
    if (want.mentions) expect(body.error.message, where).toMatch(want.mentions);
    expect(upstreamCalls(gw), where).toEqual([]);
  }

  it.each<[string, string, RegExp]>([
    ["an empty body", "", /JSON/],
    ["invalid JSON", "{", /JSON/],
    ["a truncated body", '{"model":"claude-sonnet-4-5","messages":[', /JSON/],
    ["100,000 unclosed arrays", "[".repeat(100_000), /JSON/],
  ])("%s is a 400 in Anthropic's shape", async (_, body, mentions) => {
    const gw = startGateway();
    await expectAnthropicError(gw, await post(gw, "/v1/messages", body), { status: 400, mentions });
  });

  it.each<[string, string, RegExp]>([
    ["null", "null", /must be a JSON object, not null/],
    ["an array", "[]", /must be a JSON object, not an array/],
    ["a number", "1", /must be a JSON object, not a number/],
  ])("a body that is JSON but %s is the gateway's own 400, without an upstream call", async (_, body, mentions) => {
    const gw = startGateway();
    await expectAnthropicError(gw, await post(gw, "/v1/messages", body), { status: 400, mentions });
  });

  it.each<[string, string, RegExp]>([
    ["a content block that is null", `{"model":"${MODEL}","max_tokens":5,"messages":[{"role":"user","content":[null]}]}`, /messages\.0\.content\.0/],
    ["a tool that is null", `{"model":"${MODEL}","max_tokens":5,"messages":[{"role":"user","content":"x"}],"tools":[null,5]}`, /tools\.0/],
  ])("%s is Claude's 400, passed through in Anthropic's shape without touching the key pool", async (_, body, mentions) => {
    // /v1/messages is a passthrough: Claude judges the body. What the gateway owes is not
    // to turn Claude's refusal into a 5xx or a failover that marks keys unhealthy.
    const gw = startGateway();
    const res = await post(gw, "/v1/messages", body);
    const text = await res.text();
    expect(res.status, text).toBe(400);
    const err = JSON.parse(text) as AnthropicError;
    expect(err.type).toBe("error");
    expect(err.error.message).toMatch(mentions);
    expect(upstreamCalls(gw)).toEqual(["POST /v1/messages"]);
    expect(gw.logs.filter((l) => l.event === "upstream_failover")).toEqual([]);
  });

  it("a body larger than 32 MB (Anthropic's own limit, for a body forwarded as it is) is a 413 in Anthropic's shape", async () => {
    const gw = startGateway();
    const chunk = new TextEncoder().encode(big(1024 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (sent++ < 34) ctrl.enqueue(chunk);
        else ctrl.close();
      },
    });
    await expectAnthropicError(gw, await post(gw, "/v1/messages", body), { status: 413, mentions: /too large/ });
  });

  it("a deeply nested system prompt is a 4xx in Anthropic's shape, not a 500", async () => {
    // Passthrough sends the body as it is and lets Claude judge it (so the upstream is
    // called here, and its 400 comes back); the affinity hash of the conversation
    // must not fall over on it first.
    const gw = startGateway();
    const text = `{"model":"${MODEL}","max_tokens":16,"system":${nested(100_000)},"messages":[{"role":"user","content":"hi"}]}`;
    const res = await post(gw, "/v1/messages", text);
    const answer = await res.text();
    expect(res.status, answer.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(res.status, answer.slice(0, 300)).toBeLessThan(500);
    expect((JSON.parse(answer) as AnthropicError).type).toBe("error");
  }, 30_000);

  it("a 100,000-deep first message is a 4xx in Anthropic's shape, not a 500", async () => {
    const gw = startGateway();
    const text = `{"model":"${MODEL}","max_tokens":16,"messages":[${nested(100_000, '{"a":', "}", "1")}]}`;
    const res = await post(gw, "/v1/messages", text);
    const answer = await res.text();
    expect(res.status, answer.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(res.status, answer.slice(0, 300)).toBeLessThan(500);
    expect((JSON.parse(answer) as AnthropicError).type).toBe("error");
  }, 30_000);
});

describe("/v1/files", () => {
  it.each<[string, () => RequestInit, RegExp]>([
    ["a JSON body", () => ({ body: '{"file":"x"}', headers: { "content-type": "application/json" } }), /multipart/],
    ["an empty body", () => ({ body: "", headers: { "content-type": "multipart/form-data; boundary=x" } }), /multipart/],
    ["a multipart body without a boundary", () => ({ body: "--x\r\n", headers: { "content-type": "multipart/form-data" } }), /multipart/],
    ["a truncated multipart body", () => ({ body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhel', headers: { "content-type": "multipart/form-data; boundary=x" } }), /multipart/],
    ["no file part", () => { const f = new FormData(); f.set("purpose", "user_data"); return { body: f }; }, /file/],
    ["file as a plain field", () => { const f = new FormData(); f.set("file", "just text"); return { body: f }; }, /file/],
  ])("POST with %s is a 400", async (_, init, mentions) => {
    const gw = startGateway();
    const i = init();
    const res = await answered(gw.fetch("/v1/files", { method: "POST", ...i, headers: { authorization: gw.auth().authorization, ...(i.headers as Record<string, string> | undefined) } }));
    await expectOpenAIError(gw, res, { status: 400, mentions });
  });

  it.each([
    ["an unknown id", "/v1/files/file_nope"],
    ["a very long id", `/v1/files/${big(20_000)}`],
    ["a percent-encoded traversal", "/v1/files/..%2F..%2Fstatus"],
    ["an invalid percent escape", "/v1/files/%E0%A4%A"],
    ["a NUL escape", "/v1/files/%00"],
  ])("GET %s is a 404 JSON error", async (_, path) => {
    const gw = startGateway();
    const res = await answered(gw.fetch(path, { headers: gw.auth() }));
    const err = await expectOpenAIError(gw, res, { status: 404 });
    expect(err.message.length).toBeLessThan(2_000);
  });

  it("DELETE of an unknown id is a 404, not an upstream call", async () => {
    const gw = startGateway();
    await expectOpenAIError(gw, await answered(gw.fetch("/v1/files/file_nope", { method: "DELETE", headers: gw.auth() })), { status: 404 });
  });

  it("GET /v1/files with a nonsense limit lists normally", async () => {
    // A list query with a bad limit is harmless: the gateway lists what it has.
    const gw = startGateway();
    const res = await answered(gw.fetch("/v1/files?limit=-1e999&purpose=%00", { headers: gw.auth() }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { object: string }).object).toBe("list");
  });
});

describe("GET /v1/models/{id}", () => {
  it.each([
    ["an unknown model", "/v1/models/gpt-4o"],
    ["a traversal", "/v1/models/..%2F..%2Fstatus"],
    ["an invalid percent escape", "/v1/models/%E0%A4%A"],
    ["unicode", "/v1/models/claude-%F0%9F%92%A5"],
    ["a prototype name", "/v1/models/__proto__"],
    ["the think suffix alone", "/v1/models/-think"],
  ])("%s is a 404 model_not_found JSON error", async (_, path) => {
    const gw = startGateway();
    const err = await expectOpenAIError(gw, await answered(gw.fetch(path, { headers: gw.auth() })), { status: 404 });
    expect(err.code).toBe("model_not_found");
    expect(err.message.length).toBeLessThan(2_000);
  });

  // Ids that cannot be model ids: more in model-ids.test.ts.
  it.each([
    ["a NUL", "/v1/models/%00"],
    ["a very long id", `/v1/models/${big(20_000)}`],
  ])("%s is a 400 invalid_model_id JSON error", async (_, path) => {
    const gw = startGateway();
    const err = await expectOpenAIError(gw, await answered(gw.fetch(path, { headers: gw.auth() })), { status: 400, param: "model" });
    expect(err.code).toBe("invalid_model_id");
    expect(err.message.length).toBeLessThan(2_000);
  });
});
