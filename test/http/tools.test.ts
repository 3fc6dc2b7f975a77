import { describe, expect, it } from "vitest";
import { postChat, startGateway } from "../helpers/gateway";
import { assemble, parseOpenAIStream } from "../helpers/recorded";
import { chat, messagesBodies, NEWER, OLDER } from "../helpers/chat-calls";

// Tools through the HTTP surface: the request mapping, the non-stream shape and the
// stream tool-call contract of docs/client-contract.md §F.
const weatherSchema = {
  type: "object",
  properties: {
    city: { type: "string", description: "City name" },
    unit: { type: "string", enum: ["c", "f"] },
    when: { $ref: "#/$defs/day" },
  },
  required: ["city"],
  additionalProperties: false,
  $defs: { day: { type: "string", format: "date" } },
};
const tools = [
  { type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: weatherSchema, strict: true } },
  { type: "function", function: { name: "get_time", description: "Current time" } },
];
const ask = (model: string, text: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: "user", content: text }], tools, ...extra });

describe("tools in", () => {
  it.each([OLDER, NEWER])("%s: the full JSON schema is kept, a tool without parameters gets an empty object schema", async (model) => {
    const gw = startGateway();
    const { sent } = await chat(gw, ask(model, "hello"));
    // cache_control may be added by automatic caching; it is not part of the translation checked here.
    expect(sent.tools.map(({ cache_control: _, ...t }: any) => t)).toEqual([
      { name: "get_weather", description: "Weather for a city", input_schema: weatherSchema, strict: true },
      { name: "get_time", description: "Current time", input_schema: { type: "object", properties: {} } },
    ]);
  });

  it.each([
    ["auto", { type: "auto" }],
    ["none", { type: "none" }],
    ["required", { type: "any" }],
    [{ type: "function", function: { name: "get_time" } }, { type: "tool", name: "get_time" }],
  ])("tool_choice %j → %j, accepted by both model kinds", async (choice, expected) => {
    const gw = startGateway();
    for (const model of [OLDER, NEWER]) expect((await chat(gw, ask(model, "hello", { tool_choice: choice }))).sent.tool_choice).toEqual(expected);
  });

  it("parallel_tool_calls: false → disable_parallel_tool_use, and the model calls one tool", async () => {
    const gw = startGateway();
    const auto = await chat(gw, ask(OLDER, "get_weather and get_time please", { parallel_tool_calls: false }));
    expect(auto.sent.tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });
    expect(auto.json.choices[0].message.tool_calls).toHaveLength(1);
    const required = await chat(gw, ask(NEWER, "x", { parallel_tool_calls: false, tool_choice: "required" }));
    expect(required.sent.tool_choice).toEqual({ type: "any", disable_parallel_tool_use: true });
  });

  it("a tool_choice naming an unknown tool is a 400 that never reaches the upstream", async () => {
    const gw = startGateway();
    const res = await postChat(gw, ask(OLDER, "x", { tool_choice: { type: "function", function: { name: "nope" } } }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toContain("nope");
    expect(messagesBodies(gw)).toHaveLength(0);
  });
});

describe("legacy functions / function_call", () => {
  const functions = [{ name: "get_time", description: "Current time", parameters: { type: "object", properties: {} } }];

  it("are read like tools, a named function_call forces that tool, and the answer is a legacy function_call", async () => {
    const gw = startGateway();
    const { sent, json } = await chat(gw, { model: OLDER, messages: [{ role: "user", content: "time?" }], functions, function_call: { name: "get_time" } });
    expect(sent.tools.map((t: any) => t.name)).toEqual(["get_time"]);
    expect(sent.tool_choice).toEqual({ type: "tool", name: "get_time", disable_parallel_tool_use: true });
    // A client that sent `functions` reads message.function_call, as OpenAI answers it; tool_calls would be lost on it.
    expect(json.choices[0].message.function_call).toEqual({ name: "get_time", arguments: "{}" });
    expect(json.choices[0].message.tool_calls).toBeUndefined();
    expect(json.choices[0].finish_reason).toBe("function_call");
  });

  it("stream: one function_call, name first with empty arguments, then argument fragments only; finish function_call", async () => {
    const gw = startGateway();
    const weather = { name: "get_weather", parameters: weatherSchema };
    const res = await postChat(gw, { model: NEWER, stream: true, messages: [{ role: "user", content: "use get_weather and get_time" }], functions: [weather, ...functions] });
    const { chunks } = parseOpenAIStream(await res.text());
    const deltas = chunks.map((c) => c.choices?.[0]?.delta).filter((d) => d?.function_call);
    expect(chunks.some((c) => c.choices?.[0]?.delta?.tool_calls)).toBe(false);
    expect(deltas[0].function_call).toEqual({ name: "get_weather", arguments: "" });
    for (const d of deltas.slice(1)) expect(Object.keys(d.function_call)).toEqual(["arguments"]);
    expect(JSON.parse(deltas.map((d) => d.function_call.arguments).join(""))).toHaveProperty("city");
    expect(assemble(chunks).finishReason).toBe("function_call");
    // function_call holds one call, so Claude is asked for one.
    expect(messagesBodies(gw)[0].tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });
  });

  it("a legacy history (assistant function_call + function message) goes upstream as a matched tool_use/tool_result pair", async () => {
    const gw = startGateway();
    const { sent, json } = await chat(gw, {
      model: NEWER,
      functions,
      messages: [
        { role: "user", content: "time?" },
        { role: "assistant", content: null, function_call: { name: "get_time", arguments: "{}" } },
        { role: "function", name: "get_time", content: "12:00" },
      ],
    });
    const use = sent.messages[1].content[0];
    const result = sent.messages[2].content[0];
    expect(use).toMatchObject({ type: "tool_use", name: "get_time" });
    expect(result).toMatchObject({ type: "tool_result", tool_use_id: use.id, content: "12:00" });
    expect(json.choices[0].message.content).toContain("12:00");
  });
});

