import { describe, expect, it } from "vitest";
import {
  assemble,
  fixtureLines,
  fixtureNames,
  fixtures,
  messageToStreamLines,
  parseOpenAIStream,
  readText,
  recordedSse,
  splitBytes,
  streamOf,
  type ParsedOpenAIStream,
} from "../../../test/helpers/recorded";
import { translateMessage, type ChatCompletionContext } from "./completion";
import { createChatCompletionStream, type StreamContext } from "./stream";
import { toOpenAIUsage } from "../../translate/usage";

type Summary = Parameters<NonNullable<StreamContext["onComplete"]>>[0];
const MODES = ["reasoning_content", "think_tags", "hidden"] as const;
const base: StreamContext = {
  id: "chatcmpl-abc",
  created: 1760000000,
  model: "claude-sonnet-4-5-think",
  reasoningOutput: "reasoning_content",
  includeUsage: true,
  keepAliveMs: 0,
};

async function run(upstream: Uint8Array | Uint8Array[] | ReadableStream<Uint8Array>, over: Partial<StreamContext> = {}) {
  let summary: Summary | undefined;
  let completions = 0;
  const ctx: StreamContext = {
    ...base,
    ...over,
    onComplete(s) {
      completions++;
      summary = s;
    },
  };
  const body = upstream instanceof ReadableStream ? upstream : streamOf(upstream);
  const text = await readText(createChatCompletionStream(body, ctx));
  const parsed = parseOpenAIStream(text);
  expect(completions).toBe(1);
  return { text, parsed, summary: summary!, out: assemble(parsed.chunks) };
}

/** docs/client-contract.md §D–H, checked on one whole stream. */
function checkContract(p: ParsedOpenAIStream, includeUsage: boolean) {
  expect(p.done && p.doneLast).toBe(true);
  const errors = p.chunks.filter((c) => c.error);
  const usageChunks = p.chunks.filter((c) => "usage" in c);
  const choiceChunks = p.chunks.filter((c) => !c.error && !("usage" in c));
  if (errors.length > 0) {
    expect(errors).toHaveLength(1);
    expect(p.chunks.at(-1)).toBe(errors[0]);
    expect(errors[0].error).toMatchObject({ code: null, param: null });
    expect(typeof errors[0].error.message).toBe("string");
    expect(choiceChunks.every((c) => c.choices[0].finish_reason === null)).toBe(true);
  }
  for (const c of [...choiceChunks, ...usageChunks]) {
    expect(c).toMatchObject({ id: "chatcmpl-abc", object: "chat.completion.chunk", created: 1760000000, model: "claude-sonnet-4-5-think" });
  }
  if (choiceChunks.length > 0) expect(choiceChunks[0].choices[0].delta).toEqual({ role: "assistant", content: "" });
  choiceChunks.forEach((c, i) => {
    expect(c.choices).toHaveLength(1);
    expect(c.choices[0]).toMatchObject({ index: 0, logprobs: null });
    expect(Object.keys(c.choices[0]).sort()).toEqual(["delta", "finish_reason", "index", "logprobs"]);
    // One payload kind per delta; annotations and reasoning_details ride along with theirs (§E22).
    const keys = Object.keys(c.choices[0].delta).filter((k) => k !== "annotations" && k !== "reasoning_details");
    if (i > 0) expect(keys.length).toBeLessThanOrEqual(1);
    if ("annotations" in c.choices[0].delta) expect(keys).toEqual(["content"]);
    if (keys[0] === "role") expect(i).toBe(0);
    if (c.choices[0].finish_reason !== null) {
      expect(i).toBe(choiceChunks.length - 1);
      expect(c.choices[0].delta).toEqual({});
    }
  });
  if (errors.length === 0) {
    expect(choiceChunks.at(-1).choices[0].finish_reason).not.toBeNull();
    expect(usageChunks).toHaveLength(includeUsage ? 1 : 0);
    if (includeUsage) {
      expect(p.chunks.at(-1)).toBe(usageChunks[0]);
      expect(usageChunks[0].choices).toEqual([]);
    }
  } else {
    expect(usageChunks).toHaveLength(0);
  }
  // Tool calls: indexes 0,1,2… in order, id/type/name only first, sequential, one per chunk.
  let current = -1;
  const fragments: number[] = [];
  for (const c of choiceChunks) {
    const calls = c.choices[0].delta.tool_calls;
    if (!calls) continue;
    expect(calls).toHaveLength(1);
    const t = calls[0];
    if ("id" in t) {
      expect(t.index).toBe(current + 1);
      current = t.index;
      expect(t).toEqual({ index: current, id: expect.stringMatching(/^[A-Za-z0-9_-]+$/), type: "function", function: { name: expect.any(String), arguments: "" } });
      expect(t.function.name.length).toBeGreaterThan(0);
      fragments[current] = 0;
    } else {
      expect(t.index).toBe(current);
      expect(Object.keys(t).sort()).toEqual(["function", "index"]);
      expect(Object.keys(t.function)).toEqual(["arguments"]);
      expect(t.function.arguments.length).toBeGreaterThan(0);
      fragments[current]!++;
    }
  }
  if (errors.length === 0) {
    expect(fragments.every((n) => n > 0)).toBe(true);
    expect(choiceChunks.at(-1).choices[0].finish_reason === "tool_calls").toBe(current >= 0);
  }
}

