import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, inject, it } from "vitest";
import { ClaudeSimulator } from "./index";
import { messagesRequest, parseSse, send, userTurn } from "./test-support";

const keys = (o: object) => Object.keys(o).sort();

describe("shapes match recorded Anthropic responses", () => {
  const fixtures = inject("recordedFixtures");

  it("non-stream Message and usage carry the recorded fields", async () => {
    const recorded = JSON.parse(fixtures["anthropic-text.json"]!);
    const { json } = await send(new ClaudeSimulator(), userTurn("Hi"));
    for (const key of keys(recorded)) expect(json).toHaveProperty(key);
    expect(keys(json.usage)).toEqual(keys(recorded.usage));
    expect(keys(json.content[0])).toEqual(keys(recorded.content[0]));
  });

  it("stream events carry the recorded fields", async () => {
    const recorded = fixtures["anthropic-text.chunks.txt"]!.trim().split("\n").map((l) => JSON.parse(l));
    const res = await new ClaudeSimulator().fetch(messagesRequest({ ...userTurn("Hi"), stream: true }));
    const ours = parseSse(await res.text()).map((e) => e.data);
    const find = (list: any[], type: string) => list.find((e) => e.type === type);
    expect(keys(find(ours, "message_start").message.usage)).toEqual(keys(find(recorded, "message_start").message.usage));
    expect(keys(find(ours, "message_delta").usage)).toEqual(keys(find(recorded, "message_delta").usage));
    expect(keys(find(ours, "message_delta").delta)).toEqual(keys(find(recorded, "message_delta").delta));
    expect(find(ours, "content_block_start")).toEqual(find(recorded, "content_block_start"));
    expect(ours.at(-1)).toEqual(recorded.at(-1));
  });
});

describe("the official SDK (1.14, anthropic-version 2026-10-21, Bearer auth) talks to the simulator", () => {
  const sim = new ClaudeSimulator();
  const client = new Anthropic({ apiKey: "sk-ant-sdk", baseURL: "https://api.anthropic.com", fetch: (url, init) => sim.fetch(new Request(url, init)), maxRetries: 0 });

  it("creates, streams a thinking tool loop, and round-trips it", async () => {
    const tools = [{ name: "get_weather", description: "weather", input_schema: { type: "object" as const, properties: { location: { type: "string" } }, required: ["location"] } }];
    const messages: Anthropic.MessageParam[] = [{ role: "user", content: "Please use get_weather for Paris" }];
    const stream = client.messages.stream({ model: "claude-opus-4-8", max_tokens: 2000, thinking: { type: "adaptive" }, tools, messages });
    const first = await stream.finalMessage();
    expect(first.stop_reason).toBe("tool_use");
    expect(first.content.map((b) => b.type)).toEqual(["thinking", "text", "tool_use"]);
    const call = first.content.find((b) => b.type === "tool_use")!;
    expect(call.input).toEqual({ location: "Paris" });
    messages.push({ role: "assistant", content: first.content }, { role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: "sunny" }] });
    const second = await client.messages.create({ model: "claude-opus-4-8", max_tokens: 2000, thinking: { type: "adaptive" }, tools, messages });
    expect(second.content.at(-1)).toMatchObject({ type: "text", text: "The tool get_weather returned: sunny" });
    expect(sim.received.at(-1)!.headers.get("anthropic-version")).toBe("2026-10-21");
  });

  it("surfaces simulator errors as typed SDK errors", async () => {
    sim.fault("*", { status: 429, times: 1 });
    await expect(client.messages.create({ model: "claude-opus-4-8", max_tokens: 10, messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    await expect(client.models.retrieve("claude-unknown")).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it("lists models through the SDK paginator", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list({ limit: 5 })) ids.push(model.id);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
