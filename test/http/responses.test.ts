import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, jsonSchema, stepCountIs, streamText, tool } from "ai";
import { CLIENT_KEY, startGateway } from "../helpers/gateway";
import { messagesBodies } from "../helpers/chat-calls";

/** POST /v1/responses through real clients: the openai SDK and the AI SDK's default openai() provider. */
function clients() {
  const gw = startGateway();
  /** The Responses bodies the clients sent, to see what they rely on (item_reference…). */
  const sent: any[] = [];
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input).endsWith("/responses") && typeof init?.body === "string") sent.push(JSON.parse(init.body));
    return gw.fetch(input instanceof Request ? input : String(input), init);
  }) as typeof globalThis.fetch;
  const openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: "http://gateway.test/v1", fetch, maxRetries: 0 });
  const vercel = createOpenAI({ apiKey: CLIENT_KEY, baseURL: "http://gateway.test/v1", fetch });
  return { gw, openai, vercel, sent };
}

const weatherTool = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false },
  strict: true,
};

describe("POST /v1/responses with the openai SDK", () => {
  it("answers a non-stream request with a Response object and translates instructions and max_output_tokens", async () => {
    const { gw, openai } = clients();
    const res = await openai.responses.create({ model: "claude-sonnet-4-5", input: "Say hi to Responses", instructions: "Be brief.", max_output_tokens: 300 });
    expect(res.id).toMatch(/^resp_/);
    expect(res.object).toBe("response");
    expect(res.status).toBe("completed");
    expect(res.output_text).toContain("Say hi to Responses");
    const message = res.output.find((o) => o.type === "message")!;
    expect(message.id).toMatch(/^msg_/);
    expect(res.usage!.input_tokens).toBeGreaterThan(0);
    expect(res.usage!.output_tokens).toBeGreaterThan(0);
    expect(res.usage!.total_tokens).toBe(res.usage!.input_tokens + res.usage!.output_tokens);
    expect(res.usage!.input_tokens_details.cached_tokens).toBe(0);

    const sent = messagesBodies(gw).at(-1);
    expect(JSON.stringify(sent.system)).toContain("Be brief.");
    expect(sent.max_tokens).toBe(300);
    expect(sent.messages).toHaveLength(1);
    expect(JSON.stringify(sent.messages[0].content)).toContain("Say hi to Responses");
  });

  it("streams the Responses event sequence, and the stream helper builds the final response", async () => {
    const { openai } = clients();
    const stream = await openai.responses.create({ model: "claude-sonnet-4-5", input: [{ role: "user", content: [{ type: "input_text", text: "Stream Responses" }] }], stream: true });
    let text = "";
    const types: string[] = [];
    const seqs: number[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      seqs.push(event.sequence_number);
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    expect(text).toContain("Stream Responses");
    expect(types.slice(0, 4)).toEqual(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"]);
    expect(types.slice(-4)).toEqual(["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"]);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(completed!.status).toBe("completed");
    expect(completed!.usage!.output_tokens).toBeGreaterThan(0);
    expect(completed!.output_text).toBe(text);

    const helper = openai.responses.stream({ model: "claude-sonnet-4-5", input: "helper" });
    const final = await helper.finalResponse();
    expect(final.output_text).toContain("helper");
  });

  it("calls a function tool, then continues with the function_call_output", async () => {
    const { gw, openai } = clients();
    const first = await openai.responses.create({ model: "claude-sonnet-4-5", input: "What is get_weather in Paris?", tools: [weatherTool], store: false });
    const call = first.output.find((o) => o.type === "function_call")!;
    expect(call).toMatchObject({ type: "function_call", name: "get_weather", status: "completed" });
    expect(call.call_id).toMatch(/^toolu_/);
    expect(JSON.parse(call.arguments)).toHaveProperty("city");
    expect(messagesBodies(gw).at(-1).tools).toMatchObject([{ name: "get_weather", description: "Weather for a city" }]);

    const second = await openai.responses.create({
      model: "claude-sonnet-4-5",
      tools: [weatherTool],
      input: [
        { role: "user", content: "What is get_weather in Paris?" },
        ...first.output.filter((o) => o.type === "message" || o.type === "function_call"),
        { type: "function_call_output", call_id: call.call_id, output: "22 degrees and sunny" },
      ] as OpenAI.Responses.ResponseInput,
    });
    expect(second.output_text).toContain("22 degrees and sunny");
    const sent = messagesBodies(gw).at(-1);
    expect(sent.messages.map((m: any) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(sent.messages[1].content.some((b: any) => b.type === "tool_use" && b.id === call.call_id)).toBe(true);
    expect(sent.messages[2].content[0]).toMatchObject({ type: "tool_result", tool_use_id: call.call_id });
  });

  it("streams a function call as function_call_arguments events", async () => {
    const { openai } = clients();
    const stream = await openai.responses.create({ model: "claude-sonnet-4-5", input: "use get_weather", tools: [weatherTool], tool_choice: "required", stream: true });
    let args = "";
    let done: OpenAI.Responses.ResponseFunctionToolCall | undefined;
    for await (const event of stream) {
      if (event.type === "response.function_call_arguments.delta") args += event.delta;
      if (event.type === "response.output_item.done" && event.item.type === "function_call") done = event.item;
    }
    expect(done?.name).toBe("get_weather");
    expect(done?.arguments).toBe(args);
    expect(JSON.parse(args)).toHaveProperty("city");
  });

  it("returns reasoning output for reasoning.effort on a thinking model, in both modes", async () => {
    const { gw, openai } = clients();
    const res = await openai.responses.create({ model: "claude-sonnet-4-5", input: "Why is the sky blue?", reasoning: { effort: "low", summary: "auto" } });
    expect(messagesBodies(gw).at(-1).thinking).toMatchObject({ type: "enabled" });
    const reasoning = res.output.find((o) => o.type === "reasoning")!;
    expect(reasoning.id).toMatch(/^rs_/);
    expect(reasoning.summary[0]!.text.length).toBeGreaterThan(0);
    expect(res.output.findIndex((o) => o.type === "reasoning")).toBeLessThan(res.output.findIndex((o) => o.type === "message"));

    const stream = await openai.responses.create({ model: "claude-sonnet-4-5", input: "Why is the sky blue?", reasoning: { effort: "low" }, stream: true });
    let summary = "";
    for await (const event of stream) if (event.type === "response.reasoning_summary_text.delta") summary += event.delta;
    expect(summary).toBe(reasoning.summary[0]!.text);
  });

  it("keeps reasoning in reasoning items under REASONING_OUTPUT=think_tags, and out of the answer under hidden", async () => {
    for (const mode of ["think_tags", "hidden"]) {
      const gw = startGateway({ REASONING_OUTPUT: mode });
      const res = await gw.fetch("/v1/responses", { method: "POST", headers: gw.auth(), body: JSON.stringify({ model: "claude-sonnet-4-5", input: "Why?", reasoning: { effort: "low" } }) });
      const body = (await res.json()) as OpenAI.Responses.Response;
      expect(body.output_text, mode).not.toContain("<think>");
      expect(body.output.some((o) => o.type === "reasoning"), mode).toBe(mode === "think_tags");
    }
  });

  it("maps text.format json_schema to structured output", async () => {
    const { gw, openai } = clients();
    const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };
    const res = await openai.responses.create({ model: "claude-sonnet-4-5", input: "Answer in JSON", text: { format: { type: "json_schema", name: "reply", schema, strict: true } } });
    expect(JSON.parse(res.output_text)).toHaveProperty("answer");
    expect(res.text?.format).toMatchObject({ type: "json_schema", name: "reply" });
    const sent = messagesBodies(gw).at(-1);
    expect(JSON.stringify(sent.output_config ?? sent.tools)).toContain("answer");
  });

  it("reports max_output_tokens as an incomplete response", async () => {
    const { gw, openai } = clients();
    gw.sim.script({ content: [{ type: "text", text: "cut" }], stop_reason: "max_tokens" });
    const res = await openai.responses.create({ model: "claude-sonnet-4-5", input: "long story", max_output_tokens: 16 });
    expect(res.status).toBe("incomplete");
    expect(res.incomplete_details).toEqual({ reason: "max_output_tokens" });
  });

  it("answers 400 for previous_response_id and for invalid input, 404 for an unknown model, before any upstream call", async () => {
    const { gw, openai } = clients();
    await expect(openai.responses.create({ model: "claude-sonnet-4-5", input: "hi", previous_response_id: "resp_123" })).rejects.toMatchObject({ status: 400, param: "previous_response_id" });
    await expect(openai.responses.create({ model: "claude-sonnet-4-5", input: [{ role: "user", content: [{ type: "input_text" }] }] as never })).rejects.toMatchObject({ status: 400, param: "input[0].content[0].text" });
    await expect(openai.responses.create({ model: "claude-sonnet-4-5", input: "hi", tools: [{ type: "file_search", vector_store_ids: ["vs_1"] }] as never })).rejects.toMatchObject({ status: 400 });
    await expect(openai.responses.create({ model: "claude-sonnet-4-5", input: "hi", stream: true, max_output_tokens: -1 })).rejects.toMatchObject({ status: 400, param: "max_output_tokens" });
    await expect(openai.responses.create({ model: "no-such-model", input: "hi" })).rejects.toMatchObject({ status: 404, code: "model_not_found" });
    expect(messagesBodies(gw)).toHaveLength(0);
    await expect(openai.responses.create({ model: "claude-sonnet-4-5", input: [{ type: "item_reference", id: "msg_unknown" }, { role: "user", content: "hi" }] })).rejects.toMatchObject({ status: 400, param: "input[0].id" });
    await expect(openai.responses.create({ model: "claude-sonnet-4-5", input: [{ role: "user", content: [{ type: "input_file", file_url: "https://example.com/a.pdf" }] }] })).rejects.toMatchObject({ status: 400, param: "input[0].content[0].file_url" });
    const res = await gw.fetch("/v1/responses", { method: "POST", headers: gw.auth(), body: "{not json" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/json");
  });

  it("turns an upstream error mid-stream into an error event (an APIError in the SDK) and response.failed", async () => {
    const { gw } = clients();
    gw.sim.fault("*", { kind: "error-mid-stream", afterEvents: 4 });
    const res = await gw.fetch("/v1/responses", { method: "POST", headers: gw.auth(), body: JSON.stringify({ model: "claude-sonnet-4-5", input: "hi", stream: true }) });
    expect(res.status).toBe(200);
    const events = (await res.text()).split("\n\n").filter((b) => b.startsWith("event: ")).map((b) => JSON.parse(b.slice(b.indexOf("data: ") + 6)));
    const types = events.map((e) => e.type);
    expect(types.slice(-2)).toEqual(["error", "response.failed"]);
    expect(types).not.toContain("response.completed");
    expect(events.at(-1).response).toMatchObject({ status: "failed", error: { message: expect.stringContaining("Upstream") } });

    const { openai, gw: gw2 } = clients();
    gw2.sim.fault("*", { kind: "error-mid-stream", afterEvents: 4 });
    const stream = await openai.responses.create({ model: "claude-sonnet-4-5", input: "hi", stream: true });
    await expect((async () => { for await (const _ of stream); })()).rejects.toThrow(/Upstream/);
  });

  it("is served under /hf/v1 and the root too", async () => {
    const { gw } = clients();
    for (const path of ["/hf/v1/responses", "/responses"]) {
      const res = await gw.fetch(path, { method: "POST", headers: gw.auth(), body: JSON.stringify({ model: "claude-sonnet-4-5", input: "hi" }) });
      expect(res.status, path).toBe(200);
      expect(((await res.json()) as { object: string }).object).toBe("response");
    }
  });
});

describe("POST /v1/responses with the Vercel AI SDK's openai() provider", () => {
  it("generates and streams text", async () => {
    const { vercel } = clients();
    const gen = await generateText({ model: vercel("claude-sonnet-4-5"), prompt: "Hello Vercel Responses" });
    expect(gen.text).toContain("Hello Vercel Responses");
    expect(gen.finishReason).toBe("stop");
    expect(gen.usage.outputTokens).toBeGreaterThan(0);

    const st = streamText({ model: vercel("claude-sonnet-4-5"), prompt: "Stream Vercel Responses" });
    let text = "";
    for await (const part of st.textStream) text += part;
    expect(text).toContain("Stream Vercel Responses");
    expect(await st.finishReason).toBe("stop");
    expect((await st.usage).outputTokens).toBeGreaterThan(0);
  });

  const weather = () =>
    tool({
      description: "Weather for a city",
      inputSchema: jsonSchema<{ city: string }>({ type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false }),
      execute: async ({ city }) => `It is 22 degrees in ${city}`,
    });

  it("runs a tool loop with an executed tool (generateText, default store: item_reference resolved)", async () => {
    const { gw, vercel, sent } = clients();
    const result = await generateText({ model: vercel("claude-sonnet-4-5"), prompt: "Use get_weather please", tools: { get_weather: weather() }, stopWhen: stepCountIs(3) });
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]!.toolCalls[0]!.toolName).toBe("get_weather");
    expect(result.text).toContain("It is 22 degrees in");
    const [firstSent, secondSent] = messagesBodies(gw);
    expect(firstSent.tools[0].name).toBe("get_weather");
    // The preamble text came back as an item_reference and was restored from the store.
    expect(sent[1].input).toContainEqual({ type: "item_reference", id: expect.stringMatching(/^msg_/) });
    expect(JSON.stringify(secondSent.messages[1].content)).toContain("I'll use get_weather.");
    expect(secondSent.messages[2].content[0]).toMatchObject({ type: "tool_result" });
  });

  it("runs a tool loop with streamText and store: false", async () => {
    const { vercel } = clients();
    const st = streamText({
      model: vercel("claude-sonnet-4-5"),
      prompt: "Use get_weather please",
      tools: { get_weather: weather() },
      stopWhen: stepCountIs(3),
      providerOptions: { openai: { store: false } },
    });
    let text = "";
    for await (const part of st.textStream) text += part;
    expect(text).toContain("It is 22 degrees in");
    expect((await st.steps).length).toBe(2);
  });
});