describe("tool calls out, non-stream", () => {
  it.each([OLDER, NEWER])("%s: tool_calls with JSON-string arguments and finish_reason tool_calls", async (model) => {
    const gw = startGateway();
    const { json } = await chat(gw, ask(model, "use get_weather and get_time"));
    const choice = json.choices[0];
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.tool_calls).toHaveLength(2);
    for (const call of choice.message.tool_calls) {
      expect(call).toMatchObject({ type: "function", id: expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) });
      expect(typeof call.function.arguments).toBe("string");
      expect(JSON.parse(call.function.arguments)).toBeTypeOf("object");
    }
    expect(JSON.parse(choice.message.tool_calls[0].function.arguments)).toHaveProperty("city");
    expect(choice.message.tool_calls[1].function.arguments).toBe("{}");
  });

  it("content is null (not an empty string) when the model only called tools", async () => {
    const gw = startGateway();
    gw.sim.script({ content: [{ type: "tool_use", name: "get_time", input: {} }] });
    const { json } = await chat(gw, ask(OLDER, "x"));
    expect(json.choices[0].message.content).toBeNull();
  });
});

describe("tool calls out, stream (docs/client-contract.md §F)", () => {
  async function streamCalls(model: string, script?: object) {
    const gw = startGateway();
    if (script) gw.sim.script(script as never);
    const res = await postChat(gw, { ...ask(model, "use get_weather and get_time", { reasoning_effort: "low" }), stream: true });
    expect(res.status).toBe(200);
    const { chunks } = parseOpenAIStream(await res.text());
    const toolDeltas = chunks.flatMap((c) => (c.choices?.[0]?.delta?.tool_calls ? [c.choices[0].delta.tool_calls] : []));
    return { chunks, toolDeltas, assembled: assemble(chunks) };
  }

  it.each([OLDER, NEWER])("%s: one index per call, first delta id+type+name+\"\", later deltas arguments only, sequential", async (model) => {
    const { toolDeltas, assembled, chunks } = await streamCalls(model);
    // One call per chunk: NextChat reads only tool_calls[0].
    for (const d of toolDeltas) expect(d).toHaveLength(1);
    const calls = toolDeltas.map((d) => d[0]);
    // Thinking and text come first as blocks 0 and 1, yet the calls are numbered 0 and 1.
    expect([...new Set(calls.map((c) => c.index))]).toEqual([0, 1]);
    const firstOf = (i: number) => calls.findIndex((c) => c.index === i);
    const lastOf = (i: number) => calls.map((c) => c.index).lastIndexOf(i);
    expect(lastOf(0)).toBeLessThan(firstOf(1)); // call 0 finished before call 1 starts
    for (const i of [0, 1]) {
      const [first, ...rest] = calls.filter((c) => c.index === i);
      expect(first).toEqual({ index: i, id: expect.stringMatching(/^toolu_/), type: "function", function: { name: expect.any(String), arguments: "" } });
      for (const later of rest) expect(later).toEqual({ index: i, function: { arguments: expect.any(String) } });
      expect(rest.length).toBeGreaterThan(0); // at least one non-empty arguments fragment per call
      for (const later of rest) expect(later.function.arguments).not.toBe("");
    }
    expect(assembled.toolCalls.map((c) => c.name)).toEqual(["get_weather", "get_time"]);
    expect(JSON.parse(assembled.toolCalls[0]!.arguments)).toHaveProperty("city");
    // A tool without arguments gets "{}" exactly once.
    expect(calls.filter((c) => c.index === 1).map((c) => c.function.arguments)).toEqual(["", "{}"]);
    expect(assembled.finishReason).toBe("tool_calls");
    expect(chunks.some((c) => c.choices?.[0]?.delta?.tool_calls && ("content" in c.choices[0].delta || "reasoning_content" in c.choices[0].delta))).toBe(false);
  });

  it("two parallel calls of the same tool never merge", async () => {
    const { assembled, toolDeltas } = await streamCalls(OLDER, {
      content: [
        { type: "tool_use", name: "get_weather", input: { city: "Paris" } },
        { type: "tool_use", name: "get_weather", input: { city: "Rome" } },
      ],
    });
    expect(assembled.toolCalls).toHaveLength(2);
    expect(assembled.toolCalls.map((c) => JSON.parse(c.arguments))).toEqual([{ city: "Paris" }, { city: "Rome" }]);
    expect(new Set(assembled.toolCalls.map((c) => c.id)).size).toBe(2);
    expect(toolDeltas.filter((d) => d[0].id).map((d) => d[0].index)).toEqual([0, 1]);
  });

  it("the openai SDK's stream helper assembles the same calls as the non-stream answer", async () => {
    const gw = startGateway();
    const turn = { content: [{ type: "text", text: "Checking." }, { type: "tool_use", id: "toolu_A", name: "get_weather", input: { city: "Oslo", unit: "c" } }, { type: "tool_use", id: "toolu_B", name: "get_time", input: {} }] };
    gw.sim.script(turn, turn);
    const { json } = await chat(gw, ask(OLDER, "x"));
    const res = await postChat(gw, { ...ask(OLDER, "x"), stream: true });
    const streamedCalls = assemble(parseOpenAIStream(await res.text()).chunks).toolCalls;
    expect(streamedCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } }))).toEqual(json.choices[0].message.tool_calls);
  });
});

