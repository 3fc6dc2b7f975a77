import { describe, expect, it } from "vitest";
import { ClaudeSimulator } from "./index";
import { send, userTurn } from "./test-support";

describe("POST /v1/messages default answers", () => {
  it("greets and quotes the user, with a full Message shape and real headers", async () => {
    const sim = new ClaudeSimulator();
    const { status, json, res } = await send(sim, userTurn("Hi there"));
    expect(status).toBe(200);
    expect(res.headers.get("request-id")).toMatch(/^req_/);
    expect(res.headers.get("anthropic-organization-id")).toBeTruthy();
    expect(res.headers.get("anthropic-ratelimit-requests-limit")).toBeTruthy();
    expect(res.headers.get("anthropic-ratelimit-output-tokens-reset")).toMatch(/Z$/);
    expect(json).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5",
      stop_reason: "end_turn",
      stop_sequence: null,
      stop_details: null,
      content: [{ type: "text", text: "Hello! This is the Claude simulator (offline demo). You said: “Hi there”" }],
    });
    expect(json.id).toMatch(/^msg_01[0-9A-Za-z]{22}$/);
    expect(json.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0, service_tier: "standard" });
    expect(json.usage.input_tokens).toBeGreaterThan(0);
    expect(json.usage.output_tokens).toBe(Math.ceil(json.content[0].text.length / 4));
  });

  it("mentions attachments", async () => {
    const sim = new ClaudeSimulator();
    const { json } = await send(sim, {
      model: "claude-sonnet-4-5", max_tokens: 100,
      messages: [{ role: "user", content: [
        { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
        { type: "document", source: { type: "text", media_type: "text/plain", data: "notes" } },
        { type: "text", text: "What is this?" },
      ] }],
    });
    expect(json.content[0].text).toContain("I see 1 image and 1 document.");
  });

  it("cuts at a stop sequence", async () => {
    const sim = new ClaudeSimulator();
    const { json } = await send(sim, userTurn("one STOP two", "claude-sonnet-4-5", { stop_sequences: ["STOP"] }));
    expect(json.stop_reason).toBe("stop_sequence");
    expect(json.stop_sequence).toBe("STOP");
    expect(json.content[0].text).toBe("Hello! This is the Claude simulator (offline demo). You said: “one ");
  });

  it("truncates to max_tokens, and max_tokens 0 gives no content", async () => {
    const sim = new ClaudeSimulator();
    const short = await send(sim, userTurn("Tell me everything", "claude-sonnet-4-5", { max_tokens: 3 }));
    expect(short.json.stop_reason).toBe("max_tokens");
    expect(short.json.content[0].text).toBe("Hello! This ");
    expect(short.json.usage.output_tokens).toBe(3);
    const zero = await send(sim, userTurn("warm the cache", "claude-sonnet-4-5", { max_tokens: 0 }));
    expect(zero.json).toMatchObject({ content: [], stop_reason: "max_tokens" });
  });

  it("calls a mentioned tool with input built from its schema", async () => {
    const sim = new ClaudeSimulator();
    const tools = [{
      name: "get_weather",
      input_schema: {
        type: "object",
        properties: { location: { type: "string" }, unit: { type: "string", enum: ["c", "f"] }, days: { type: "integer", minimum: 3 }, opts: { type: "object", properties: { hourly: { type: "boolean" } }, required: ["hourly"] }, tags: { type: "array", items: { type: "string" } }, note: { type: "string" } },
        required: ["location", "unit", "days", "opts", "tags"],
      },
    }];
    const { json } = await send(sim, userTurn("Use get_weather for Paris", "claude-sonnet-4-5", { tools }));
    expect(json.stop_reason).toBe("tool_use");
    expect(json.content[0]).toEqual({ type: "text", text: "I'll use get_weather." });
    expect(json.content[1]).toMatchObject({ type: "tool_use", name: "get_weather", input: { location: "Paris", unit: "c", days: 3, opts: { hourly: true }, tags: ["example"] } });
    expect(json.content[1].input).not.toHaveProperty("note");
    expect(json.content[1].id).toMatch(/^toolu_[0-9A-Za-z]{24}$/);
  });

  it("calls two mentioned tools in parallel unless parallel use is disabled", async () => {
    const sim = new ClaudeSimulator();
    const schema = { type: "object", properties: {} };
    const tools = [{ name: "get_weather", input_schema: schema }, { name: "get_time", input_schema: schema }, { name: "unused", input_schema: schema }];
    const both = await send(sim, userTurn("get_time and get_weather please", "claude-sonnet-4-5", { tools }));
    expect(both.json.content.filter((b: any) => b.type === "tool_use").map((b: any) => b.name)).toEqual(["get_weather", "get_time"]);
    const one = await send(sim, userTurn("get_time and get_weather please", "claude-sonnet-4-5", { tools, tool_choice: { type: "auto", disable_parallel_tool_use: true } }));
    expect(one.json.content.filter((b: any) => b.type === "tool_use")).toHaveLength(1);
    const forced = await send(sim, userTurn("hello", "claude-sonnet-4-5", { tools, tool_choice: { type: "tool", name: "unused" } }));
    expect(forced.json.content).toMatchObject([{ type: "tool_use", name: "unused", input: {} }]);
    const none = await send(sim, userTurn("get_time", "claude-sonnet-4-5", { tools, tool_choice: { type: "none" } }));
    expect(none.json.stop_reason).toBe("end_turn");
  });

  it("answers a tool result by quoting it", async () => {
    const sim = new ClaudeSimulator();
    const { json } = await send(sim, {
      model: "claude-sonnet-4-5", max_tokens: 200,
      tools: [{ name: "get_weather", input_schema: { type: "object" } }],
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "22°C and sunny" }] },
      ],
    });
    expect(json.stop_reason).toBe("end_turn");
    expect(json.content[0].text).toBe("The tool get_weather returned: 22°C and sunny");
  });

  it("writes JSON that fits output_config.format", async () => {
    const sim = new ClaudeSimulator();
    const schema = { type: "object", properties: { name: { type: "string" }, age: { type: "integer" }, kind: { enum: ["cat", "dog"] } }, required: ["name", "age", "kind"], additionalProperties: false };
    const { json } = await send(sim, userTurn("a pet", "claude-sonnet-4-5", { output_config: { format: { type: "json_schema", schema } } }));
    expect(JSON.parse(json.content[0].text)).toEqual({ name: "example", age: 1, kind: "cat" });
  });

  it("plays scripted turns in order, then falls back to the default", async () => {
    const sim = new ClaudeSimulator();
    sim.script(
      { content: [{ type: "text", text: "scripted one" }], usage: { input_tokens: 7 } },
      { error: { status: 529, type: "overloaded_error", message: "Overloaded" } },
    );
    const first = await send(sim, userTurn("x"));
    expect(first.json.content).toEqual([{ type: "text", text: "scripted one" }]);
    expect(first.json.usage.input_tokens).toBe(7);
    const second = await send(sim, userTurn("x"));
    expect(second.status).toBe(529);
    expect(second.json.error).toEqual({ type: "overloaded_error", message: "Overloaded" });
    const third = await send(sim, userTurn("x"));
    expect(third.json.content[0].text).toContain("Claude simulator");
    expect(sim.received).toHaveLength(3);
    expect(sim.received[0]).toMatchObject({ method: "POST", path: "/v1/messages", apiKey: "sk-ant-test-key", body: { model: "claude-sonnet-4-5" } });
  });

  it("does not consume a script on a request that fails validation", async () => {
    const sim = new ClaudeSimulator();
    sim.script({ content: [{ type: "text", text: "kept" }] });
    expect((await send(sim, { model: "claude-sonnet-4-5", max_tokens: 10, messages: [] })).status).toBe(400);
    expect((await send(sim, userTurn("x"))).json.content[0].text).toBe("kept");
  });
});
