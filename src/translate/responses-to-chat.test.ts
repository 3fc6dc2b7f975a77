import { describe, expect, it } from "vitest";
import { GatewayError } from "../errors";
import { parseChatRequest } from "../openai/schema";
import { parseResponsesRequest } from "../openai/responses-schema";
import { toChatRequest } from "./responses-to-chat";

const model = "claude-sonnet-4-5";

/** A Responses body as a client sends it → the chat body, checked to be one the chat core accepts. */
function chat(body: Record<string, unknown>, stored: Array<[string, string]> = []) {
  const out = toChatRequest(parseResponsesRequest({ model, ...body }), new Map(stored));
  expect(() => parseChatRequest(JSON.parse(JSON.stringify(out)))).not.toThrow();
  return out;
}

function refused(body: Record<string, unknown>, stored: Array<[string, string]> = []): GatewayError {
  try {
    toChatRequest(parseResponsesRequest({ model, ...body }), new Map(stored));
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError);
    expect((e as GatewayError).status).toBe(400);
    return e as GatewayError;
  }
  throw new Error("expected a 400");
}

describe("toChatRequest: input", () => {
  it("turns a string input into one user message, and nothing else", () => {
    expect(chat({ input: "hello" })).toEqual({ model, messages: [{ role: "user", content: "hello" }] });
  });

  it("puts instructions first as a system message; empty instructions add nothing", () => {
    expect(chat({ input: "hi", instructions: "Be brief." }).messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "hi" },
    ]);
    expect(chat({ input: "hi", instructions: "" }).messages).toEqual([{ role: "user", content: "hi" }]);
  });

  it("keeps user, system and developer roles, with or without type: message", () => {
    const out = chat({
      input: [
        { role: "system", content: "sys" },
        { type: "message", role: "developer", content: "dev" },
        { type: "message", role: "user", content: "u" },
      ],
    });
    expect(out.messages).toEqual([
      { role: "system", content: "sys" },
      { role: "developer", content: "dev" },
      { role: "user", content: "u" },
    ]);
  });

  it("maps input_text, output_text, refusal, input_image and input_file parts to chat parts in order", () => {
    const out = chat({
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "look" },
            { type: "input_image", image_url: "https://example.com/a.png", detail: "high" },
            { type: "input_image", file_id: "file-img" },
            { type: "input_file", file_data: "data:application/pdf;base64,JVBER", filename: "a.pdf" },
            { type: "input_file", file_id: "file-doc" },
            { type: "output_text", text: "echoed" },
            { type: "refusal", refusal: "no" },
          ],
        },
      ],
    });
    expect(out.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "look" },
          { type: "image_url", image_url: { url: "https://example.com/a.png" } },
          { type: "file", file: { file_id: "file-img" } },
          { type: "file", file: { file_data: "data:application/pdf;base64,JVBER", file_id: undefined, filename: "a.pdf" } },
          { type: "file", file: { file_data: undefined, file_id: "file-doc", filename: undefined } },
          { type: "text", text: "echoed" },
          { type: "text", text: "no" },
        ],
      },
    ]);
  });

  it("refuses an input_image without a source, an input_file without data, and file URLs, naming the part", () => {
    const noImage = refused({ input: [{ role: "user", content: [{ type: "input_text", text: "x" }, { type: "input_image", detail: "auto" }] }] });
    expect(noImage.param).toBe("input[0].content[1].image_url");
    expect(noImage.message).toContain("input_image needs image_url or file_id");

    const url = refused({ input: [{ role: "user", content: [{ type: "input_file", file_url: "https://example.com/a.pdf" }] }] });
    expect(url.param).toBe("input[0].content[0].file_url");
    expect(url.message).toContain("file URLs are not supported");

    const empty = refused({ input: [{ role: "user", content: "a" }, { role: "user", content: [{ type: "input_file", filename: "a.pdf" }] }] });
    expect(empty.param).toBe("input[1].content[0].file_data");
  });

  it("flattens assistant content parts to text and joins consecutive assistant text into one turn", () => {
    const out = chat({
      input: [
        { role: "user", content: "q" },
        { role: "assistant", content: [{ type: "output_text", text: "Hello " }, { type: "refusal", refusal: "but no" }] },
        { type: "message", role: "assistant", content: "; more" },
      ],
    });
    expect(out.messages).toEqual([
      { role: "user", content: "q" },
      { role: "assistant", content: "Hello but no; more" },
    ]);
  });

  it("refuses an image in an assistant message", () => {
    const e = refused({ input: [{ role: "assistant", content: [{ type: "input_image", image_url: "https://example.com/a.png" }] }] });
    expect(e.param).toBe("input[0].content[0].type");
    expect(e.message).toContain("input_image is not allowed in an assistant message");
  });

  it("pairs function_call with function_call_output by call_id, calls of one turn in one assistant message after its text", () => {
    const out = chat({
      input: [
        { role: "user", content: "weather in Paris and Rome?" },
        { role: "assistant", content: [{ type: "output_text", text: "Checking." }] },
        { type: "function_call", id: "fc_1", call_id: "call_a", name: "get_weather", arguments: '{"city":"Paris"}' },
        { type: "function_call", id: "fc_2", call_id: "call_b", name: "get_weather", arguments: '{"city":"Rome"}' },
        { type: "function_call_output", call_id: "call_a", output: "18C" },
        { type: "function_call_output", call_id: "call_b", output: [{ type: "input_text", text: "21C" }] },
      ],
    });
    expect(out.messages).toEqual([
      { role: "user", content: "weather in Paris and Rome?" },
      {
        role: "assistant",
        content: "Checking.",
        tool_calls: [
          { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          { id: "call_b", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_a", content: "18C" },
      { role: "tool", tool_call_id: "call_b", content: [{ type: "text", text: "21C" }] },
    ]);
  });

  it("starts an assistant message for a call with no text before it (missing arguments become empty), and a new one for text after calls", () => {
    const out = chat({
      input: [
        { role: "user", content: "go" },
        { type: "function_call", call_id: "call_1", name: "ping" },
        { type: "function_call_output", call_id: "call_1", output: "pong" },
        { type: "function_call", call_id: "call_2", name: "ping", arguments: "{}" },
        { role: "assistant", content: "after" },
      ],
    });
    expect(out.messages).toEqual([
      { role: "user", content: "go" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "ping", arguments: "" } }] },
      { role: "tool", tool_call_id: "call_1", content: "pong" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_2", type: "function", function: { name: "ping", arguments: "{}" } }] },
      { role: "assistant", content: "after" },
    ]);
  });

  it("drops reasoning items and references to reasoning, and resolves a message reference to its stored text", () => {
    const out = chat(
      {
        input: [
          { role: "user", content: "q" },
          { type: "reasoning", id: "rs_x", summary: [{ type: "summary_text", text: "thinking" }], encrypted_content: null },
          { type: "item_reference", id: "rs_abc" },
          { type: "item_reference", id: "msg_1" },
          { type: "function_call", call_id: "call_1", name: "f", arguments: "{}" },
          { type: "function_call_output", call_id: "call_1", output: "ok" },
        ],
      },
      [["msg_1", "Let me call f."]],
    );
    expect(out.messages).toEqual([
      { role: "user", content: "q" },
      { role: "assistant", content: "Let me call f.", tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "call_1", content: "ok" },
    ]);
  });

  it("refuses an item_reference it cannot resolve, naming the item", () => {
    const e = refused({ input: [{ role: "user", content: "q" }, { type: "item_reference", id: "msg_gone" }] }, [["msg_other", "x"]]);
    expect(e.param).toBe("input[1].id");
    expect(e.code).toBe("item_not_found");
    expect(e.message).toContain('item_reference "msg_gone" is not known here');
  });
});