describe("every recorded stream", () => {
  for (const name of fixtureNames(".chunks.txt")) {
    it(`${name}: contract holds in every mode, whole, padded and split at random`, async () => {
      for (const reasoningOutput of MODES) {
        for (const includeUsage of [true, false]) {
          const whole = await run(recordedSse(name), { reasoningOutput, includeUsage });
          checkContract(whole.parsed, includeUsage);
          if (!whole.out.error) for (const call of whole.out.toolCalls) JSON.parse(call.arguments);
          const padded = await run(recordedSse(name, { pad: true }), { reasoningOutput, includeUsage });
          expect(padded.text).toBe(whole.text);
          for (const seed of [1, 2, 3]) {
            const split = await run(splitBytes(recordedSse(name), seed, seed * 17), { reasoningOutput, includeUsage });
            expect(split.text).toBe(whole.text);
          }
        }
      }
    });
  }

  it("usage equals the non-stream usage of the same answer, and only the usage chunk has it", async () => {
    for (const name of fixtureNames(".json")) {
      const msg = JSON.parse(fixtures()[name]!);
      const { parsed } = await run(recordedSse(messageToStreamLines(msg)));
      const usage = parsed.chunks.filter((c) => c.usage);
      expect(usage).toHaveLength(1);
      expect(usage[0].usage).toEqual(translateMessage(msg, base).completion.usage);
    }
  });
});

describe("stream and non-stream agree on every recorded body", () => {
  for (const name of fixtureNames(".json")) {
    it(name, async () => {
      const msg = JSON.parse(fixtures()[name]!);
      const variants: Partial<ChatCompletionContext>[] = MODES.map((reasoningOutput) => ({ reasoningOutput }));
      if (name.startsWith("anthropic-json-tool")) variants.push({ structuredOutput: { mode: "tool", toolName: "json" } }, { reasoningOutput: "think_tags", structuredOutput: { mode: "tool", toolName: "json" } });
      for (const v of variants) {
        const expected = translateMessage(msg, { ...base, ...v });
        const { out, parsed, summary } = await run(splitBytes(recordedSse(messageToStreamLines(msg)), 7), v);
        checkContract(parsed, true);
        const m = expected.completion.choices[0].message;
        expect(out.content).toBe(m.content ?? "");
        expect(out.reasoning).toBe(m.reasoning_content ?? "");
        expect(out.refusal).toBe(m.refusal);
        expect(out.toolCalls).toEqual((m.tool_calls ?? []).map((c) => (c.type === "function" ? { id: c.id, ...c.function } : null)));
        expect(out.finishReason).toBe(expected.completion.choices[0].finish_reason);
        expect(out.usage).toEqual(expected.completion.usage);
        const { anthropicUsage, outputChars, ...rest } = summary;
        expect(rest).toEqual({ usage: expected.completion.usage, thinking: expected.thinking, error: null, finishReason: out.finishReason });
        // What a cut-off answer's output would be estimated from: at least everything the client got as answer.
        const args = out.toolCalls.reduce((n: number, c: any) => n + (c?.arguments?.length ?? 0), 0);
        expect(outputChars).toBeGreaterThanOrEqual(out.content.length + args);
        // What usage accounting prices: Anthropic's own counts, the same as the rendered usage.
        expect(toOpenAIUsage(anthropicUsage)).toEqual(expected.completion.usage);
      }
    });
  }
});

const deltas = (p: ParsedOpenAIStream) => p.chunks.filter((c) => c.choices?.length).map((c) => c.choices[0].delta);