describe("tool calls and results in the history", () => {
  it("invalid JSON in a client's arguments is a 400 naming the field, never sent upstream", async () => {
    const gw = startGateway();
    const res = await postChat(gw, {
      model: OLDER,
      tools,
      messages: [
        { role: "user", content: "x" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_time", arguments: "{not json" } }] },
        { role: "tool", tool_call_id: "call_1", content: "12:00" },
      ],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain("messages[1].tool_calls[0].function.arguments");
    expect(messagesBodies(gw)).toHaveLength(0);
  });

  it("odd client ids (call:1/x) are mapped consistently on both sides, distinct ids stay distinct, results share one user turn", async () => {
    const gw = startGateway();
    const { sent, json } = await chat(gw, {
      model: NEWER,
      tools,
      messages: [
        { role: "user", content: "x" },
        {
          role: "assistant",
          content: "",
          tool_calls: [
            { id: "call:1/x", type: "function", function: { name: "get_time", arguments: "" } },
            { id: "call_1_x", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call:1/x", content: "12:00" },
        { role: "tool", tool_call_id: "call_1_x", content: "sunny" },
        { role: "user", content: "and now?" },
      ],
    });
    const uses = sent.messages[1].content.filter((b: any) => b.type === "tool_use");
    const ids = uses.map((b: any) => b.id);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(new Set(ids).size).toBe(2);
    expect(sent.messages[2].role).toBe("user");
    expect(sent.messages[2].content.map((b: any) => b.type)).toEqual(["tool_result", "tool_result", "text"]);
    expect(sent.messages[2].content.slice(0, 2).map((b: any) => b.tool_use_id)).toEqual(ids);
    expect(uses[0].input).toEqual({});
    expect(json.choices[0].finish_reason).toBe("stop");
  });

  it("a follow-up without tools (a title request) still carries the tool history, with placeholder definitions", async () => {
    const gw = startGateway();
    const { sent } = await chat(gw, {
      model: NEWER,
      messages: [
        { role: "user", content: "x" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_9", type: "function", function: { name: "get_time", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "call_9", content: "12:00" },
        { role: "user", content: "Write a title for this chat" },
      ],
    });
    expect(sent.tools.map((t: any) => t.name)).toEqual(["get_time"]);
    expect(sent.tool_choice).toEqual({ type: "none" });
  });
});
