import { describe, expect, it } from "vitest";
import { toolCallIdsNeedingThinking, translateChatRequest, type RequestTranslationContext } from "./request";
import { parseChatRequest } from "../openai/schema";
import { tableProfile } from "../models/fallback";
import { GatewayError } from "../errors";
import type { AnthropicContentBlock } from "../platforms/anthropic/types";
import { JSON_INSTRUCTION } from "./structured-output";

const sonnet45 = tableProfile("claude-sonnet-4-5")!; // budget thinking, exclusive sampling, prefill
const opus48 = tableProfile("claude-opus-4-8")!; // adaptive only, sampling locked, no prefill

function ctx(profile = sonnet45, extra: Partial<RequestTranslationContext> = {}): RequestTranslationContext {
  return { profile, think: false, defaultMaxTokens: 32000, restoredThinking: new Map(), ...extra };
}
function translate(body: object, c: RequestTranslationContext = ctx()) {
  return translateChatRequest(parseChatRequest(body), c);
}
function bad(body: object, c: RequestTranslationContext = ctx()): GatewayError {
  try {
    translate(body, c);
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError);
    return e as GatewayError;
  }
  throw new Error("expected a 400");
}
const user = (content: unknown) => ({ role: "user", content });
const call = (id: string, name = "get_weather", args = '{"city":"Paris"}') => ({ id, type: "function", function: { name, arguments: args } });
const weatherTool = { type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } };

describe("translateChatRequest: basics", () => {
  it("builds a minimal body with the default max_tokens and the model without -think", () => {
    const t = translate({ model: "claude-sonnet-4-5-think", messages: [user("hi")] }, ctx(sonnet45, { think: true }));
    expect(t.body.model).toBe("claude-sonnet-4-5");
    expect(t.body.messages).toEqual([{ role: "user", content: [{ type: "text", text: "hi" }] }]);
    expect(t.thinking).toBe(true);
  });

  it("hoists system and developer messages, including mid-conversation ones, in order", () => {
    const t = translate({
      model: "claude-sonnet-4-5",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "developer", content: [{ type: "text", text: "Formatting re-enabled" }] },
        user("a"),
        { role: "assistant", content: "b" },
        { role: "system", content: "RAG context: x" },
        user("c"),
      ],
    });
    expect(t.body.system).toEqual([
      { type: "text", text: "You are terse." },
      { type: "text", text: "Formatting re-enabled" },
      { type: "text", text: "RAG context: x" },
    ]);
    expect(t.body.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  });

  it("merges consecutive same-role turns and keeps a leading assistant turn", () => {
    const t = translate({ model: "m", messages: [{ role: "assistant", content: "Hello!" }, user("a"), user([{ type: "text", text: "b" }])] });
    expect(t.body.messages).toEqual([
      { role: "assistant", content: [{ type: "text", text: "Hello!" }] },
      { role: "user", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] },
    ]);
  });

  it("rejects a conversation with nothing to send", () => {
    expect(bad({ model: "m", messages: [{ role: "system", content: "s" }, user("")] }).param).toBe("messages");
  });

  it("maps max tokens: max_completion_tokens first, clamped to the model", () => {
    expect(translate({ model: "m", messages: [user("a")], max_completion_tokens: 100, max_tokens: 200 }).body.max_tokens).toBe(100);
    expect(translate({ model: "m", messages: [user("a")], max_tokens: 200 }).body.max_tokens).toBe(200);
    expect(translate({ model: "m", messages: [user("a")], max_tokens: 1_000_000 }).body.max_tokens).toBe(64_000);
    expect(translate({ model: "m", messages: [user("a")] }).body.max_tokens).toBe(32000);
  });

  it("maps stop, user and ignores what Claude has no use for", () => {
    const t = translate({ model: "m", messages: [user("a")], stop: ["\n", "END"], user: "u-123", seed: 1, presence_penalty: 1 });
    expect(t.body.stop_sequences).toEqual(["END"]);
    expect(t.body.metadata).toEqual({ user_id: "u-123" });
    expect(t.body).not.toHaveProperty("seed");
  });

  it("treats a trailing assistant message as prefill where the model allows it, and 400s where it does not", () => {
    const body = { model: "m", messages: [user("Write JSON"), { role: "assistant", content: "{ " }] };
    expect(translate(body).body.messages[1]).toEqual({ role: "assistant", content: [{ type: "text", text: "{" }] });
    const e = bad(body, ctx(opus48));
    expect(e.param).toBe("messages[1]");
    expect(e.message).toMatch(/claude-opus-4-8 does not accept a final assistant message \(prefill\)/);
  });
});