describe("recorded streams, one by one", () => {
  it("plain text: role, the text pieces, stop, usage, [DONE]", async () => {
    const { parsed, out, text } = await run(recordedSse("anthropic-text.chunks.txt"));
    expect(deltas(parsed)[1]).toEqual({ content: "Hello" });
    expect(out.content).toBe("Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?");
    expect(out.finishReason).toBe("stop");
    expect(out.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 });
    expect(text).not.toMatch(/^event:/m);
    expect(text.startsWith('data: {"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1760000000,"model":"claude-sonnet-4-5-think","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n')).toBe(true);
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  it("a tool without arguments: text, then the call with exactly one \"{}\"", async () => {
    const { parsed, out } = await run(recordedSse("anthropic-tool-no-args.chunks.txt"));
    const toolDeltas = deltas(parsed).filter((d) => d.tool_calls);
    expect(toolDeltas).toEqual([
      { tool_calls: [{ index: 0, id: "toolu_01QE1WLsSVp5hy5Q3GmGTmjP", type: "function", function: { name: "updateIssueList", arguments: "" } }] },
      { tool_calls: [{ index: 0, function: { arguments: "{}" } }] },
    ]);
    expect(out.content).toBe("I'll update the issue list for you.");
    expect(out.finishReason).toBe("tool_calls");
  });

  it("refusal: a refusal delta with Anthropic's explanation, then content_filter", async () => {
    const { parsed, out } = await run(recordedSse("anthropic-refusal.chunks.txt"));
    expect(deltas(parsed)).toEqual([{ role: "assistant", content: "" }, { refusal: expect.stringContaining("violative cyber content") }, {}]);
    expect(out.finishReason).toBe("content_filter");
  });

  it("thinking as reasoning_content, all of it before the answer", async () => {
    const { parsed, out } = await run(recordedSse("anthropic-clear-thinking.1.chunks.txt"));
    const kinds = deltas(parsed).slice(1, -1).map((d) => Object.keys(d)[0]);
    expect(kinds.lastIndexOf("reasoning_content")).toBeLessThan(kinds.indexOf("content"));
    expect(out.reasoning).toBe("The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185");
    expect(out.content).toBe("925 ÷ 5 = 185");
  });

  it("think_tags: <think> and </think> each in a chunk of their own around the reasoning", async () => {
    const { parsed, out } = await run(recordedSse("anthropic-clear-thinking.1.chunks.txt"), { reasoningOutput: "think_tags" });
    const contents = deltas(parsed).slice(1, -1).map((d) => d.content);
    expect(contents[0]).toBe("<think>");
    expect(contents.filter((c) => c === "<think>" || c === "</think>")).toEqual(["<think>", "</think>"]);
    expect(contents[contents.indexOf("</think>") + 1]).toBe("925");
    expect(out.content).toBe("<think>The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185</think>925 ÷ 5 = 185");
    expect(out.reasoning).toBe("");
  });

  it("hidden: no reasoning anywhere, but the signed block is still read", async () => {
    const { out } = await run(recordedSse("anthropic-clear-thinking.1.chunks.txt"), { reasoningOutput: "hidden" });
    expect(out.content).toBe("925 ÷ 5 = 185");
    expect(out.reasoning).toBe("");
  });

  it("web search: the server tool is not a client tool call; the cited text streams as content", async () => {
    const { out, parsed } = await run(recordedSse("anthropic-web-search-tool.1.chunks.txt"));
    expect(parsed.chunks.some((c) => c.choices?.[0]?.delta.tool_calls)).toBe(false);
    expect(out.finishReason).toBe("stop");
    expect(out.content).toMatch(/^Based on my search results/);
    expect(out.content).toContain("Apple Ginza");
    expect(out.content).not.toContain("tech news today September");
  });

  it("json tool: with structured output in tool mode the tool input streams as content", async () => {
    for (const name of ["anthropic-json-tool.1.chunks.txt", "anthropic-json-tool.2.chunks.txt"]) {
      const { out, parsed } = await run(recordedSse(name), { structuredOutput: { mode: "tool", toolName: "json" } });
      checkContract(parsed, true);
      expect(JSON.parse(out.content)).toEqual({ elements: [{ location: "San Francisco", temperature: 58, condition: "sunny" }] });
      expect(out.toolCalls).toEqual([]);
      expect(out.finishReason).toBe("stop");
    }
    // Without it, the same stream is a tool call.
    const plain = await run(recordedSse("anthropic-json-tool.2.chunks.txt"));
    expect(plain.out.toolCalls).toHaveLength(1);
    expect(plain.out.content).toBe("I'll invoke the JSON response tool.");
  });

  it("native structured output streams the JSON text", async () => {
    const { out } = await run(recordedSse("anthropic-json-output-format.1.chunks.txt"), { structuredOutput: { mode: "native" }, reasoningOutput: "think_tags" });
    expect(JSON.parse(out.content)).toHaveProperty("characters");
  });

  it("usage from message_delta wins over message_start", async () => {
    const { out } = await run(recordedSse("anthropic-message-delta-input-tokens.chunks.txt"));
    expect(out.usage).toMatchObject({ prompt_tokens: 61, completion_tokens: 2, total_tokens: 63 });
    expect(out.content).toBe("pong");
  });

  it("usage from message_start survives a message_delta that only has output_tokens", async () => {
    const { out } = await run(recordedSse("duplicate-message-start.chunks.txt"));
    expect(out.usage).toMatchObject({ prompt_tokens: 17, completion_tokens: 227 });
  });

  it("a duplicated message_start is ignored: one role chunk", async () => {
    const { parsed, out } = await run(recordedSse("duplicate-message-start.chunks.txt"));
    expect(deltas(parsed).filter((d) => d.role)).toHaveLength(1);
    expect(out.content).toBe("Hello, World!");
    expect(out.finishReason).toBe("stop");
  });

  it("a second message spliced into an open one ends the stream with an error, never a finish", async () => {
    const { parsed, out, summary } = await run(recordedSse("spliced-message-start.chunks.txt"));
    expect(deltas(parsed).filter((d) => d.role)).toHaveLength(1);
    expect(out.toolCalls.map((c) => c.id)).toEqual(["toolu_first"]);
    expect(out.finishReason).toBeNull();
    expect(out.error.message).toMatch(/msg_second.*msg_first/);
    expect(summary.error?.type).toBe("upstream_error");
    expect(summary.finishReason).toBeNull();
  });

  it("the fallback block is invisible", async () => {
    const { out } = await run(recordedSse("anthropic-fallback.chunks.txt"));
    expect(out.content).toBe("The printing press was invented by Johannes Gutenberg around 1440.");
  });
});

describe("thinking capture", () => {
  it("keeps the full thinking text, signature and redacted blocks of a tool turn, keyed by call ids", async () => {
    const msg = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5",
      content: [
        { type: "thinking", thinking: "Let me think about the weather in Paris.", signature: "EsQDsig==" },
        { type: "redacted_thinking", data: "opaque" },
        { type: "tool_use", id: "toolu_A", name: "get_weather", input: { city: "Paris" } },
        { type: "tool_use", id: "toolu_B", name: "get_time", input: {} },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 20 },
    };
    for (const reasoningOutput of MODES) {
      const { summary, parsed, out } = await run(recordedSse(messageToStreamLines(msg)), { reasoningOutput });
      checkContract(parsed, true);
      expect(summary.thinking).toEqual({ toolCallIds: ["toolu_A", "toolu_B"], blocks: [msg.content[0], msg.content[1]] });
      expect(summary.finishReason).toBe("tool_calls");
      const expected = translateMessage(msg as any, { ...base, reasoningOutput }).completion.choices[0].message;
      expect(out.content).toBe(expected.content ?? "");
      if (reasoningOutput === "think_tags") expect(out.content).toBe("<think>Let me think about the weather in Paris.</think>");
    }
  });
});

