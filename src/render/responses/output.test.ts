import { describe, expect, it } from "vitest";
import { buildResponse, finishedStatus, fromChatCompletion, messageTexts, newFunctionCallId, newMessageId, newReasoningId, newResponseId, toResponsesUsage, type ResponseObjectContext } from "./output";
import { parseResponsesRequest } from "../../openai/responses-schema";

const ctx = (body: Record<string, unknown> = {}): ResponseObjectContext => ({
  id: "resp_test",
  createdAt: 1_700_000_000,
  req: parseResponsesRequest({ model: "claude-sonnet-4-5", input: "hi", ...body }),
});

const usage = { prompt_tokens: 1210, completion_tokens: 50, prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 200 }, completion_tokens_details: { reasoning_tokens: 40 } };

describe("ids", () => {
  it("carry their prefix and 32+ hex/base36 characters, and never repeat", () => {
    expect(newResponseId()).toMatch(/^resp_[0-9a-f]{32}[0-9a-z]+$/);
    expect(newMessageId()).toMatch(/^msg_[0-9a-f]{32}/);
    expect(newReasoningId()).toMatch(/^rs_[0-9a-f]{32}/);
    expect(newFunctionCallId()).toMatch(/^fc_[0-9a-f]{32}/);
    const ids = new Set(Array.from({ length: 200 }, newMessageId));
    expect(ids.size).toBe(200);
  });
});

describe("toResponsesUsage", () => {
  it("maps prompt/completion tokens with cached, cache-write and reasoning details", () => {
    expect(toResponsesUsage(usage)).toEqual({
      input_tokens: 1210,
      input_tokens_details: { cached_tokens: 1000, cache_write_tokens: 200 },
      output_tokens: 50,
      output_tokens_details: { reasoning_tokens: 40 },
      total_tokens: 1260,
    });
  });

  it("reports missing details as zero, and no usage as null", () => {
    expect(toResponsesUsage({ prompt_tokens: 5, completion_tokens: 2, prompt_tokens_details: null })).toEqual({
      input_tokens: 5,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 7,
    });
    expect(toResponsesUsage(null)).toBeNull();
    expect(toResponsesUsage(undefined)).toBeNull();
  });
});

