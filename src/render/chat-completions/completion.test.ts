import { describe, expect, it } from "vitest";
import { fixtureNames, fixtures } from "../../../test/helpers/recorded";
import { translateMessage, type ChatCompletionContext } from "./completion";
import { toOpenAIUsage } from "../../translate/usage";

const ctx: ChatCompletionContext = { id: "chatcmpl-test", created: 1760000000, model: "claude-sonnet-4-5-think", reasoningOutput: "reasoning_content" };
const message = (name: string) => JSON.parse(fixtures()[name]!);

describe("translateMessage on every recorded non-stream body", () => {
  it.each(fixtureNames(".json"))("%s follows the chat.completion contract", (name) => {
    const msg = message(name);
    for (const reasoningOutput of ["reasoning_content", "think_tags", "hidden"] as const) {
      const { completion, thinking } = translateMessage(msg, { ...ctx, reasoningOutput });
      expect(completion).toMatchObject({ id: "chatcmpl-test", object: "chat.completion", created: 1760000000, model: "claude-sonnet-4-5-think" });
      expect(completion.choices).toHaveLength(1);
      const [choice] = completion.choices;
      expect(choice.index).toBe(0);
      expect(choice.logprobs).toBeNull();
      expect(["stop", "length", "tool_calls", "content_filter"]).toContain(choice.finish_reason);
      const m = choice.message;
      expect(m.role).toBe("assistant");
      expect("refusal" in m).toBe(true);
      if (m.content === null) expect(m.tool_calls?.length).toBeGreaterThan(0);
      else expect(typeof m.content).toBe("string");
      for (const call of m.tool_calls ?? []) {
        expect(call.type).toBe("function");
        if (call.type !== "function") continue;
        expect(call.id).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(typeof call.function.arguments).toBe("string");
        JSON.parse(call.function.arguments);
      }
      expect(choice.finish_reason === "tool_calls").toBe((m.tool_calls?.length ?? 0) > 0);
      expect(completion.usage).toEqual(toOpenAIUsage(msg.usage));
      if (thinking) expect(thinking.toolCallIds).toEqual(m.tool_calls!.map((c) => c.id));
      if (reasoningOutput !== "reasoning_content") expect(m).not.toHaveProperty("reasoning_content");
    }
  });
});

describe("translateMessage, fixture by fixture", () => {
  it("plain text", () => {
    const { completion, thinking } = translateMessage(message("anthropic-text.json"), ctx);
    expect(completion.choices[0].message).toEqual({
      role: "assistant",
      content: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
      refusal: null,
    });
    expect(completion.choices[0].finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 29, total_tokens: 41 });
    expect(thinking).toBeNull();
  });

  it("a tool without arguments gets the string \"{}\" and keeps its toolu_ id", () => {
    const { completion } = translateMessage(message("anthropic-tool-no-args.json"), ctx);
    const m = completion.choices[0].message;
    expect(m.tool_calls).toEqual([{ id: "toolu_01LRmxn9vGM1d2DZSDBowdZ1", type: "function", function: { name: "updateIssueList", arguments: "{}" } }]);
    expect(m.content).toContain("Okay, I will update the current issue list:");
    expect(completion.choices[0].finish_reason).toBe("tool_calls");
  });

  it("refusal: content_filter, an explanatory refusal, content an empty string", () => {
    const withDetails = translateMessage(message("anthropic-refusal.json"), ctx).completion.choices[0];
    expect(withDetails.finish_reason).toBe("content_filter");
    expect(withDetails.message.content).toBe("");
    expect(withDetails.message.refusal).toContain("violative cyber content");
    const bare = translateMessage(message("anthropic-refusal-no-details.json"), ctx).completion.choices[0];
    expect(bare.finish_reason).toBe("content_filter");
    expect(bare.message.refusal).toMatch(/declined/);
  });

  it("thinking in the three reasoning modes", () => {
    const msg = message("anthropic-clear-thinking.1.json");
    const rc = translateMessage(msg, ctx).completion.choices[0].message;
    expect(rc.reasoning_content).toBe("925 divided by 5 = 185");
    expect(rc.content).toBe("925 ÷ 5 = 185");
    const tags = translateMessage(msg, { ...ctx, reasoningOutput: "think_tags" }).completion.choices[0].message;
    expect(tags.content).toBe("<think>925 divided by 5 = 185</think>925 ÷ 5 = 185");
    const hidden = translateMessage(msg, { ...ctx, reasoningOutput: "hidden" }).completion.choices[0].message;
    expect(hidden.content).toBe("925 ÷ 5 = 185");
    expect(hidden).not.toHaveProperty("reasoning_content");
  });

  it("adaptive thinking on a 2026 model reports reasoning_tokens", () => {
    const { completion } = translateMessage(message("anthropic-claude-opus-5-reasoning-high.1.json"), ctx);
    expect(completion.choices[0].message.reasoning_content).toMatch(/^I need to find all roots/);
    expect(completion.choices[0].message.content).toMatch(/^## Step 1/);
    expect(completion.usage.completion_tokens_details).toEqual({ reasoning_tokens: 139 });
  });

  it("web search: no bogus tool calls, the answer text joined, citations as url annotations", () => {
    const msg = message("anthropic-web-search-tool.1.json");
    const { completion } = translateMessage(msg, ctx);
    const m = completion.choices[0].message;
    expect(m.tool_calls).toBeUndefined();
    expect(completion.choices[0].finish_reason).toBe("stop");
    const expected = msg.content.filter((b: any) => b.type === "text").map((b: any) => b.text).join("");
    expect(m.content).toBe(expected);
    expect(m.annotations!.length).toBeGreaterThan(0);
    for (const a of m.annotations!) {
      expect(a.url_citation.url).toMatch(/^https?:/);
      expect(a.url_citation.end_index).toBeGreaterThan(a.url_citation.start_index);
      expect(a.url_citation.end_index).toBeLessThanOrEqual(m.content!.length);
    }
  });

  it("structured output through a forced tool: the tool input is the content, finish stop", () => {
    const msg = message("anthropic-json-tool.1.json");
    const { completion, thinking } = translateMessage(msg, { ...ctx, structuredOutput: { mode: "tool", toolName: "json" } });
    const choice = completion.choices[0];
    expect(choice.finish_reason).toBe("stop");
    expect(choice.message.tool_calls).toBeUndefined();
    expect(JSON.parse(choice.message.content!)).toEqual(msg.content[0].input);
    expect(thinking).toBeNull();
    // Without the structured context the same body is an ordinary tool call.
    expect(translateMessage(msg, ctx).completion.choices[0].finish_reason).toBe("tool_calls");
  });

  it("structured output through a forced tool drops preamble text and never adds <think>", () => {
    const msg = {
      ...message("anthropic-json-tool.1.json"),
      content: [
        { type: "thinking", thinking: "plan", signature: "s" },
        { type: "text", text: "I'll invoke the JSON response tool." },
        { type: "tool_use", id: "toolu_x", name: "json", input: { a: 1 } },
      ],
    };
    const m = translateMessage(msg, { ...ctx, reasoningOutput: "think_tags", structuredOutput: { mode: "tool", toolName: "json" } }).completion.choices[0].message;
    expect(m.content).toBe('{"a":1}');
  });

  it("native structured output is the text as is", () => {
    const msg = message("anthropic-json-output-format.1.json");
    const m = translateMessage(msg, { ...ctx, structuredOutput: { mode: "native" } }).completion.choices[0].message;
    expect(JSON.parse(m.content!)).toHaveProperty("recipe");
  });

  it("a server-side model fallback block is not shown", () => {
    const m = translateMessage(message("anthropic-fallback.json"), ctx).completion.choices[0].message;
    expect(m.content).toBe("The printing press was invented by Johannes Gutenberg around 1440.");
  });
});

