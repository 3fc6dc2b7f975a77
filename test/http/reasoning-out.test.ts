import { describe, expect, it } from "vitest";
import { postChat, startGateway } from "../helpers/gateway";
import { assemble, parseOpenAIStream } from "../helpers/recorded";
import { chat, NEWER, OLDER } from "../helpers/chat-calls";

// Reasoning out: how Claude's thinking reaches the client in each REASONING_OUTPUT mode.
const ask = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: "user", content: "Why is the sky blue?" }], reasoning_effort: "low", ...extra });

async function streamed(gw: ReturnType<typeof startGateway>, body: Record<string, unknown>) {
  const res = await postChat(gw, { ...body, stream: true });
  expect(res.status).toBe(200);
  const parsed = parseOpenAIStream(await res.text());
  const deltas = parsed.chunks.filter((c) => c.choices?.length).map((c) => c.choices[0].delta as Record<string, unknown>);
  return { parsed, deltas, assembled: assemble(parsed.chunks) };
}

/** The payload kind of a delta; docs/client-contract.md §E22 allows one per delta. */
function kind(d: Record<string, unknown>): string {
  const kinds = ["content", "reasoning_content", "tool_calls", "refusal"].filter((k) => k in d && !(k === "content" && d.role));
  expect(kinds.length).toBeLessThanOrEqual(1);
  return kinds[0] ?? "none";
}

describe("REASONING_OUTPUT=reasoning_content (default)", () => {
  it.each([OLDER, NEWER])("non-stream on %s: message.reasoning_content next to the answer", async (model) => {
    const gw = startGateway();
    const { json } = await chat(gw, ask(model));
    const message = json.choices[0].message;
    expect(message.reasoning_content).toContain("sky blue");
    expect(message.content).toContain("Hello!");
    expect(message.content).not.toContain("<think>");
  });

  it.each([OLDER, NEWER])("stream on %s: every reasoning delta comes before the first answer delta, one kind per delta", async (model) => {
    const gw = startGateway();
    const { deltas, assembled } = await streamed(gw, ask(model));
    const kinds = deltas.map(kind).filter((k) => k !== "none");
    expect(kinds[0]).toBe("reasoning_content");
    expect(kinds.lastIndexOf("reasoning_content")).toBeLessThan(kinds.indexOf("content"));
    expect(assembled.reasoning).toContain("sky blue");
    expect(assembled.content).toContain("Hello!");
    expect(assembled.finishReason).toBe("stop");
  });

  it("the stream and non-stream answers carry the same reasoning", async () => {
    const gw = startGateway();
    const thinking = { type: "thinking", thinking: "First pass.\nSecond line." };
    gw.sim.script({ content: [thinking, { type: "text", text: "Done." }] }, { content: [thinking, { type: "text", text: "Done." }] });
    const { json } = await chat(gw, ask(OLDER));
    const { assembled } = await streamed(gw, ask(OLDER));
    expect(assembled.reasoning).toBe(json.choices[0].message.reasoning_content);
    expect(assembled.content).toBe(json.choices[0].message.content);
  });

  it("redacted thinking is kept out of the answer and does not break it", async () => {
    const gw = startGateway();
    const turn = { content: [{ type: "redacted_thinking" }, { type: "thinking", thinking: "Visible part." }, { type: "text", text: "Answer." }] };
    gw.sim.script(turn, turn);
    const { json } = await chat(gw, ask(OLDER));
    expect(json.choices[0].message).toMatchObject({ content: "Answer.", reasoning_content: "Visible part." });
    const { assembled } = await streamed(gw, ask(OLDER));
    expect(assembled).toMatchObject({ content: "Answer.", reasoning: "Visible part.", error: null });
  });
});