describe("translateChatRequest: sampling per model", () => {
  it("older model: clamps temperature and keeps it over top_p (NextChat)", () => {
    const t = translate({ model: "m", messages: [user("a")], temperature: 1.5, top_p: 1, presence_penalty: 0, frequency_penalty: 0 });
    expect(t.body.temperature).toBe(1);
    expect(t.body.top_p).toBeUndefined();
    expect(t.adjustments.join()).toMatch(/top_p dropped/);
  });
  it("newer model: drops temperature, top_p and top_k", () => {
    const t = translate({ model: "m", messages: [user("a")], temperature: 0.2, top_p: 0.5, top_k: 10 }, ctx(opus48));
    expect(t.body).not.toHaveProperty("temperature");
    expect(t.body).not.toHaveProperty("top_p");
    expect(t.body).not.toHaveProperty("top_k");
  });
});

describe("translateChatRequest: reasoning", () => {
  it("older model: reasoning_effort → budget, max_tokens stays above the budget, temperature dropped", () => {
    const t = translate({ model: "m", messages: [user("a")], reasoning_effort: "high", temperature: 0.3 });
    expect(t.body.thinking).toEqual({ type: "enabled", budget_tokens: 16384 });
    expect(t.body.max_tokens).toBe(32000);
    expect(t.body).not.toHaveProperty("temperature");
    expect(t.thinking).toBe(true);
  });
  it("older model: a client max_tokens below the budget shrinks the budget", () => {
    const t = translate({ model: "m", messages: [user("a")], reasoning_effort: "xhigh", max_tokens: 4000 });
    expect(t.body.max_tokens).toBe(4000);
    expect(t.body.thinking).toEqual({ type: "enabled", budget_tokens: 3000 });
  });
  it("older model: a max_tokens too small for any budget turns thinking off with a reason", () => {
    const t = translate({ model: "m", messages: [user("a")], reasoning_effort: "low", max_tokens: 1000 });
    expect(t.thinking).toBe(false);
    expect(t.body.thinking).toEqual({ type: "disabled" });
    expect(t.thinkingDroppedReason).toMatch(/max_tokens 1000/);
  });
  it("newer model: reasoning_effort → adaptive + output_config.effort", () => {
    const t = translate({ model: "m", messages: [user("a")], reasoning_effort: "minimal" }, ctx(opus48));
    expect(t.body.thinking).toEqual({ type: "adaptive", display: "summarized" });
    expect(t.body.output_config).toEqual({ effort: "low" });
  });
  it("newer model: reasoning_effort none → thinking disabled", () => {
    const t = translate({ model: "m", messages: [user("a")], reasoning_effort: "none" }, ctx(opus48));
    expect(t.body.thinking).toEqual({ type: "disabled" });
    expect(t.thinking).toBe(false);
    expect(t.body).not.toHaveProperty("output_config");
  });
  it("Cherry Studio's raw thinking: kept on older models, converted on adaptive-only ones", () => {
    const body = { model: "m", messages: [user("a")], thinking: { type: "enabled", budget_tokens: 2048 } };
    expect(translate(body).body.thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    const t = translate(body, ctx(opus48));
    expect(t.body.thinking).toEqual({ type: "adaptive", display: "summarized" });
    expect(t.body.output_config).toEqual({ effort: "low" });
  });
  it("LobeChat's thinking disabled with budget 0 → disabled", () => {
    const t = translate({ model: "m", messages: [user("a")], thinking: { type: "disabled", budget_tokens: 0 }, temperature: 0.7 });
    expect(t.body.thinking).toEqual({ type: "disabled" });
    expect(t.body.temperature).toBe(0.7);
  });
  it("OpenRouter reasoning object, with exclude → display omitted and hideReasoning", () => {
    const t = translate({ model: "m", messages: [user("a")], reasoning: { effort: "high", exclude: true } }, ctx(opus48));
    expect(t.body.thinking).toEqual({ type: "adaptive", display: "omitted" });
    expect(t.hideReasoning).toBe(true);
    expect(translate({ model: "m", messages: [user("a")], reasoning: { max_tokens: 3000 } }).body.thinking).toEqual({ type: "enabled", budget_tokens: 3000 });
  });
  it("-think on an adaptive model: adaptive at the model's default effort", () => {
    const t = translate({ model: "claude-opus-4-8-think", messages: [user("a")] }, ctx(opus48, { think: true }));
    expect(t.body.thinking).toEqual({ type: "adaptive", display: "summarized" });
    expect(t.body).not.toHaveProperty("output_config");
  });
  it("forced tool_choice turns thinking off for the turn and says why", () => {
    const t = translate({ model: "m", messages: [user("a")], reasoning_effort: "high", tools: [weatherTool], tool_choice: "required" });
    expect(t.body.tool_choice).toEqual({ type: "any" });
    expect(t.body.thinking).toEqual({ type: "disabled" });
    expect(t.thinking).toBe(false);
    expect(t.thinkingDroppedReason).toMatch(/forces a tool call/);
  });
  it("forced tool_choice on a model that always thinks relaxes the choice instead", () => {
    const fable = tableProfile("claude-fable-5")!;
    const t = translate({ model: "m", messages: [user("a")], tools: [weatherTool], tool_choice: { type: "function", function: { name: "get_weather" } } }, ctx(fable));
    expect(t.body.tool_choice).toEqual({ type: "auto" });
    expect(t.thinking).toBe(true);
  });
  it("prefill with thinking turns thinking off", () => {
    const t = translate({ model: "m", messages: [user("a"), { role: "assistant", content: "Sure:" }], reasoning_effort: "low" });
    expect(t.thinking).toBe(false);
    expect(t.thinkingDroppedReason).toMatch(/prefill/);
  });
});

describe("translateChatRequest: tools", () => {
  it("maps tools with their full schema, tool_choice and parallel_tool_calls", () => {
    const t = translate({
      model: "m",
      messages: [user("a")],
      tools: [
        { ...weatherTool, function: { ...weatherTool.function, strict: true, parameters: { ...weatherTool.function.parameters, additionalProperties: false, $defs: { x: {} } } } },
        { type: "function", function: { name: "noargs" }, cache_control: { type: "ephemeral", ttl: "1h" } },
      ],
      tool_choice: "auto",
      parallel_tool_calls: false,
    });
    expect(t.body.tools).toEqual([
      {
        name: "get_weather",
        description: "Weather",
        strict: true,
        input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false, $defs: { x: {} } },
      },
      { name: "noargs", input_schema: { type: "object", properties: {} }, cache_control: { type: "ephemeral", ttl: "1h" } },
    ]);
    expect(t.body.tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });
  });
  it("maps none, named and parallel_tool_calls without a choice", () => {
    expect(translate({ model: "m", messages: [user("a")], tools: [weatherTool], tool_choice: "none" }).body.tool_choice).toEqual({ type: "none" });
    expect(translate({ model: "m", messages: [user("a")], tools: [weatherTool], tool_choice: { type: "function", function: { name: "get_weather" } } }).body.tool_choice).toEqual({ type: "tool", name: "get_weather" });
    expect(translate({ model: "m", messages: [user("a")], tools: [weatherTool], parallel_tool_calls: false }).body.tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });
    expect(translate({ model: "m", messages: [user("a")], tools: [weatherTool] }).body).not.toHaveProperty("tool_choice");
  });
  it("drops strict on models without structured outputs", () => {
    const haiku35 = tableProfile("claude-3-5-haiku-latest")!;
    const t = translate({ model: "m", messages: [user("a")], tools: [{ ...weatherTool, function: { ...weatherTool.function, strict: true } }] }, ctx(haiku35));
    expect(t.body.tools![0]).not.toHaveProperty("strict");
  });
  it("accepts legacy functions / function_call and function messages", () => {
    const t = translate({
      model: "m",
      functions: [{ name: "get_weather", parameters: { type: "object", properties: {} } }],
      function_call: { name: "get_weather" },
      messages: [user("a"), { role: "assistant", content: null, function_call: { name: "get_weather", arguments: "{}" } }, { role: "function", name: "get_weather", content: "sunny" }],
    });
    // One call: the legacy answer (message.function_call) cannot hold more.
    expect(t.body.tool_choice).toEqual({ type: "tool", name: "get_weather", disable_parallel_tool_use: true });
    expect(t.legacyFunctions).toBe(true);
    const toolUse = (t.body.messages[1]!.content as { type: string; id?: string }[])[0]!;
    const result = (t.body.messages[2]!.content as { type: string; tool_use_id?: string }[])[0]!;
    expect(toolUse.type).toBe("tool_use");
    expect(result.tool_use_id).toBe(toolUse.id);
  });
  it("400s on bad tool definitions and choices", () => {
    expect(bad({ model: "m", messages: [user("a")], tools: [{ type: "function", function: { name: "has space" } }] }).param).toBe("tools[0].function.name");
    expect(bad({ model: "m", messages: [user("a")], tools: [weatherTool, weatherTool] }).param).toBe("tools[1].function.name");
    expect(bad({ model: "m", messages: [user("a")], tools: [{ type: "function", function: { name: "x", parameters: { type: "array" } } }] }).param).toBe("tools[0].function.parameters.type");
    expect(bad({ model: "m", messages: [user("a")], tools: [weatherTool], tool_choice: { type: "function", function: { name: "nope" } } }).param).toBe("tool_choice.function.name");
    expect(bad({ model: "m", messages: [user("a")], tool_choice: "required" }).param).toBe("tool_choice");
  });

  it("NextChat: assistant tool_calls without content, tool message with name → tool_use + tool_result", () => {
    const t = translate({
      model: "m",
      messages: [
        user("weather in Paris?"),
        { role: "assistant", tool_calls: [call("call_abc")] },
        { name: "get_weather", role: "tool", content: "22°C", tool_call_id: "call_abc" },
      ],
      tools: [weatherTool],
    });
    expect(t.body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "weather in Paris?" }] },
      { role: "assistant", content: [{ type: "tool_use", id: "call_abc", name: "get_weather", input: { city: "Paris" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "call_abc", content: "22°C" }] },
    ]);
  });

  it("merges consecutive tool results into one user turn, results first, then the user's text", () => {
    const t = translate({
      model: "m",
      tools: [weatherTool],
      messages: [
        user("two cities"),
        { role: "assistant", content: "Checking.", tool_calls: [call("functions.get_weather:0"), call("functions.get_weather:1", "get_weather", "")] },
        { role: "tool", tool_call_id: "functions.get_weather:0", content: [{ type: "text", text: "sunny" }, { type: "image_url", image_url: { url: "https://x/map.png" } }] },
        { role: "tool", tool_call_id: "functions.get_weather:1", content: "" },
        user([{ type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }]),
      ],
    });
    const [, assistant, results] = t.body.messages;
    const uses = (assistant!.content as { type: string; id?: string; input?: unknown }[]).filter((b) => b.type === "tool_use");
    expect(uses.map((u) => u.id)).toEqual(uses.map((u) => u.id).map((id) => id!.replace(/[^a-zA-Z0-9_-]/g, "")));
    expect(uses[1]!.input).toEqual({});
    const blocks = results!.content as { type: string; tool_use_id?: string; content?: unknown }[];
    expect(blocks.map((b) => b.type)).toEqual(["tool_result", "tool_result", "image"]);
    expect(blocks[0]!.tool_use_id).toBe(uses[0]!.id);
    expect(blocks[1]!.tool_use_id).toBe(uses[1]!.id);
    expect(blocks[0]!.content).toEqual([{ type: "text", text: "sunny" }, { type: "image", source: { type: "url", url: "https://x/map.png" } }]);
    expect(blocks[1]).not.toHaveProperty("content");
  });

  it("puts tool results before user text even when the client sent them the other way round", () => {
    const t = translate({ model: "m", tools: [weatherTool], messages: [user("q"), { role: "assistant", tool_calls: [call("c1")] }, user("also this"), { role: "tool", tool_call_id: "c1", content: "r" }] });
    expect((t.body.messages[2]!.content as { type: string }[]).map((b) => b.type)).toEqual(["tool_result", "text"]);
  });

  it("400s on tool call arguments that are not a JSON object", () => {
    const msgs = (args: string) => [user("q"), { role: "assistant", tool_calls: [call("c1", "get_weather", args)] }, { role: "tool", tool_call_id: "c1", content: "r" }];
    expect(bad({ model: "m", tools: [weatherTool], messages: msgs("{oops") }).param).toBe("messages[1].tool_calls[0].function.arguments");
    expect(bad({ model: "m", tools: [weatherTool], messages: msgs("[1]") }).message).toMatch(/JSON object/);
  });

  it("400s on a tool result that answers no call of the assistant turn before it, naming the message", () => {
    const orphan = bad({ model: "m", messages: [user("q"), { role: "tool", tool_call_id: "call_zzz", content: "r" }] });
    expect(orphan.param).toBe("messages[1].tool_call_id");
    expect(orphan.message).toMatch(/no tool call with id "call_zzz"/);
    const wrongId = bad({ model: "m", tools: [weatherTool], messages: [user("q"), { role: "assistant", tool_calls: [call("c1")] }, { role: "tool", tool_call_id: "c2", content: "r" }] });
    expect(wrongId.param).toBe("messages[2].tool_call_id");
    // A result two turns after its call: Anthropic wants it right after the call.
    const late = bad({
      model: "m",
      tools: [weatherTool],
      messages: [user("q"), { role: "assistant", tool_calls: [call("c1")] }, { role: "tool", tool_call_id: "c1", content: "r" }, { role: "assistant", content: "ok" }, { role: "tool", tool_call_id: "c1", content: "again" }],
    });
    expect(late.param).toBe("messages[4].tool_call_id");
    const fn = bad({ model: "m", messages: [user("q"), { role: "function", name: "get_weather", content: "sunny" }] });
    expect(fn.param).toBe("messages[1].name");
    expect(fn.message).toMatch(/no function_call "get_weather"/);
    const cached = bad({ model: "m", messages: [user("q"), { role: "tool", tool_call_id: "x", content: "r", cache_control: { type: "ephemeral" } }] });
    expect(cached.param).toBe("messages[1].tool_call_id");
  });

  it("400s on a tool call name in the history that Anthropic would refuse", () => {
    const e = bad({ model: "m", messages: [user("q"), { role: "assistant", tool_calls: [call("c1", "get weather!")] }, { role: "tool", tool_call_id: "c1", content: "r" }] });
    expect(e.param).toBe("messages[1].tool_calls[0].function.name");
    expect(bad({ model: "m", messages: [user("q"), { role: "assistant", tool_calls: [call("c1", "")] }, { role: "tool", tool_call_id: "c1", content: "r" }] }).param).toBe("messages[1].tool_calls[0].function.name");
    const legacy = bad({ model: "m", messages: [user("q"), { role: "assistant", function_call: { name: "a.b", arguments: "{}" } }, { role: "function", name: "a.b", content: "r" }] });
    expect(legacy.param).toBe("messages[1].function_call.name");
  });

  it("defines placeholder tools when the history uses tools the request no longer sends", () => {
    const t = translate({ model: "m", messages: [user("q"), { role: "assistant", tool_calls: [call("c1")] }, { role: "tool", tool_call_id: "c1", content: "r" }, { role: "assistant", content: "done" }, user("title please")] });
    expect(t.body.tools!.map((x) => (x as { name: string }).name)).toEqual(["get_weather"]);
    expect(t.body.tool_choice).toEqual({ type: "none" });
  });
});