describe("translateMessage: synthetic edge cases", () => {
  const base = message("anthropic-text.json");
  const turn = (content: unknown[], stop_reason = "tool_use", extra: object = {}) => ({ ...base, content, stop_reason, ...extra });

  it("captures every signed thinking block of a tool turn, keyed by its tool call ids", () => {
    const blocks = [
      { type: "thinking", thinking: "first", signature: "sig1" },
      { type: "redacted_thinking", data: "opaque" },
      { type: "thinking", thinking: "", signature: "sig-omitted" },
    ];
    const { completion, thinking } = translateMessage(
      turn([...blocks, { type: "tool_use", id: "toolu_a", name: "f", input: { x: 1 } }, { type: "tool_use", id: "toolu_b", name: "g", input: {} }]),
      ctx,
    );
    expect(thinking).toEqual({ toolCallIds: ["toolu_a", "toolu_b"], blocks });
    const m = completion.choices[0].message;
    // Redacted and omitted thinking are remembered but show nothing.
    expect(m.reasoning_content).toBe("first");
    expect(m.content).toBeNull();
    expect(m.tool_calls!.map((c) => (c.type === "function" ? c.function.arguments : ""))).toEqual(['{"x":1}', "{}"]);
  });

  it("no capture without tool calls, or without thinking", () => {
    expect(translateMessage(turn([{ type: "thinking", thinking: "t", signature: "s" }, { type: "text", text: "hi" }], "end_turn"), ctx).thinking).toBeNull();
    expect(translateMessage(turn([{ type: "tool_use", id: "toolu_a", name: "f", input: {} }]), ctx).thinking).toBeNull();
  });

  it("only display:omitted thinking gives no reasoning at all, in any mode", () => {
    const msg = turn([{ type: "thinking", thinking: "", signature: "s" }, { type: "text", text: "42" }], "end_turn");
    expect(translateMessage(msg, ctx).completion.choices[0].message).not.toHaveProperty("reasoning_content");
    expect(translateMessage(msg, { ...ctx, reasoningOutput: "think_tags" }).completion.choices[0].message.content).toBe("42");
  });

  it("several thinking blocks are joined with a blank line", () => {
    const msg = turn([{ type: "thinking", thinking: "a", signature: "s" }, { type: "thinking", thinking: "b", signature: "t" }, { type: "text", text: "x" }], "end_turn");
    expect(translateMessage(msg, ctx).completion.choices[0].message.reasoning_content).toBe("a\n\nb");
  });

  it("max_tokens → length; an empty answer is an empty string, not null", () => {
    const choice = translateMessage(turn([], "max_tokens"), ctx).completion.choices[0];
    expect(choice.finish_reason).toBe("length");
    expect(choice.message.content).toBe("");
  });

  it("refusal uses stop_details when present", () => {
    const m = translateMessage(turn([], "refusal", { stop_details: { type: "refusal", category: "bio", explanation: null } }), ctx).completion.choices[0].message;
    expect(m.refusal).toContain("bio");
  });
});
