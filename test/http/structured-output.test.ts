import { describe, expect, it } from "vitest";
import { postChat, startGateway } from "../helpers/gateway";
import { assemble, parseOpenAIStream } from "../helpers/recorded";
import { chat, NEWER, OLDER } from "../helpers/chat-calls";

// response_format through the HTTP surface: native output_config.format where the model
// has structured outputs, a forced tool where it does not.
/** A model without structured outputs in the simulator's capabilities. */
const NO_NATIVE = "claude-opus-4-1";
const schema = { type: "object", properties: { name: { type: "string" }, age: { type: "integer" } }, required: ["name", "age"], additionalProperties: false };
const jsonSchema = { type: "json_schema", json_schema: { name: "person", schema, strict: true } };
const ask = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: "user", content: "Invent a person" }], response_format: jsonSchema, ...extra });

describe("json_schema on models with structured outputs: native output_config.format", () => {
  it("older model, thinking on: the budget and the format together", async () => {
    const gw = startGateway();
    const { sent, json } = await chat(gw, ask(OLDER, { reasoning_effort: "low" }));
    expect(sent.output_config).toEqual({ format: { type: "json_schema", schema } });
    expect(sent.thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    expect(sent.tools).toBeUndefined();
    expect(JSON.parse(json.choices[0].message.content)).toMatchObject({ name: expect.any(String), age: expect.any(Number) });
  });

  it("newer model: effort and format share output_config, thinking stays on", async () => {
    const gw = startGateway();
    const { sent, json } = await chat(gw, ask(NEWER, { reasoning_effort: "high" }));
    expect(sent.output_config).toEqual({ effort: "high", format: { type: "json_schema", schema } });
    expect(sent.thinking.type).toBe("adaptive");
    expect(json.choices[0].finish_reason).toBe("stop");
    expect(JSON.parse(json.choices[0].message.content)).toHaveProperty("name");
  });

  it("think_tags mode never puts tags into a JSON answer", async () => {
    const gw = startGateway({ REASONING_OUTPUT: "think_tags" });
    const { json } = await chat(gw, ask(NEWER, { reasoning_effort: "low" }));
    expect(() => JSON.parse(json.choices[0].message.content)).not.toThrow();
    const res = await postChat(gw, { ...ask(NEWER, { reasoning_effort: "low" }), stream: true });
    const streamedContent = assemble(parseOpenAIStream(await res.text()).chunks).content;
    expect(() => JSON.parse(streamedContent)).not.toThrow();
  });
});

describe("json_schema elsewhere: a forced tool whose input becomes the content", () => {
  it("non-stream: the tool is named after the schema, forced, and its input is the message content", async () => {
    const gw = startGateway();
    const { sent, json } = await chat(gw, ask(NO_NATIVE));
    expect(sent.output_config).toBeUndefined();
    expect(sent.tools).toEqual([expect.objectContaining({ name: "person", input_schema: schema })]);
    expect(sent.tool_choice).toEqual({ type: "tool", name: "person" });
    const choice = json.choices[0];
    expect(choice.message.tool_calls).toBeUndefined();
    expect(choice.finish_reason).toBe("stop");
    expect(JSON.parse(choice.message.content)).toMatchObject({ name: expect.any(String), age: expect.any(Number) });
  });

  it("stream: the same JSON arrives as content deltas, no tool call, finish stop", async () => {
    const gw = startGateway();
    const turn = { content: [{ type: "tool_use", name: "person", input: { name: "Ada", age: 36 } }] };
    gw.sim.script(turn);
    const res = await postChat(gw, { ...ask(NO_NATIVE), stream: true });
    const { chunks } = parseOpenAIStream(await res.text());
    const a = assemble(chunks);
    expect(a.toolCalls).toEqual([]);
    expect(JSON.parse(a.content)).toEqual({ name: "Ada", age: 36 });
    expect(a.finishReason).toBe("stop");
  });

  it("with thinking asked for, the forced tool wins: thinking off for the turn, with the header", async () => {
    const gw = startGateway();
    const { sent, res } = await chat(gw, ask(NO_NATIVE, { reasoning_effort: "high" }));
    expect(sent.thinking).toEqual({ type: "disabled" });
    expect(sent.tool_choice).toEqual({ type: "tool", name: "person" });
    expect(res.headers.get("x-claude2api-thinking")).toBe("off-this-turn");
  });

  it("with the client's own tools, any tool is forced and a client tool call still reaches the client", async () => {
    const gw = startGateway();
    const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: {} } } }];
    gw.sim.script({ content: [{ type: "tool_use", name: "lookup", input: {} }] });
    const { sent, json } = await chat(gw, ask(NO_NATIVE, { tools }));
    expect(sent.tool_choice).toEqual({ type: "any" });
    expect(sent.tools.map((t: any) => t.name)).toEqual(["lookup", "person"]);
    expect(json.choices[0].finish_reason).toBe("tool_calls");
    expect(json.choices[0].message.tool_calls[0].function.name).toBe("lookup");
  });
});

describe("json_object", () => {
  it.each([OLDER, NEWER, NO_NATIVE])("on %s: an instruction in the system prompt, no format, no forced tool", async (model) => {
    const gw = startGateway();
    const { sent } = await chat(gw, { model, messages: [{ role: "user", content: "JSON please" }], response_format: { type: "json_object" } });
    expect(JSON.stringify(sent.system)).toContain("valid JSON object");
    expect(sent.output_config).toBeUndefined();
    expect(sent.tool_choice).toBeUndefined();
  });
});

describe("refusals", () => {
  const refusal = { content: [{ type: "text", text: "I can't" }], stop_reason: "refusal", stop_details: { category: "cyber", explanation: "This looks like malware." } };

  it("non-stream: finish_reason content_filter and message.refusal with Anthropic's explanation", async () => {
    const gw = startGateway();
    gw.sim.script(refusal);
    const { json } = await chat(gw, ask(NEWER));
    expect(json.choices[0].finish_reason).toBe("content_filter");
    expect(json.choices[0].message.refusal).toContain("This looks like malware.");
  });

  it("stream: a refusal delta, then finish_reason content_filter", async () => {
    const gw = startGateway();
    gw.sim.script(refusal);
    const res = await postChat(gw, { ...ask(OLDER), stream: true });
    const a = assemble(parseOpenAIStream(await res.text()).chunks);
    expect(a.finishReason).toBe("content_filter");
    expect(a.refusal).toContain("This looks like malware.");
  });
});
