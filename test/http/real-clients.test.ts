import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, streamText } from "ai";
import { ChatOpenAI } from "@langchain/openai";
import { CLIENT_KEY, startGateway } from "../helpers/gateway";

/** Real client libraries, pointed at the app through a fetch that calls it in-process. */
function clients() {
  const gw = startGateway();
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) => gw.fetch(input instanceof Request ? input : String(input), init)) as typeof globalThis.fetch;
  const openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: "http://gateway.test/v1", fetch, maxRetries: 0 });
  const vercel = createOpenAICompatible({ name: "claude2api", apiKey: CLIENT_KEY, baseURL: "http://gateway.test/v1", fetch, includeUsage: true });
  return { gw, fetch, openai, vercel };
}

describe("the openai SDK", () => {
  it("completes a non-stream chat", async () => {
    const { openai } = clients();
    const res = await openai.chat.completions.create({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "Say hi to the SDK" }] });
    expect(res.choices[0]!.message.content).toContain("Say hi to the SDK");
    expect(res.usage!.total_tokens).toBeGreaterThan(0);
  });

  it("streams a chat, and the strict stream helper accepts it", async () => {
    const { openai } = clients();
    const stream = await openai.chat.completions.create({
      model: "claude-sonnet-4-5",
      messages: [{ role: "user", content: "Stream to the SDK" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toContain("Stream to the SDK");
    expect(usage?.completion_tokens).toBeGreaterThan(0);

    const helper = openai.chat.completions.stream({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "helper" }] });
    const final = await helper.finalChatCompletion();
    expect(final.choices[0]!.message.content).toContain("helper");
    expect(final.choices[0]!.finish_reason).toBe("stop");
  });

  it("surfaces a gateway error as an APIError with the status and message", async () => {
    const { openai } = clients();
    await expect(openai.chat.completions.create({ model: "claude-sonnet-4-5", messages: [] })).rejects.toMatchObject({ status: 400 });
  });
});

describe("the Vercel AI SDK (openai-compatible provider)", () => {
  it("generates and streams text", async () => {
    const { vercel } = clients();
    const gen = await generateText({ model: vercel("claude-sonnet-4-5"), prompt: "Hello Vercel" });
    expect(gen.text).toContain("Hello Vercel");
    const st = streamText({ model: vercel("claude-sonnet-4-5"), prompt: "Stream Vercel" });
    let text = "";
    for await (const part of st.textStream) text += part;
    expect(text).toContain("Stream Vercel");
    expect((await st.usage).outputTokens).toBeGreaterThan(0);
    expect(await st.finishReason).toBe("stop");
  });
});

describe("LangChain ChatOpenAI", () => {
  it("invokes and streams", async () => {
    const { fetch } = clients();
    const model = new ChatOpenAI({ model: "claude-sonnet-4-5", apiKey: CLIENT_KEY, configuration: { baseURL: "http://gateway.test/v1", fetch }, maxRetries: 0 });
    const msg = await model.invoke("Hello LangChain");
    expect(String(msg.content)).toContain("Hello LangChain");
    let text = "";
    for await (const chunk of await model.stream("Stream LangChain")) text += String(chunk.content);
    expect(text).toContain("Stream LangChain");
  });
});
