import { describe, expect, it } from "vitest";
import type { ResponseOutputItem } from "openai/resources/responses/responses";
import type { ResponseObjectContext } from "./output";
import { parseResponsesRequest } from "../../openai/responses-schema";
import { anthropicSseEvents } from "../../platforms/anthropic/events";
import { CLIENT_GONE } from "../event-stream";
import { responsesEvents } from "./stream";

const ctx = (body: Record<string, unknown> = {}): ResponseObjectContext => ({
  id: "resp_stream",
  createdAt: 1_700_000_000,
  req: parseResponsesRequest({ model: "claude-sonnet-4-5", input: "hi", stream: true, ...body }),
});

/** Anthropic SSE text: each object one event (its `type` also as the event name), strings sent as they are. */
function sse(...events: Array<object | string>): string {
  return events.map((e) => (typeof e === "string" ? e : `event: ${(e as { type: string }).type}\ndata: ${JSON.stringify(e)}\n\n`)).join("");
}

const start = (usage: object = { input_tokens: 12, output_tokens: 1 }) => ({ type: "message_start", message: { id: "msg_up", type: "message", role: "assistant", content: [], model: "claude-sonnet-4-5", stop_reason: null, usage } });
const blockStart = (index: number, content_block: object) => ({ type: "content_block_start", index, content_block });
const blockDelta = (index: number, delta: object) => ({ type: "content_block_delta", index, delta });
const blockStop = (index: number) => ({ type: "content_block_stop", index });
const text = (index: number, ...parts: string[]) => [blockStart(index, { type: "text", text: "" }), ...parts.map((p) => blockDelta(index, { type: "text_delta", text: p })), blockStop(index)];
const thinking = (index: number, ...parts: string[]) => [
  blockStart(index, { type: "thinking", thinking: "", signature: "" }),
  ...parts.map((p) => blockDelta(index, { type: "thinking_delta", thinking: p })),
  blockDelta(index, { type: "signature_delta", signature: "sig" }),
  blockStop(index),
];
const tool = (index: number, id: string, name: string, ...json: string[]) => [
  blockStart(index, { type: "tool_use", id, name, input: {} }),
  ...json.map((j) => blockDelta(index, { type: "input_json_delta", partial_json: j })),
  blockStop(index),
];
const stop = (stop_reason: string, usage: object = { output_tokens: 5 }, extra: object = {}) => [{ type: "message_delta", delta: { stop_reason, stop_sequence: null, ...extra }, usage }, { type: "message_stop" }];

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

function stream(upstream: ReadableStream<Uint8Array>, c: ResponseObjectContext, onEnd: (output: ResponseOutputItem[], ok: boolean) => void, keepAliveMs = 0) {
  return responsesEvents(anthropicSseEvents(upstream), c, { reasoningOutput: "reasoning_content" }, { keepAliveMs, onComplete: (summary, output) => onEnd(output, !summary.error) });
}

