import { describe, expect, inject, it } from "vitest";
import { ClaudeSimulator } from "./index";
import { assemble, messagesRequest, parseSse, send, userTurn } from "./test-support";

async function stream(sim: ClaudeSimulator, body: Record<string, unknown>) {
  const res = await sim.fetch(messagesRequest({ ...body, stream: true }));
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  const text = await res.text();
  return { text, events: parseSse(text) };
}

describe("streaming", () => {
  it("frames every event as event:/data: with matching types, in the documented order", async () => {
    const sim = new ClaudeSimulator();
    const { text, events } = await stream(sim, userTurn("Stream a greeting to me please, with several words in it"));
    for (const e of events) expect(e.data.type).toBe(e.event);
    expect(text).toContain('event: ping\ndata: {"type": "ping"}\n\n');
    expect(events.map((e) => e.event)).toEqual([
      "message_start", "content_block_start", "ping",
      ...events.slice(3, -3).map(() => "content_block_delta"),
      "content_block_stop", "message_delta", "message_stop",
    ]);
    expect(events.length).toBeGreaterThan(8);
    expect(events[0]!.data.message).toMatchObject({ content: [], stop_reason: null, stop_sequence: null, usage: { output_tokens: 1 } });
  });

  it("assembles to the same message as the non-streamed answer, with cumulative usage", async () => {
    const sim = new ClaudeSimulator();
    const body = userTurn("same answer twice");
    const plain = (await send(sim, body)).json;
    const { events } = await stream(sim, body);
    const assembled = assemble(events);
    expect(assembled.content).toEqual(plain.content);
    expect(assembled.stop_reason).toBe("end_turn");
    const delta = events.find((e) => e.event === "message_delta")!.data;
    expect(delta.usage).toEqual({ input_tokens: plain.usage.input_tokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: plain.usage.output_tokens });
  });

  it("streams thinking deltas, then one signature_delta just before the block stops", async () => {
    const sim = new ClaudeSimulator();
    const { events } = await stream(sim, userTurn("think first", "claude-opus-4-8", { thinking: { type: "adaptive" } }));
    const block0 = events.filter((e) => e.data.index === 0);
    expect(block0[0]!.data.content_block).toEqual({ type: "thinking", thinking: "", signature: "" });
    const deltas = block0.filter((e) => e.event === "content_block_delta").map((e) => e.data.delta.type);
    expect(deltas.at(-1)).toBe("signature_delta");
    expect(deltas.slice(0, -1).every((t) => t === "thinking_delta")).toBe(true);
    expect(deltas.length).toBeGreaterThan(2);
    expect(block0.at(-1)!.event).toBe("content_block_stop");
    const message = assemble(events);
    expect(message.content[0].thinking).toContain("think first");
    expect(message.content[1].type).toBe("text");
  });

  it("sends no thinking_delta when display is omitted, but still a signature", async () => {
    const sim = new ClaudeSimulator();
    const { events } = await stream(sim, userTurn("secret thoughts", "claude-opus-4-8", { thinking: { type: "adaptive", display: "omitted" } }));
    const deltas = events.filter((e) => e.data.index === 0 && e.event === "content_block_delta").map((e) => e.data.delta.type);
    expect(deltas).toEqual(["signature_delta"]);
    expect(assemble(events).content[0]).toMatchObject({ type: "thinking", thinking: "" });
  });

  it("streams tool input as an empty first fragment, then the JSON in pieces", async () => {
    const sim = new ClaudeSimulator();
    const tools = [{ name: "get_weather", input_schema: { type: "object", properties: { location: { type: "string" } }, required: ["location"] } }];
    const { events } = await stream(sim, userTurn("get_weather in Paris?", "claude-sonnet-4-5", { tools }));
    const toolStart = events.find((e) => e.event === "content_block_start" && e.data.content_block.type === "tool_use")!;
    expect(toolStart.data.content_block.input).toEqual({});
    const fragments = events.filter((e) => e.data.index === toolStart.data.index && e.event === "content_block_delta").map((e) => e.data.delta.partial_json);
    expect(fragments[0]).toBe("");
    expect(fragments.length).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(fragments.join(""))).toEqual({ location: "Paris" });
    expect(assemble(events).stop_reason).toBe("tool_use");
  });

  it("streams a scripted thinking + tool_use turn with the same rules", async () => {
    const sim = new ClaudeSimulator();
    sim.script({ content: [{ type: "thinking", thinking: "Need the tool." }, { type: "tool_use", name: "lookup", input: { q: "x" } }] });
    const { events } = await stream(sim, userTurn("go", "claude-sonnet-4-5", { max_tokens: 4000, thinking: { type: "enabled", budget_tokens: 1024 }, tools: [{ name: "lookup", input_schema: { type: "object" } }] }));
    const message = assemble(events);
    expect(message.content[0]).toMatchObject({ type: "thinking", thinking: "Need the tool." });
    expect(message.content[0].signature.length).toBeGreaterThan(20);
    expect(message.content[1]).toMatchObject({ type: "tool_use", name: "lookup", input: { q: "x" } });
    expect(message.stop_reason).toBe("tool_use");
  });

  it("streams a scripted refusal like the recorded one: no blocks, stop_details on message_delta", async () => {
    const recorded = inject("recordedFixtures")["anthropic-refusal.chunks.txt"]!.trim().split("\n").map((l) => JSON.parse(l));
    const recordedDelta = recorded.find((e) => e.type === "message_delta");
    const sim = new ClaudeSimulator();
    sim.script({ content: [], stop_reason: "refusal", stop_details: recordedDelta.delta.stop_details });
    const { events } = await stream(sim, userTurn("something bad", "claude-fable-5"));
    expect(events.map((e) => e.event)).toEqual(recorded.map((e) => e.type));
    expect(events.find((e) => e.event === "message_delta")!.data.delta).toEqual(recordedDelta.delta);
  });

  it("paces events by streamDelayMs and stops when the request is aborted", async () => {
    const sim = new ClaudeSimulator({ streamDelayMs: 30 });
    const controller = new AbortController();
    const body = { ...userTurn("a fairly long message so there are many events to send"), stream: true };
    const res = await sim.fetch(new Request(messagesRequest(body), { signal: controller.signal }));
    const reader = res.body!.getReader();
    const started = Date.now();
    await reader.read();
    await reader.read();
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    controller.abort();
    await expect((async () => { for (;;) { const r = await reader.read(); if (r.done) return "done"; } })()).rejects.toBeDefined();
  });
});