describe("fromChatCompletion", () => {
  it("renders a text answer as one completed message, with output_text and usage", () => {
    const res = fromChatCompletion({ choices: [{ message: { content: "Hello there" }, finish_reason: "stop" }], usage }, ctx());
    expect(res).toMatchObject({ id: "resp_test", object: "response", created_at: 1_700_000_000, status: "completed", error: null, incomplete_details: null, model: "claude-sonnet-4-5", output_text: "Hello there" });
    expect(res.output).toHaveLength(1);
    expect(res.output[0]).toEqual({
      type: "message",
      id: expect.stringMatching(/^msg_/),
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: "Hello there", annotations: [], logprobs: [] }],
    });
    expect(res.usage).toEqual(toResponsesUsage(usage));
  });

  it("puts reasoning first as a reasoning item with one summary part, then text, then function calls", () => {
    const res = fromChatCompletion(
      {
        choices: [
          {
            message: {
              reasoning_content: "The user wants weather.",
              content: "Checking both.",
              tool_calls: [
                { id: "toolu_1", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
                { id: "toolu_2", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
              ],
            },
            finish_reason: "tool_calls",
          },
        ],
      },
      ctx(),
    );
    expect(res.status).toBe("completed");
    expect(res.output.map((o) => o.type)).toEqual(["reasoning", "message", "function_call", "function_call"]);
    expect(res.output[0]).toEqual({ type: "reasoning", id: expect.stringMatching(/^rs_/), summary: [{ type: "summary_text", text: "The user wants weather." }] });
    expect(res.output[2]).toEqual({ type: "function_call", id: expect.stringMatching(/^fc_/), call_id: "toolu_1", name: "get_weather", arguments: '{"city":"Paris"}', status: "completed" });
    expect(res.output[3]).toMatchObject({ call_id: "toolu_2", arguments: '{"city":"Rome"}' });
    expect(res.output[2]!.id).not.toBe(res.output[3]!.id);
    expect(res.output_text).toBe("Checking both.");
    expect(res.usage).toBeUndefined();
  });

  it("renders only function calls when there is no text (no empty message)", () => {
    const res = fromChatCompletion({ choices: [{ message: { content: null, tool_calls: [{ id: "c1", function: { name: "f", arguments: "{}" } }] }, finish_reason: "tool_calls" }] }, ctx());
    expect(res.output.map((o) => o.type)).toEqual(["function_call"]);
    expect(res.output_text).toBe("");
  });

  it("renders a refusal as a refusal part of a completed message, left out of output_text", () => {
    const res = fromChatCompletion({ choices: [{ message: { content: null, refusal: "I can't help with that." }, finish_reason: "stop" }] }, ctx());
    expect(res.status).toBe("completed");
    expect(res.output).toEqual([{ type: "message", id: expect.stringMatching(/^msg_/), status: "completed", role: "assistant", content: [{ type: "refusal", refusal: "I can't help with that." }] }]);
    expect(res.output_text).toBe("");
  });

  it("reports finish_reason length as incomplete for max_output_tokens, keeping the partial text", () => {
    const res = fromChatCompletion({ choices: [{ message: { content: "Once upon" }, finish_reason: "length" }], usage: { prompt_tokens: 3, completion_tokens: 16 } }, ctx({ max_output_tokens: 16 }));
    expect(res.status).toBe("incomplete");
    expect(res.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(res.max_output_tokens).toBe(16);
    expect(res.output_text).toBe("Once upon");
    expect(res.usage?.output_tokens).toBe(16);
  });

  it("answers an empty completion with an empty output", () => {
    const res = fromChatCompletion({ choices: [] }, ctx());
    expect(res.status).toBe("completed");
    expect(res.output).toEqual([]);
  });
});

describe("buildResponse", () => {
  it("echoes the request: instructions, tools, tool_choice, sampling, reasoning, text format, metadata, user, store", () => {
    const format = { type: "json_schema", name: "a", schema: { type: "object" }, strict: true };
    const res = buildResponse(
      ctx({
        instructions: "Be brief.",
        tools: [{ type: "function", name: "f", parameters: { type: "object" } }],
        tool_choice: { type: "function", name: "f" },
        parallel_tool_calls: false,
        temperature: 0.2,
        top_p: 0.9,
        reasoning: { effort: "low", summary: "auto" },
        text: { format },
        metadata: { k: "v" },
        user: "u1",
        store: false,
      }),
      "in_progress",
      [],
      null,
    );
    expect(res).toMatchObject({
      status: "in_progress",
      instructions: "Be brief.",
      tools: [{ type: "function", name: "f", description: null, parameters: { type: "object" }, strict: null }],
      tool_choice: { type: "function", name: "f" },
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.9,
      reasoning: { effort: "low", summary: "auto" },
      text: { format },
      metadata: { k: "v" },
      user: "u1",
      store: false,
      previous_response_id: null,
      truncation: "disabled",
      output: [],
      output_text: "",
    });
    expect(res.usage).toBeUndefined();
  });

  it("fills defaults when the request leaves things out", () => {
    const res = buildResponse(ctx(), "completed", [], null);
    expect(res).toMatchObject({ instructions: null, max_output_tokens: null, tools: [], tool_choice: "auto", parallel_tool_calls: true, temperature: null, top_p: null, reasoning: { effort: null, summary: null }, text: { format: { type: "text" } }, metadata: {}, store: true });
  });

  it("carries the error of a failed response", () => {
    const res = buildResponse(ctx(), "failed", [], null, { code: "overloaded_error", message: "Overloaded" });
    expect(res.status).toBe("failed");
    expect(res.error).toEqual({ code: "overloaded_error", message: "Overloaded" });
    expect(res.incomplete_details).toBeNull();
  });
});

describe("finishedStatus", () => {
  it("is incomplete only when max_output_tokens cut the answer", () => {
    expect(finishedStatus("length")).toBe("incomplete");
    for (const r of ["stop", "tool_calls", "content_filter", null, undefined]) expect(finishedStatus(r)).toBe("completed");
  });
});

describe("messageTexts", () => {
  it("lists each message's text (refusals included) by id, skipping other items", () => {
    const res = fromChatCompletion(
      { choices: [{ message: { reasoning_content: "hmm", content: "Part one.", refusal: " Not that.", tool_calls: [{ id: "c", function: { name: "f", arguments: "{}" } }] }, finish_reason: "stop" }] },
      ctx(),
    );
    const message = res.output.find((o) => o.type === "message")!;
    expect(messageTexts(res.output)).toEqual([[message.id, "Part one. Not that."]]);
  });
});