describe("toChatRequest: parameters", () => {
  it("sends no optional fields that were not given (or were null)", () => {
    const out = chat({ input: "x", tools: null, tool_choice: null, parallel_tool_calls: null, max_output_tokens: null, reasoning: null, text: null, stream: false, store: false, metadata: { a: "b" } });
    expect(out).toEqual({ model, messages: [{ role: "user", content: "x" }] });
  });

  it("maps function tools, tool_choice (each form) and parallel_tool_calls", () => {
    const tools = [
      { type: "function", name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: true },
      { type: "function", name: "noop" },
    ];
    const out = chat({ input: "x", tools, tool_choice: { type: "function", name: "get_weather" }, parallel_tool_calls: false });
    expect(out.tools).toEqual([
      { type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: true } },
      { type: "function", function: { name: "noop", description: undefined, parameters: undefined, strict: undefined } },
    ]);
    expect(out.tool_choice).toEqual({ type: "function", function: { name: "get_weather" } });
    expect(out.parallel_tool_calls).toBe(false);
    for (const choice of ["auto", "none", "required"] as const) expect(chat({ input: "x", tools, tool_choice: choice }).tool_choice).toBe(choice);
    expect(chat({ input: "x", tools: [] }).tools).toBeUndefined();
  });

  it("maps max_output_tokens, temperature, top_p, reasoning.effort and stream", () => {
    const out = chat({ input: "x", max_output_tokens: 300, temperature: 0, top_p: 0.5, reasoning: { effort: "high", summary: "auto" }, stream: true });
    expect(out).toMatchObject({ max_completion_tokens: 300, temperature: 0, top_p: 0.5, reasoning_effort: "high", stream: true });
    expect(chat({ input: "x", max_output_tokens: 1 }).max_completion_tokens).toBe(1);
    expect(chat({ input: "x", reasoning: { summary: "auto" } }).reasoning_effort).toBeUndefined();
    expect(chat({ input: "x", reasoning: { effort: "none" } }).reasoning_effort).toBe("none");
  });

  it("maps text.format json_schema and json_object to response_format; text sends none", () => {
    const schema = { type: "object", properties: { a: { type: "number" } }, required: ["a"] };
    expect(chat({ input: "x", text: { format: { type: "json_schema", name: "answer", description: "The answer", schema, strict: true } } }).response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "answer", description: "The answer", schema, strict: true },
    });
    expect(chat({ input: "x", text: { format: { type: "json_object" } } }).response_format).toEqual({ type: "json_object" });
    expect(chat({ input: "x", text: { format: { type: "text" } } }).response_format).toBeUndefined();
    expect(chat({ input: "x", text: {} }).response_format).toBeUndefined();
  });

  it("sends safety_identifier as user, over the deprecated user field", () => {
    expect(chat({ input: "x", user: "u1" }).user).toBe("u1");
    expect(chat({ input: "x", user: "u1", safety_identifier: "s1" }).user).toBe("s1");
  });
});
