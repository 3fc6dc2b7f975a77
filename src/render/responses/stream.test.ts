import { describe, expect, it } from "vitest";
import type { ResponseOutputItem } from "openai/resources/responses/responses";
import type { ResponseContext } from "./output";
import { parseResponsesRequest } from "../../openai/responses-schema";
import { responsesEventStream } from "./stream";

const ctx = (body: Record<string, unknown> = {}): ResponseContext => ({
  id: "resp_stream",
  createdAt: 1_700_000_000,
  req: parseResponsesRequest({ model: "claude-sonnet-4-5", input: "hi", stream: true, ...body }),
});

/** The core's chat completion SSE text: each value a `data:` block, strings sent as they are. */
function sse(...blocks: Array<object | string>): string {
  return blocks.map((b) => (typeof b === "string" ? b : `data: ${JSON.stringify(b)}\n\n`)).join("");
}

const delta = (d: object, finish_reason: string | null = null) => ({ object: "chat.completion.chunk", choices: [{ index: 0, delta: d, finish_reason }] });
const usageChunk = (prompt: number, completion: number, extra: object = {}) => ({ object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, ...extra } });
const DONE = "data: [DONE]\n\n";

/** The text as bytes, cut every `size` bytes: lines, JSON and UTF-8 characters split across chunks. */
function bytes(text: string, size: number): ReadableStream<Uint8Array> {
  const all = new TextEncoder().encode(text);
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += size) pieces.push(all.slice(i, i + size));
  return new ReadableStream({
    pull(controller) {
      const next = pieces.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

interface Event {
  type: string;
  sequence_number: number;
  [key: string]: any;
}

async function run(chat: ReadableStream<Uint8Array>, c: ResponseContext = ctx()) {
  const ends: Array<{ output: ResponseOutputItem[]; ok: boolean }> = [];
  const text = await new Response(responsesEventStream(chat, c, (output, ok) => ends.push({ output, ok }))).text();
  const blocks = text.split("\n\n").filter(Boolean);
  const comments = blocks.filter((b) => b.startsWith(":"));
  const events: Event[] = blocks
    .filter((b) => !b.startsWith(":"))
    .map((b) => {
      const [eventLine, dataLine, ...rest] = b.split("\n");
      expect(rest).toEqual([]);
      const data = JSON.parse(dataLine!.replace(/^data: /, "")) as Event;
      expect(eventLine).toBe(`event: ${data.type}`);
      return data;
    });
  // sequence_number counts every event from 0, in order.
  expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  expect(ends).toHaveLength(1);
  return { text, events, types: events.map((e) => e.type), comments, end: ends[0]! };
}

describe("responsesEventStream", () => {
  it("streams a text answer from a byte stream split mid-line: exact events, deltas and the final response", async () => {
    const chat = sse(delta({ role: "assistant", content: "" }), delta({ content: "Hel" }), delta({ content: "lo, wörld 👋" }), delta({}, "stop"), usageChunk(12, 5, { prompt_tokens_details: { cached_tokens: 8, cache_write_tokens: 0 } }), DONE);
    const { events, types, end } = await run(bytes(chat, 7));
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[0]!.response).toMatchObject({ id: "resp_stream", object: "response", created_at: 1_700_000_000, status: "in_progress", output: [], model: "claude-sonnet-4-5" });
    expect(events[1]!.response.status).toBe("in_progress");

    const added = events[2]!;
    const itemId = added.item.id;
    expect(itemId).toMatch(/^msg_/);
    expect(added).toMatchObject({ output_index: 0, item: { type: "message", id: itemId, status: "in_progress", role: "assistant", content: [] } });
    expect(events[3]!).toMatchObject({ item_id: itemId, output_index: 0, content_index: 0, part: { type: "output_text", text: "", annotations: [] } });
    expect(events.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta)).toEqual(["Hel", "lo, wörld 👋"]);
    expect(events[4]!).toMatchObject({ item_id: itemId, output_index: 0, content_index: 0, logprobs: [] });
    expect(events[6]!).toMatchObject({ item_id: itemId, content_index: 0, text: "Hello, wörld 👋" });
    expect(events[7]!.part).toEqual({ type: "output_text", text: "Hello, wörld 👋", annotations: [], logprobs: [] });
    const message = { type: "message", id: itemId, status: "completed", role: "assistant", content: [{ type: "output_text", text: "Hello, wörld 👋", annotations: [], logprobs: [] }] };
    expect(events[8]!).toMatchObject({ output_index: 0, item: message });

    const done = events[9]!.response;
    expect(done).toMatchObject({ id: "resp_stream", status: "completed", output_text: "Hello, wörld 👋", output: [message] });
    expect(done.usage).toEqual({ input_tokens: 12, input_tokens_details: { cached_tokens: 8, cache_write_tokens: 0 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 17 });
    expect(end.ok).toBe(true);
    expect(end.output).toEqual([message]);
  });

  it("gives the same events whatever the chunking (one byte at a time, or all at once)", async () => {
    const chat = sse(delta({ reasoning_content: "Hmm." }), delta({ content: "Ünïcode ✓" }), delta({}, "stop"), DONE);
    const strip = (events: Event[]) => JSON.stringify(events).replace(/(msg|rs)_[0-9a-z]+/g, "$1_ID");
    const a = await run(bytes(chat, 1));
    const b = await run(bytes(chat, 1 << 20));
    expect(strip(a.events)).toBe(strip(b.events));
    expect(a.events.at(-1)!.response.output_text).toBe("Ünïcode ✓");
  });

  it("streams reasoning as a reasoning item with a summary part, closed before the message opens", async () => {
    const chat = sse(delta({ reasoning_content: "Think " }), delta({ reasoning_content: "hard." }), delta({ content: "42" }, "stop"), usageChunk(10, 30, { completion_tokens_details: { reasoning_tokens: 25 } }), DONE);
    const { events, types } = await run(bytes(chat, 11));
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const rsId = events[2]!.item.id;
    expect(rsId).toMatch(/^rs_/);
    expect(events[2]!.item).toEqual({ type: "reasoning", id: rsId, summary: [] });
    expect(events[3]!).toMatchObject({ item_id: rsId, output_index: 0, summary_index: 0, part: { type: "summary_text", text: "" } });
    expect(events[5]!).toMatchObject({ item_id: rsId, delta: "hard." });
    expect(events[6]!).toMatchObject({ item_id: rsId, text: "Think hard." });
    expect(events[8]!.item).toEqual({ type: "reasoning", id: rsId, summary: [{ type: "summary_text", text: "Think hard." }] });
    expect(events[9]!).toMatchObject({ output_index: 1, item: { type: "message" } });
    const final = events.at(-1)!.response;
    expect(final.output.map((o: ResponseOutputItem) => o.type)).toEqual(["reasoning", "message"]);
    expect(final.output_text).toBe("42");
    expect(final.usage.output_tokens_details).toEqual({ reasoning_tokens: 25 });
  });

  it("streams tool calls: each an item, arguments as deltas, closed with the whole arguments", async () => {
    const chat = sse(
      delta({ content: "Checking." }),
      delta({ tool_calls: [{ index: 0, id: "toolu_A", type: "function", function: { name: "get_weather", arguments: "" } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      delta({ tool_calls: [{ index: 1, id: "toolu_B", type: "function", function: { name: "get_time", arguments: "{}" } }] }),
      delta({}, "tool_calls"),
      usageChunk(40, 20),
      DONE,
    );
    const { events, types, end } = await run(bytes(chat, 13));
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const a = events[8]!;
    expect(a.output_index).toBe(1);
    expect(a.item).toEqual({ type: "function_call", id: expect.stringMatching(/^fc_/), call_id: "toolu_A", name: "get_weather", arguments: "", status: "in_progress" });
    expect(events.slice(9, 11).map((e) => [e.item_id, e.output_index, e.delta])).toEqual([
      [a.item.id, 1, '{"city":'],
      [a.item.id, 1, '"Paris"}'],
    ]);
    expect(events[11]!).toMatchObject({ item_id: a.item.id, output_index: 1, name: "get_weather", arguments: '{"city":"Paris"}' });
    expect(events[12]!.item).toEqual({ ...a.item, arguments: '{"city":"Paris"}', status: "completed" });
    const b = events[13]!;
    expect(b).toMatchObject({ output_index: 2, item: { call_id: "toolu_B", name: "get_time", arguments: "" } });
    expect(b.item.id).not.toBe(a.item.id);
    expect(events[14]!).toMatchObject({ item_id: b.item.id, output_index: 2, delta: "{}" });

    const final = events.at(-1)!.response;
    expect(final.status).toBe("completed");
    expect(final.output.map((o: any) => [o.type, o.call_id ?? null, o.arguments ?? null, o.status])).toEqual([
      ["message", null, null, "completed"],
      ["function_call", "toolu_A", '{"city":"Paris"}', "completed"],
      ["function_call", "toolu_B", "{}", "completed"],
    ]);
    expect(final.output_text).toBe("Checking.");
    expect(final.usage.total_tokens).toBe(60);
    expect(end).toMatchObject({ ok: true });
    expect(end.output).toEqual(final.output);
  });

  it("streams a refusal as a refusal part after the text part of the same message", async () => {
    const chat = sse(delta({ content: "Well." }), delta({ refusal: "I can't " }), delta({ refusal: "do that." }, "stop"), DONE);
    const { events, types } = await run(bytes(chat, 5));
    expect(types.slice(2)).toEqual([
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.content_part.added",
      "response.refusal.delta",
      "response.refusal.delta",
      "response.refusal.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[7]!).toMatchObject({ content_index: 1, part: { type: "refusal", refusal: "" } });
    expect(events[10]!).toMatchObject({ content_index: 1, refusal: "I can't do that." });
    const final = events.at(-1)!.response;
    expect(final.status).toBe("completed");
    expect(final.output[0].content).toEqual([
      { type: "output_text", text: "Well.", annotations: [], logprobs: [] },
      { type: "refusal", refusal: "I can't do that." },
    ]);
    expect(final.output_text).toBe("Well.");
  });

  it("ends with response.incomplete when the answer hit max_output_tokens", async () => {
    const chat = sse(delta({ content: "Once upon a" }, "length"), usageChunk(3, 4), DONE);
    const { events, types, end } = await run(bytes(chat, 9), ctx({ max_output_tokens: 4 }));
    expect(types.at(-1)).toBe("response.incomplete");
    expect(events.at(-1)!.response).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, max_output_tokens: 4, output_text: "Once upon a", usage: { output_tokens: 4 } });
    expect(end.ok).toBe(true);
  });

  it("turns an error chunk mid-stream into error then response.failed, and ignores everything after", async () => {
    const chat = sse(
      delta({ content: "Partial" }),
      { error: { message: "Overloaded", type: "overloaded_error", code: null, param: null } },
      delta({ content: " never shown" }),
      DONE,
    );
    const { events, types, end } = await run(bytes(chat, 6));
    expect(types).toEqual(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta", "error", "response.failed"]);
    expect(events[5]!).toEqual({ type: "error", sequence_number: 5, code: "overloaded_error", message: "Overloaded", param: null });
    const failed = events[6]!.response;
    expect(failed).toMatchObject({ id: "resp_stream", status: "failed", error: { code: "overloaded_error", message: "Overloaded" } });
    expect(failed.output.map((o: ResponseOutputItem) => [o.type, o.id])).toEqual([["message", events[2]!.item.id]]);
    expect(end.ok).toBe(false);
  });

  it("prefers the error's code over its type", async () => {
    const { events } = await run(bytes(sse({ error: { message: "No key", type: "api_error", code: "no_key" } }), 100));
    expect(events.map((e) => [e.type, e.code ?? e.response?.error?.code])).toEqual([
      ["response.created", undefined],
      ["response.in_progress", undefined],
      ["error", "no_key"],
      ["response.failed", "no_key"],
    ]);
  });

  it("fails a stream that ends without [DONE], even with a finish_reason", async () => {
    const { events, types, end } = await run(bytes(sse(delta({ content: "Hi" }, "stop")), 4));
    expect(types.slice(-2)).toEqual(["error", "response.failed"]);
    expect(events.at(-2)).toMatchObject({ code: "server_error", message: "The answer ended early; the response is incomplete." });
    expect(end.ok).toBe(false);
  });

  it("reads a last block with no blank line after it", async () => {
    const { types, end } = await run(bytes(sse(delta({ content: "Hi" }, "stop")) + "data: [DONE]", 4));
    expect(types.at(-1)).toBe("response.completed");
    expect(end.ok).toBe(true);
  });

  it("fails on a chunk that is not JSON", async () => {
    const { events, types, end } = await run(bytes(sse(delta({ content: "Hi" })) + "data: {not json\n\n" + DONE, 8));
    expect(types.slice(-2)).toEqual(["error", "response.failed"]);
    expect(events.at(-2)!.code).toBe("server_error");
    expect(end.ok).toBe(false);
  });

  it("fails when the upstream connection breaks", async () => {
    let sent = false;
    const chat = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new Error("reset"));
        sent = true;
        controller.enqueue(new TextEncoder().encode(sse(delta({ content: "Hi" }))));
      },
    });
    const { events, types, end } = await run(chat);
    expect(types.slice(-2)).toEqual(["error", "response.failed"]);
    expect(events.at(-2)!.message).toContain("connection was lost");
    expect(end.ok).toBe(false);
  });

  it("passes keep-alive comments through between events", async () => {
    const { text, comments, types } = await run(bytes(": keep-alive\n\n" + sse(delta({ content: "Hi" }, "stop")) + ": keep-alive\n\n" + DONE, 3));
    expect(comments).toEqual([": keep-alive", ": keep-alive"]);
    expect(types.at(-1)).toBe("response.completed");
    // The first comment arrives after the opening events, the second before the closing ones.
    expect(text.indexOf(": keep-alive")).toBeGreaterThan(text.indexOf("response.in_progress"));
    expect(text.lastIndexOf(": keep-alive")).toBeLessThan(text.indexOf("response.output_text.done"));
  });

  it("reports a client that goes away as not ok, and cancels the chat stream", async () => {
    let cancelled: unknown;
    const chat = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(sse(delta({ content: "Hi" }))));
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const ends: boolean[] = [];
    const reader = responsesEventStream(chat, ctx(), (_, ok) => ends.push(ok)).getReader();
    await reader.read();
    await reader.cancel("bye");
    expect(ends).toEqual([false]);
    expect(cancelled).toBe("bye");
  });
});