describe("translateChatRequest: content and caching", () => {
  it("Roo Code: cache_control on system and user parts, max_completion_tokens only", () => {
    const t = translate({
      model: "m",
      max_completion_tokens: 8192,
      messages: [
        { role: "system", content: [{ type: "text", text: "You are Roo.", cache_control: { type: "ephemeral" } }] },
        user([{ type: "text", text: "task", cache_control: { type: "ephemeral" } }]),
        { role: "assistant", content: "ok" },
        user([{ type: "text", text: "more", cache_control: { type: "ephemeral", ttl: "1h" } }]),
      ],
    });
    expect(t.body.max_tokens).toBe(8192);
    expect(t.body.system).toEqual([{ type: "text", text: "You are Roo.", cache_control: { type: "ephemeral" } }]);
    expect(t.body.messages[2]!.content).toEqual([{ type: "text", text: "more", cache_control: { type: "ephemeral", ttl: "1h" } }]);
  });

  it("message-level cache_control goes on the message's last block", () => {
    const t = translate({ model: "m", messages: [{ role: "user", content: "long doc", cache_control: { type: "ephemeral" } }] });
    expect(t.body.messages[0]!.content).toEqual([{ type: "text", text: "long doc", cache_control: { type: "ephemeral" } }]);
  });

  it("names the exact part in content errors", () => {
    const e = bad({ model: "m", messages: [user("a"), { role: "assistant", content: "b" }, user([{ type: "text", text: "c" }, { type: "image_url", image_url: { url: "http://x/y.png" } }])] });
    expect(e.param).toBe("messages[2].content[1].image_url.url");
    expect(bad({ model: "m", messages: [{ role: "system", content: [{ type: "image_url", image_url: { url: "https://x" } }] }, user("a")] }).param).toBe("messages[0].content[0].type");
  });

  it("file parts: PDF document and file_id with the files beta", () => {
    const t = translate({
      model: "m",
      messages: [user([{ type: "file", file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0x" } }, { type: "file", file: { file_id: "file_1" } }, { type: "text", text: "summarise" }])],
    });
    expect((t.body.messages[0]!.content as { type: string }[]).map((b) => b.type)).toEqual(["document", "document", "text"]);
    expect(t.betas).toEqual(["files-api-2025-04-14"]);
  });
});

describe("translateChatRequest: structured output", () => {
  const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };
  const rf = { type: "json_schema", json_schema: { name: "my answer", schema, strict: true } };

  it("native output_config.format where the model has structured outputs", () => {
    const t = translate({ model: "m", messages: [user("a")], response_format: rf }, ctx(opus48));
    expect(t.body.output_config).toEqual({ format: { type: "json_schema", schema } });
    expect(t.structuredOutput).toEqual({ mode: "native" });
  });

  it("a forced tool elsewhere, turning thinking off", () => {
    const old = { ...sonnet45, structuredOutputs: false };
    const t = translate({ model: "m", messages: [user("a")], response_format: rf, reasoning_effort: "high" }, ctx(old));
    expect(t.structuredOutput).toEqual({ mode: "tool", toolName: "my_answer" });
    expect(t.body.tools).toEqual([{ name: "my_answer", description: "Respond with a JSON value matching this schema.", input_schema: schema }]);
    expect(t.body.tool_choice).toEqual({ type: "tool", name: "my_answer" });
    expect(t.thinking).toBe(false);
    expect(t.thinkingDroppedReason).toMatch(/structured output/);
  });

  it("with client tools, the forced tool becomes tool_choice any", () => {
    const old = { ...sonnet45, structuredOutputs: false };
    const t = translate({ model: "m", messages: [user("a")], response_format: { type: "json_schema", json_schema: { name: "get_weather", schema } }, tools: [weatherTool] }, ctx(old));
    expect(t.body.tools!.map((x) => (x as { name: string }).name)).toEqual(["get_weather", "get_weather_2"]);
    expect(t.body.tool_choice).toEqual({ type: "any" });
  });

  it("json_object → a system instruction", () => {
    const t = translate({ model: "m", messages: [{ role: "system", content: "s" }, user("a")], response_format: { type: "json_object" } }, ctx(opus48));
    expect(t.body.system).toEqual([{ type: "text", text: "s" }, { type: "text", text: JSON_INSTRUCTION }]);
    expect(t.structuredOutput).toBeUndefined();
  });
});

describe("thinking across turns", () => {
  const signed: AnthropicContentBlock[] = [{ type: "thinking", thinking: "I should call the tool.", signature: "sig-abc" } as AnthropicContentBlock];
  const loop = (assistantExtra: object = {}) => ({
    model: "m",
    reasoning_effort: "high",
    tools: [weatherTool],
    messages: [user("q"), { role: "assistant", content: null, tool_calls: [call("toolu_01")], ...assistantExtra }, { role: "tool", tool_call_id: "toolu_01", content: "22°C" }],
  });

  it("restores signed thinking from the ThinkingStore in front of the tool_use", () => {
    const t = translate(loop(), ctx(sonnet45, { restoredThinking: new Map([["toolu_01", signed]]) }));
    expect(t.thinking).toBe(true);
    expect(t.body.messages[1]!.content).toEqual([
      { type: "thinking", thinking: "I should call the tool.", signature: "sig-abc" },
      { type: "tool_use", id: "toolu_01", name: "get_weather", input: { city: "Paris" } },
    ]);
  });

  it("uses reasoning_details echoed by the client when the store has nothing", () => {
    const t = translate(loop({ reasoning_details: [{ type: "reasoning.text", text: "hm", signature: "s1" }] }), ctx(opus48));
    expect(t.thinking).toBe(true);
    expect((t.body.messages[1]!.content as { type: string }[])[0]).toEqual({ type: "thinking", thinking: "hm", signature: "s1" });
  });

  it("degrades to thinking off when the current loop's signed thinking is gone (no 400)", () => {
    const t = translate(loop({ reasoning_content: "unsigned reasoning" }), ctx(sonnet45));
    expect(t.thinking).toBe(false);
    expect(t.thinkingDroppedReason).toBe("signed thinking for tool call toolu_01 is not available");
    expect(JSON.stringify(t.body.messages)).not.toMatch(/unsigned reasoning/);
  });

  it("needs no signed thinking once the loop has ended with a new user message", () => {
    const body = loop();
    body.messages.push({ role: "assistant", content: "It is 22°C." } as never, user("thanks, and tomorrow?") as never);
    const t = translate(body, ctx(sonnet45));
    expect(t.thinking).toBe(true);
    expect(toolCallIdsNeedingThinking(parseChatRequest(body))).toEqual([]);
  });

  it("toolCallIdsNeedingThinking lists one id per assistant turn of the current loop", () => {
    const req = parseChatRequest({
      model: "m",
      messages: [
        user("q"),
        { role: "assistant", tool_calls: [call("old")] },
        { role: "tool", tool_call_id: "old", content: "r" },
        { role: "assistant", content: "answer" },
        user("next"),
        { role: "assistant", tool_calls: [call("a1"), call("a2")] },
        { role: "tool", tool_call_id: "a1", content: "r" },
        { role: "tool", tool_call_id: "a2", content: "r" },
        { role: "assistant", tool_calls: [call("b1")] },
        { role: "tool", tool_call_id: "b1", content: "r" },
        user([{ type: "image_url", image_url: { url: "https://x/screenshot.png" } }]),
      ],
    });
    expect(toolCallIdsNeedingThinking(req)).toEqual(["a1", "b1"]);
  });
});

describe("real client requests", () => {
  it("Open WebUI with min_p and custom params", () => {
    const t = translate({ model: "claude-sonnet-4-5", stream: true, messages: [user("hi")], min_p: 0.1, temperature: 0.8, top_p: 0.9, custom_params: { foo: 1 }, num_ctx: 2048 });
    expect(t.body).toMatchObject({ model: "claude-sonnet-4-5", temperature: 0.8 });
    expect(t.body).not.toHaveProperty("stream");
  });
  it("Cherry Studio: thinking enabled on a Claude id, temperature omitted", () => {
    const t = translate({ model: "claude-opus-4-8", messages: [user("hi")], thinking: { type: "enabled", budget_tokens: 8000 }, max_tokens: 16000, stream_options: { include_usage: true } }, ctx(opus48));
    expect(t.body.thinking?.type).toBe("adaptive");
    expect(t.body.output_config).toEqual({ effort: "medium" });
    expect(t.body.max_tokens).toBe(16000);
  });
});

describe("a tool loop's own web searches", () => {
  const web = { WEB_SEARCH: true, WEB_FETCH: false, WEB_SEARCH_ALLOWED_DOMAINS: [], WEB_SEARCH_BLOCKED_DOMAINS: [], WEB_SEARCH_MAX_USES: 5 };
  const use = { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "paris weather" } };
  const result = { type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [{ type: "web_search_result", url: "https://x.example", title: "X", encrypted_content: "enc" }] };
  const t1 = { type: "thinking", thinking: "search first", signature: "s1" };
  const t2 = { type: "thinking", thinking: "now the tool", signature: "s2" };
  const stored = [t1, use, result, t2] as unknown as AnthropicContentBlock[];
  const body = (assistants: object[]) => ({
    model: "m",
    reasoning_effort: "high",
    tools: [weatherTool],
    web_search_options: {},
    messages: [user("q"), ...assistants],
  });
  const results = (...ids: string[]) => ids.map((id) => ({ role: "tool", tool_call_id: id, content: "22°C" }));

  it("go back in the answer's order, the store's order winning over an echo of the same thinking", () => {
    const echoed = { reasoning_details: [{ type: "reasoning.text", text: "search first", signature: "s1" }, { type: "reasoning.text", text: "now the tool", signature: "s2" }] };
    const t = translate(body([{ role: "assistant", content: "Let me check.", tool_calls: [call("toolu_01"), call("toolu_02", "get_weather", '{"city":"Oslo"}')], ...echoed }, ...results("toolu_01", "toolu_02")]), ctx(opus48, { restoredThinking: new Map([["toolu_01", stored]]), webTools: web, search: false }));
    expect((t.body.messages[1]!.content as { type: string }[]).map((b) => b.type)).toEqual(["thinking", "server_tool_use", "web_search_tool_result", "thinking", "text", "tool_use", "tool_use"]);
  });

  it("go back once when the answer's calls come split over two assistant messages", () => {
    const t = translate(
      body([
        { role: "assistant", content: null, tool_calls: [call("toolu_01")] },
        { role: "assistant", content: null, tool_calls: [call("toolu_02", "get_weather", '{"city":"Oslo"}')] },
        ...results("toolu_01", "toolu_02"),
      ]),
      ctx(sonnet45, { restoredThinking: new Map([["toolu_01", stored], ["toolu_02", stored]]), webTools: web }),
    );
    const types = t.body.messages.flatMap((m) => (Array.isArray(m.content) ? (m.content as { type: string }[]) : []).map((b) => b.type));
    expect(types.filter((x) => x === "server_tool_use")).toHaveLength(1);
  });

  it("stay out when the request has no web search", () => {
    const { web_search_options: _, ...plain } = body([{ role: "assistant", content: null, tool_calls: [call("toolu_01")] }, ...results("toolu_01")]);
    const t = translate(plain, ctx(sonnet45, { restoredThinking: new Map([["toolu_01", stored]]), webTools: web }));
    expect(JSON.stringify(t.body.messages)).not.toContain("server_tool_use");
  });
});