async function run(upstream: ReadableStream<Uint8Array>, c: ResponseObjectContext = ctx(), keepAliveMs = 0) {
  const ends: Array<{ output: ResponseOutputItem[]; ok: boolean }> = [];
  const text = await new Response(stream(upstream, c, (output, ok) => ends.push({ output, ok }), keepAliveMs)).text();
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

describe("responsesEvents", () => {
  it("streams a text answer from Anthropic bytes split mid-line: exact events, deltas and the final response", async () => {
    const chat = sse(start({ input_tokens: 4, cache_read_input_tokens: 8, cache_creation_input_tokens: 0, output_tokens: 1 }), ...text(0, "Hel", "lo, wörld 👋"), ...stop("end_turn"));
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
    const chat = sse(start(), ...thinking(0, "Hmm."), ...text(1, "Ünïcode ✓"), ...stop("end_turn"));
    const strip = (events: Event[]) => JSON.stringify(events).replace(/(msg|rs)_[0-9a-z]+/g, "$1_ID");
    const a = await run(bytes(chat, 1));
    const b = await run(bytes(chat, 1 << 20));
    expect(strip(a.events)).toBe(strip(b.events));
    expect(a.events.at(-1)!.response.output_text).toBe("Ünïcode ✓");
  });

  it("streams reasoning as a reasoning item with a summary part, closed before the message opens", async () => {
    const chat = sse(start(), ...thinking(0, "Think ", "hard."), ...text(1, "42"), ...stop("end_turn", { output_tokens: 30, output_tokens_details: { thinking_tokens: 25 } }));
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
    const chat = sse(start({ input_tokens: 40, output_tokens: 1 }), ...text(0, "Checking."), ...tool(1, "toolu_A", "get_weather", '{"city":', '"Paris"}'), ...tool(2, "toolu_B", "get_time"), ...stop("tool_use", { output_tokens: 20 }));
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
    const chat = sse(start(), ...text(0, "Well."), ...stop("refusal", { output_tokens: 2 }, { stop_details: { type: "refusal", explanation: "I can't do that." } }));
    const { events, types } = await run(bytes(chat, 5));
    expect(types.slice(2)).toEqual([
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.content_part.added",
      "response.refusal.delta",
      "response.refusal.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[7]!).toMatchObject({ content_index: 1, part: { type: "refusal", refusal: "" } });
    expect(events[9]!).toMatchObject({ content_index: 1, refusal: "I can't do that." });
    const final = events.at(-1)!.response;
    expect(final.status).toBe("completed");
    expect(final.output[0].content).toEqual([
      { type: "output_text", text: "Well.", annotations: [], logprobs: [] },
      { type: "refusal", refusal: "I can't do that." },
    ]);
    expect(final.output_text).toBe("Well.");
  });

  it("ends with response.incomplete when the answer hit max_output_tokens", async () => {
    const chat = sse(start({ input_tokens: 3, output_tokens: 1 }), ...text(0, "Once upon a"), ...stop("max_tokens", { output_tokens: 4 }));
    const { events, types, end } = await run(bytes(chat, 9), ctx({ max_output_tokens: 4 }));
    expect(types.at(-1)).toBe("response.incomplete");
    expect(events.at(-1)!.response).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, max_output_tokens: 4, output_text: "Once upon a", usage: { output_tokens: 4 } });
    expect(end.ok).toBe(true);
  });

  it("turns an error event mid-stream into error then response.failed, and ignores everything after", async () => {
    const chat = sse(
      start(),
      blockStart(0, { type: "text", text: "" }),
      blockDelta(0, { type: "text_delta", text: "Partial" }),
      { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
      blockDelta(0, { type: "text_delta", text: " never shown" }),
      ...stop("end_turn"),
    );
    const { events, types, end } = await run(bytes(chat, 6));
    expect(types).toEqual(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta", "error", "response.failed"]);
    const message = "Upstream overloaded (overloaded_error): Overloaded";
    expect(events[5]!).toEqual({ type: "error", sequence_number: 5, code: "overloaded_error", message, param: null });
    const failed = events[6]!.response;
    expect(failed).toMatchObject({ id: "resp_stream", status: "failed", error: { code: "overloaded_error", message } });
    expect(failed.output.map((o: ResponseOutputItem) => [o.type, o.id])).toEqual([["message", events[2]!.item.id]]);
    expect(end.ok).toBe(false);
  });

  it("fails a stream that ends without message_stop, even after a stop reason", async () => {
    const chat = sse(start(), ...text(0, "Hi"), stop("end_turn")[0]!);
    const { events, types, end } = await run(bytes(chat, 4));
    expect(types.slice(-2)).toEqual(["error", "response.failed"]);
    expect(events.at(-2)).toMatchObject({ code: "upstream_error", message: expect.stringContaining("connection was lost") });
    expect(end.ok).toBe(false);
  });

  it("fails on an event that is not JSON", async () => {
    const chat = sse(start(), ...text(0, "Hi")) + "event: content_block_delta\ndata: {not json\n\n" + sse(...stop("end_turn"));
    const { events, types, end } = await run(bytes(chat, 8));
    expect(types.slice(-2)).toEqual(["error", "response.failed"]);
    expect(events.at(-2)!.code).toBe("upstream_error");
    expect(end.ok).toBe(false);
  });

  it("fails when the upstream connection breaks", async () => {
    let sent = false;
    const chat = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new Error("reset"));
        sent = true;
        controller.enqueue(new TextEncoder().encode(sse(start(), ...text(0, "Hi"))));
      },
    });
    const { events, types, end } = await run(chat);
    expect(types.slice(-2)).toEqual(["error", "response.failed"]);
    expect(events.at(-2)!.message).toContain("connection was lost");
    expect(end.ok).toBe(false);
  });

  it("sends keep-alive comments while the upstream is silent, after the opening events", async () => {
    const pieces = [sse(start(), ...text(0, "Hi")), sse(...stop("end_turn"))];
    const slow = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 60));
        const next = pieces.shift();
        if (next) controller.enqueue(new TextEncoder().encode(next));
        else controller.close();
      },
    });
    const { text: out, comments, types } = await run(slow, ctx(), 15);
    expect(comments.length).toBeGreaterThan(0);
    expect(new Set(comments)).toEqual(new Set([": keep-alive"]));
    expect(types.at(-1)).toBe("response.completed");
    expect(out.indexOf(": keep-alive")).toBeGreaterThan(out.indexOf("response.in_progress"));
  });

  it("reports a client that goes away as not ok, and cancels the upstream body", async () => {
    let cancelled: unknown;
    const upstream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(sse(start(), ...text(0, "Hi"))));
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const ends: boolean[] = [];
    const reader = stream(upstream, ctx(), (_, ok) => ends.push(ok)).getReader();
    await reader.read();
    await reader.cancel("bye");
    expect(ends).toEqual([false]);
    expect(cancelled).toBe(CLIENT_GONE.message);
  });
});
