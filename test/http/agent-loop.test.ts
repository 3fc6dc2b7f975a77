import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import { z } from "zod";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, stepCountIs, streamText, tool } from "ai";
import { CLIENT_KEY, startGateway, type Gateway } from "../helpers/gateway";
import { messagesBodies, NEWER, OLDER } from "../helpers/chat-calls";

// A full tool loop with thinking on, driven by real client libraries that drop Claude's
// signed thinking between turns. The simulator refuses (400) a tool-result turn whose
// tool-calling assistant turn lacks its signed thinking block, so a 200 on the second
// request proves the gateway restored it.

function clients(gw: Gateway) {
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) => gw.fetch(input instanceof Request ? input : String(input), init)) as typeof globalThis.fetch;
  return {
    openai: new OpenAI({ apiKey: CLIENT_KEY, baseURL: "http://gateway.test/v1", fetch, maxRetries: 0 }),
    vercel: createOpenAICompatible({ name: "claude2api", apiKey: CLIENT_KEY, baseURL: "http://gateway.test/v1", fetch }),
  };
}

const weatherTool: OpenAI.ChatCompletionTool = {
  type: "function",
  function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
};

/** The assistant turn that made tool calls, in a request the simulator received, must open with signed thinking. */
function expectThinkingRestored(sent: any, thinkingType: "enabled" | "adaptive") {
  expect(sent.thinking.type).toBe(thinkingType);
  const assistant = sent.messages.find((m: any) => m.role === "assistant" && m.content.some((b: any) => b.type === "tool_use"));
  const types = assistant.content.map((b: any) => b.type);
  expect(types[0]).toBe("thinking");
  expect(assistant.content[0].signature).toBeTruthy();
  expect(types.indexOf("thinking")).toBeLessThan(types.indexOf("tool_use"));
}

describe("the openai SDK: create → tool_calls → tool results without any reasoning echo → answer", () => {
  it.each([
    [OLDER, "enabled"],
    [NEWER, "adaptive"],
  ] as const)("non-stream on %s", async (model, thinkingType) => {
    const gw = startGateway();
    const { openai } = clients(gw);
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "What is the weather in Paris? Use get_weather." }];
    const first = await openai.chat.completions.create({ model, messages, tools: [weatherTool], reasoning_effort: "high" });
    const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    expect((first.choices[0]!.message as { reasoning_content?: string }).reasoning_content).toBeTruthy();
    // What a typical client sends back: content and tool_calls only.
    messages.push({ role: "assistant", content: first.choices[0]!.message.content, tool_calls: [call] });
    messages.push({ role: "tool", tool_call_id: call.id, content: "Sunny, 24°C" });
    const { data: second, response } = await openai.chat.completions.create({ model, messages, tools: [weatherTool], reasoning_effort: "high" }).withResponse();
    expect(second.choices[0]!.message.content).toContain("Sunny, 24°C");
    expect(second.choices[0]!.finish_reason).toBe("stop");
    expect(response.headers.get("x-claude2api-thinking")).toBeNull();
    expectThinkingRestored(messagesBodies(gw)[1], thinkingType);
  });

  it.each([
    [OLDER, "enabled"],
    [NEWER, "adaptive"],
  ] as const)("stream on %s, through the SDK's stream helper", async (model, thinkingType) => {
    const gw = startGateway();
    const { openai } = clients(gw);
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "What is the weather in Paris? Use get_weather." }];
    const first = await openai.chat.completions.stream({ model, messages, tools: [weatherTool], reasoning_effort: "medium" }).finalChatCompletion();
    const msg = first.choices[0]!.message;
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    const call = msg.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    messages.push({ role: "assistant", content: msg.content, tool_calls: [{ id: call.id, type: "function", function: call.function }] });
    messages.push({ role: "tool", tool_call_id: call.id, content: "Rain, 12°C" });
    const stream = await openai.chat.completions.create({ model, messages, tools: [weatherTool], reasoning_effort: "medium", stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toContain("Rain, 12°C");
    expectThinkingRestored(messagesBodies(gw)[1], thinkingType);
  });

  it("a loop of two tool rounds restores the thinking of every round (newer model, scripted second call)", async () => {
    const gw = startGateway();
    const { openai } = clients(gw);
    const timeTool: OpenAI.ChatCompletionTool = { type: "function", function: { name: "get_time", parameters: { type: "object", properties: {} } } };
    const tools = [weatherTool, timeTool];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Paris via get_weather, then the time." }];
    const first = await openai.chat.completions.create({ model: NEWER, messages, tools, reasoning_effort: "low" });
    const call1 = first.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    messages.push({ role: "assistant", content: null, tool_calls: [call1] }, { role: "tool", tool_call_id: call1.id, content: "Sunny" });
    gw.sim.script({ content: [{ type: "thinking", thinking: "Now the time." }, { type: "tool_use", name: "get_time", input: {} }] });
    const second = await openai.chat.completions.create({ model: NEWER, messages, tools, reasoning_effort: "low" });
    const call2 = second.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call2.function).toEqual({ name: "get_time", arguments: "{}" });
    messages.push({ role: "assistant", content: null, tool_calls: [call2] }, { role: "tool", tool_call_id: call2.id, content: "12:00" });
    const third = await openai.chat.completions.create({ model: NEWER, messages, tools, reasoning_effort: "low" });
    expect(third.choices[0]!.message.content).toContain("12:00");
    const sent = messagesBodies(gw)[2];
    const assistants = sent.messages.filter((m: any) => m.role === "assistant");
    expect(assistants.map((m: any) => m.content[0].type)).toEqual(["thinking", "thinking"]);
    expect(assistants[1].content[0].thinking).toBe("Now the time.");
  });
});

describe("the Vercel AI SDK: multi-step tools with execute", () => {
  const tools = {
    get_weather: tool({
      description: "Weather for a city",
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }: { city: string }) => `Sunny in ${city}`,
    }),
  };

  it.each([
    [`${OLDER}-think`, "enabled"],
    [`${NEWER}-think`, "adaptive"],
  ] as const)("generateText on %s completes the loop", async (model, thinkingType) => {
    const gw = startGateway();
    const { vercel } = clients(gw);
    const result = await generateText({ model: vercel(model), tools, stopWhen: stepCountIs(5), prompt: "What is the weather? Use get_weather." });
    expect(result.steps.length).toBe(2);
    expect(result.steps[0]!.toolCalls.map((c) => c.toolName)).toEqual(["get_weather"]);
    expect(result.steps[0]!.reasoningText).toBeTruthy();
    expect(result.text).toContain("Sunny in");
    expect(result.finishReason).toBe("stop");
    expectThinkingRestored(messagesBodies(gw)[1], thinkingType);
  });

  it.each([
    [`${OLDER}-think`, "enabled"],
    [`${NEWER}-think`, "adaptive"],
  ] as const)("streamText on %s completes the loop", async (model, thinkingType) => {
    const gw = startGateway();
    const { vercel } = clients(gw);
    const result = streamText({ model: vercel(model), tools, stopWhen: stepCountIs(5), prompt: "What is the weather? Use get_weather." });
    let text = "";
    for await (const part of result.textStream) text += part;
    expect(text).toContain("Sunny in");
    expect((await result.steps).length).toBe(2);
    expect(await result.finishReason).toBe("stop");
    expectThinkingRestored(messagesBodies(gw)[1], thinkingType);
  });
});
