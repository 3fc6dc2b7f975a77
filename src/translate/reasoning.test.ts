import { describe, expect, it } from "vitest";
import { effortFor, fitBudget, planThinking, readThinkingIntent, signedBlocksFromEcho, signedBlocksFromResponse } from "./reasoning";
import { parseChatRequest } from "../openai/schema";
import { tableProfile } from "../models/fallback";

const sonnet45 = tableProfile("claude-sonnet-4-5")!;
const opus48 = tableProfile("claude-opus-4-8")!;
const sonnet46 = tableProfile("claude-sonnet-4-6")!;
const fable = tableProfile("claude-fable-5")!;
const haiku35 = tableProfile("claude-3-5-haiku-latest")!;
const req = (extra: object) => parseChatRequest({ model: "m", messages: [{ role: "user", content: "x" }], ...extra });

describe("readThinkingIntent", () => {
  it("reads every input form", () => {
    expect(readThinkingIntent(req({}), false)).toEqual({ kind: "unspecified" });
    expect(readThinkingIntent(req({ reasoning_effort: "low" }), false)).toEqual({ kind: "on", effort: "low" });
    expect(readThinkingIntent(req({ reasoning_effort: "none" }), false)).toEqual({ kind: "off" });
    expect(readThinkingIntent(req({ thinking: { type: "enabled", budget_tokens: 5000 } }), false)).toEqual({ kind: "on", budgetTokens: 5000 });
    expect(readThinkingIntent(req({ thinking: { type: "disabled", budget_tokens: 0 } }), false)).toEqual({ kind: "off" });
    expect(readThinkingIntent(req({ thinking: { type: "adaptive" }, reasoning_effort: "high" }), false)).toEqual({ kind: "on", effort: "high" });
    expect(readThinkingIntent(req({ reasoning: { effort: "medium" } }), false)).toEqual({ kind: "on", effort: "medium" });
    expect(readThinkingIntent(req({ reasoning: { max_tokens: 3000 } }), false)).toEqual({ kind: "on", budgetTokens: 3000 });
    expect(readThinkingIntent(req({ reasoning: { enabled: false } }), false)).toEqual({ kind: "off" });
    expect(readThinkingIntent(req({ reasoning: { exclude: true } }), false)).toEqual({ kind: "unspecified" });
  });
  it("lets the -think suffix win over an off switch, while body fields still set the amount", () => {
    expect(readThinkingIntent(req({ thinking: { type: "disabled", budget_tokens: 0 } }), true)).toEqual({ kind: "on" });
    expect(readThinkingIntent(req({ reasoning_effort: "low" }), true)).toEqual({ kind: "on", effort: "low" });
  });
  it("lets thinking win over reasoning_effort", () => {
    expect(readThinkingIntent(req({ thinking: { type: "disabled" }, reasoning_effort: "high" }), false)).toEqual({ kind: "off" });
  });
});

describe("planThinking", () => {
  it("uses budgets on budget-only models, by a documented table", () => {
    expect(planThinking({ kind: "on", effort: "minimal" }, sonnet45, false).thinking).toEqual({ type: "enabled", budget_tokens: 1024 });
    expect(planThinking({ kind: "on", effort: "medium" }, sonnet45, false).thinking).toEqual({ type: "enabled", budget_tokens: 8192 });
    expect(planThinking({ kind: "on" }, sonnet45, false).thinking).toEqual({ type: "enabled", budget_tokens: 16384 });
    expect(planThinking({ kind: "on", budgetTokens: 500 }, sonnet45, false).thinking).toEqual({ type: "enabled", budget_tokens: 1024 });
  });
  it("converts adaptive requests to budgets on budget-only models and budgets to effort on adaptive-only ones", () => {
    expect(planThinking({ kind: "on", effort: "xhigh" }, sonnet45, false).thinking).toEqual({ type: "enabled", budget_tokens: 32000 });
    expect(planThinking({ kind: "on", budgetTokens: 10000 }, opus48, false)).toMatchObject({ thinking: { type: "adaptive" }, effort: "medium" });
  });
  it("uses adaptive + effort on adaptive models", () => {
    expect(planThinking({ kind: "on", effort: "minimal" }, opus48, false)).toMatchObject({ thinking: { type: "adaptive", display: "summarized" }, effort: "low" });
    expect(planThinking({ kind: "on", effort: "xhigh" }, opus48, false).effort).toBe("xhigh");
    expect(planThinking({ kind: "on", effort: "xhigh" }, sonnet46, false).effort).toBe("high");
    expect(planThinking({ kind: "on" }, opus48, true)).toEqual({ thinking: { type: "adaptive", display: "omitted" }, notes: [] });
    // Hybrid 4.6 models keep an explicit budget.
    expect(planThinking({ kind: "on", budgetTokens: 4000 }, sonnet46, false).thinking).toEqual({ type: "enabled", budget_tokens: 4000 });
  });
  it("turns thinking off explicitly, except where the model cannot", () => {
    expect(planThinking({ kind: "off" }, opus48, false).thinking).toEqual({ type: "disabled" });
    expect(planThinking({ kind: "unspecified" }, opus48, false).thinking).toBeUndefined();
    const f = planThinking({ kind: "off" }, fable, false);
    expect(f.thinking?.type).toBe("adaptive");
    expect(f.notes[0]).toMatch(/cannot turn it off/);
    expect(planThinking({ kind: "off" }, haiku35, false).thinking).toBeUndefined();
  });
  it("reports models without thinking", () => {
    expect(planThinking({ kind: "on", effort: "high" }, haiku35, false).droppedReason).toMatch(/does not support thinking/);
  });
});