describe("REASONING_OUTPUT=think_tags", () => {
  it.each([OLDER, NEWER])("stream on %s: <think> is the first content chunk, </think> its own chunk, then the answer", async (model) => {
    const gw = startGateway({ REASONING_OUTPUT: "think_tags" });
    const { deltas, assembled } = await streamed(gw, ask(model));
    const contents = deltas.filter((d) => kind(d) === "content").map((d) => d.content as string);
    expect(deltas.some((d) => "reasoning_content" in d)).toBe(false);
    expect(contents[0]).toBe("<think>");
    const close = contents.indexOf("</think>");
    expect(close).toBeGreaterThan(1);
    expect(contents.slice(1, close).join("")).toContain("sky blue");
    expect(contents.slice(close + 1).join("")).toContain("Hello!");
    expect(assembled.content.startsWith("<think>")).toBe(true);
  });

  it("non-stream: the content starts with the tagged reasoning", async () => {
    const gw = startGateway({ REASONING_OUTPUT: "think_tags" });
    const { json } = await chat(gw, ask(NEWER));
    const message = json.choices[0].message;
    expect(message.content).toMatch(/^<think>[^]*sky blue[^]*<\/think>Hello!/);
    expect(message.reasoning_content).toBeUndefined();
  });

  it("the tagged reasoning a client sends back is not fed to Claude as text it said", async () => {
    const gw = startGateway({ REASONING_OUTPUT: "think_tags" });
    const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } }];
    const question = { role: "user", content: "Weather? Use get_weather." };
    const { json } = await chat(gw, ask(OLDER, { messages: [question], tools }));
    const message = json.choices[0].message;
    expect(message.content).toMatch(/^<think>[^]+<\/think>I'll use get_weather\.$/);
    const history = [question, { role: "assistant", content: message.content, tool_calls: message.tool_calls }, { role: "tool", tool_call_id: message.tool_calls[0].id, content: "Sunny" }];
    const { sent } = await chat(gw, ask(OLDER, { messages: history, tools }));
    // The reasoning goes back once, as the signed thinking block, and the spoken text stays.
    expect(sent.messages[1].content.map((b: any) => b.type)).toEqual(["thinking", "text", "tool_use"]);
    expect(sent.messages[1].content[1].text).toBe("I'll use get_weather.");
  });

  it("no tags at all when the model did not think", async () => {
    const gw = startGateway({ REASONING_OUTPUT: "think_tags" });
    const { json } = await chat(gw, ask(OLDER, { reasoning_effort: "none" }));
    expect(json.choices[0].message.content).not.toContain("<think>");
  });
});

describe("REASONING_OUTPUT=hidden", () => {
  it.each([false, true])("stream %s: no reasoning anywhere, the answer intact", async (stream) => {
    const gw = startGateway({ REASONING_OUTPUT: "hidden" });
    if (stream) {
      const { deltas, assembled } = await streamed(gw, ask(OLDER));
      expect(deltas.some((d) => "reasoning_content" in d)).toBe(false);
      expect(assembled.content).not.toContain("<think>");
      expect(assembled.content).toContain("Hello!");
    } else {
      const { json } = await chat(gw, ask(OLDER));
      expect(json.choices[0].message.reasoning_content).toBeUndefined();
      expect(json.choices[0].message.content).toContain("Hello!");
    }
  });
});

describe("reasoning tokens", () => {
  const turn = () => ({
    content: [{ type: "thinking", thinking: "Hmm." }, { type: "text", text: "Yes." }],
    usage: { input_tokens: 10, output_tokens: 50, output_tokens_details: { thinking_tokens: 42 } } as never,
  });

  it("are reported in completion_tokens_details when the upstream gives them, stream and non-stream", async () => {
    const gw = startGateway();
    gw.sim.script(turn(), turn());
    const { json } = await chat(gw, ask(OLDER));
    expect(json.usage.completion_tokens_details).toEqual({ reasoning_tokens: 42 });
    const { assembled } = await streamed(gw, ask(OLDER, { stream_options: { include_usage: true } }));
    expect(assembled.usage.completion_tokens_details).toEqual({ reasoning_tokens: 42 });
  });

  it("are not invented when the upstream does not give them", async () => {
    const gw = startGateway();
    const { json } = await chat(gw, ask(OLDER));
    expect(json.usage.completion_tokens_details?.reasoning_tokens).toBeUndefined();
  });
});