const enc = new TextEncoder();
const lines = (name: string) => fixtureLines(name);

describe("failures", () => {
  it("event: error mid-stream → the text so far, an error chunk naming the upstream error, [DONE]", async () => {
    const l = lines("anthropic-text.chunks.txt").slice(0, 6);
    l.push('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}');
    const { parsed, out, summary } = await run(recordedSse(l));
    checkContract(parsed, true);
    expect(out.content).toBe("Hello! I'm doing well, thank you for asking");
    expect(parsed.chunks.at(-1)).toEqual({ error: { message: "Upstream overloaded (overloaded_error): Overloaded", type: "overloaded_error", code: null, param: null } });
    expect(out.finishReason).toBeNull();
    expect(summary.error).toEqual({ type: "overloaded_error", message: "Upstream overloaded (overloaded_error): Overloaded" });
    expect(summary.usage).toMatchObject({ prompt_tokens: 12 });
  });

  it("a body that ends without message_stop is a lost connection, never a fake stop", async () => {
    const all = lines("anthropic-text.chunks.txt");
    for (const cut of [0, 1, 4, all.length - 1]) {
      const { parsed, out } = await run(recordedSse(all.slice(0, cut)));
      checkContract(parsed, true);
      expect(out.finishReason).toBeNull();
      expect(out.error.message).toMatch(/connection was lost mid-answer/);
    }
    // Cut inside a line, too.
    const bytes = recordedSse("anthropic-text.chunks.txt");
    const { out } = await run(bytes.subarray(0, 900));
    expect(out.error.message).toMatch(/lost/);
  });

  it("an upstream body that errors → error chunk and [DONE], promptly", async () => {
    const bytes = recordedSse(lines("anthropic-tool-no-args.chunks.txt").slice(0, 9));
    const { parsed, out, summary } = await run(streamOf(splitBytes(bytes, 5), { errorAtEnd: new Error("connection reset") }));
    checkContract(parsed, true);
    expect(out.toolCalls[0]?.id).toBe("toolu_01QE1WLsSVp5hy5Q3GmGTmjP");
    expect(out.error.message).toMatch(/lost mid-answer/);
    expect(summary.error?.type).toBe("upstream_error");
  });

  it("malformed JSON in a data line is an error, not a silent gap", async () => {
    const l = lines("anthropic-text.chunks.txt").slice(0, 4);
    const bytes = enc.encode(new TextDecoder().decode(recordedSse(l)) + 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"ty\n\n');
    const { out } = await run(bytes);
    expect(out.error.message).toMatch(/malformed/);
  });

  it("unknown events and pings are ignored", async () => {
    const l = lines("anthropic-text.chunks.txt");
    l.splice(2, 0, '{"type":"brand_new_event","x":1}', '{"type": "ping"}');
    const { out } = await run(recordedSse(l));
    expect(out.content).toMatch(/^Hello!/);
    expect(out.error).toBeNull();
  });
});

/** An upstream the test drives by hand: push SSE data lines, then close. */
function controlled() {
  let c!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled: unknown = undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(ctrl) {
      c = ctrl;
    },
    cancel(reason) {
      cancelled = reason ?? "cancelled";
    },
  });
  return {
    stream,
    push: (l: string[]) => c.enqueue(recordedSse(l)),
    close: () => c.close(),
    cancelled: () => cancelled,
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("keep-alive and client abort", () => {
  it("sends `: keep-alive` comments while the upstream is silent, and none when it is off", async () => {
    const all = lines("anthropic-text.chunks.txt");
    for (const keepAliveMs of [20, 0]) {
      const up = controlled();
      const reading = run(up.stream, { keepAliveMs });
      up.push(all.slice(0, 3));
      await sleep(120);
      up.push(all.slice(3));
      up.close();
      const { parsed, text } = await reading;
      checkContract(parsed, true);
      if (keepAliveMs > 0) {
        expect(parsed.comments).toBeGreaterThanOrEqual(2);
        expect(text).toContain("\n\n: keep-alive\n\n");
        expect(text).not.toMatch(/data: \{\}/);
      } else {
        expect(parsed.comments).toBe(0);
      }
    }
  });

  it("a slow first byte gets a keep-alive before any data", async () => {
    const up = controlled();
    const reading = run(up.stream, { keepAliveMs: 15 });
    await sleep(60);
    up.push(lines("anthropic-text.chunks.txt"));
    up.close();
    const { text } = await reading;
    expect(text.startsWith(": keep-alive\n\n")).toBe(true);
  });

  it("client abort cancels the upstream read and ends the stream", async () => {
    const up = controlled();
    const abort = new AbortController();
    let summary: Summary | undefined;
    const out = createChatCompletionStream(up.stream, { ...base, keepAliveMs: 10, signal: abort.signal, onComplete: (s) => (summary = s) });
    const reader = out.getReader();
    up.push(lines("anthropic-text.chunks.txt").slice(0, 4));
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('"role":"assistant"');
    abort.abort();
    for (;;) if ((await reader.read()).done) break;
    expect(up.cancelled()).toBeDefined();
    expect(summary?.error?.type).toBe("client_disconnected");
    expect(summary?.finishReason).toBeNull();
  });

  it("the consumer cancelling the response cancels the upstream too", async () => {
    const up = controlled();
    let summary: Summary | undefined;
    const out = createChatCompletionStream(up.stream, { ...base, onComplete: (s) => (summary = s) });
    const reader = out.getReader();
    up.push(lines("anthropic-text.chunks.txt").slice(0, 4));
    await reader.read();
    await reader.cancel("gone");
    expect(up.cancelled()).toBeDefined();
    expect(summary?.error?.type).toBe("client_disconnected");
  });

  it("an already aborted signal yields an empty, closed stream", async () => {
    const up = controlled();
    const abort = new AbortController();
    abort.abort();
    const text = await readText(createChatCompletionStream(up.stream, { ...base, signal: abort.signal }));
    expect(text).toBe("");
    expect(up.cancelled()).toBeDefined();
  });
});