describe("effortFor", () => {
  it("rounds down to a supported level", () => {
    expect(effortFor("max", ["low", "medium", "high"])).toBe("high");
    expect(effortFor("low", ["medium", "high"])).toBe("medium");
    expect(effortFor("high", [])).toBeUndefined();
  });
});

describe("fitBudget", () => {
  it("raises a defaulted max_tokens above the budget, within the model's maximum", () => {
    expect(fitBudget(32000, 32000, false, 64000)).toEqual({ maxTokens: 36096, budget: 32000 });
    expect(fitBudget(48000, 32000, false, 32000)).toEqual({ maxTokens: 32000, budget: 24000 });
  });
  it("respects a client's max_tokens by shrinking the budget, and gives up below 1024", () => {
    expect(fitBudget(16384, 4000, true, 64000)).toEqual({ maxTokens: 4000, budget: 3000 });
    expect(fitBudget(16384, 20000, true, 64000)).toEqual({ maxTokens: 20000, budget: 16384 });
    expect(fitBudget(2048, 1000, true, 64000)).toHaveProperty("dropReason");
  });
});

describe("signed blocks", () => {
  it("reads OpenRouter reasoning_details and LiteLLM thinking_blocks, skipping unsigned text", () => {
    const m = parseChatRequest({
      model: "m",
      messages: [
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }],
          reasoning_details: [
            { type: "reasoning.text", text: "hmm", signature: "sig1" },
            { type: "reasoning.text", text: "unsigned" },
            { type: "reasoning.encrypted", data: "enc" },
            { type: "reasoning.summary", summary: "s" },
          ],
        },
        { role: "assistant", content: "x", thinking_blocks: [{ type: "thinking", thinking: "t", signature: "s2" }, { type: "redacted_thinking", data: "r" }] },
        { role: "assistant", content: "x", reasoning_content: "plain, no signature" },
      ],
    }).messages as Parameters<typeof signedBlocksFromEcho>[0][];
    expect(signedBlocksFromEcho(m[0]!)).toEqual([
      { type: "thinking", thinking: "hmm", signature: "sig1" },
      { type: "redacted_thinking", data: "enc" },
    ]);
    expect(signedBlocksFromEcho(m[1]!)).toEqual([
      { type: "thinking", thinking: "t", signature: "s2" },
      { type: "redacted_thinking", data: "r" },
    ]);
    expect(signedBlocksFromEcho(m[2]!)).toEqual([]);
  });
  it("keeps only thinking blocks from a stored response", () => {
    expect(
      signedBlocksFromResponse([
        { type: "thinking", thinking: "a", signature: "s" },
        { type: "tool_use", id: "t", name: "n", input: {}, caller: { type: "direct" } },
        { type: "redacted_thinking", data: "d" },
      ] as never),
    ).toEqual([
      { type: "thinking", thinking: "a", signature: "s" },
      { type: "redacted_thinking", data: "d" },
    ]);
  });
});
