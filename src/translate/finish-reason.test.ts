import { describe, expect, it } from "vitest";
import { chatFinishReason, refusalText, toFinishReason } from "./finish-reason";

describe("toFinishReason", () => {
  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["pause_turn", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
    ["some_future_reason", "stop"],
    [null, "stop"],
    [undefined, "stop"],
  ])("%s → %s", (stop, finish) => {
    expect(toFinishReason(stop)).toBe(finish);
  });
});

describe("chatFinishReason", () => {
  it("is tool_calls when the client received a tool call, whatever the stop reason", () => {
    expect(chatFinishReason("tool_use", true)).toBe("tool_calls");
    expect(chatFinishReason("max_tokens", true)).toBe("tool_calls");
    expect(chatFinishReason("end_turn", true)).toBe("tool_calls");
  });
  it("is function_call for a legacy functions request with a call", () => {
    expect(chatFinishReason("tool_use", true, true)).toBe("function_call");
  });
  it("downgrades tool_use without a client-visible call (a forced structured-output tool) to stop", () => {
    expect(chatFinishReason("tool_use", false)).toBe("stop");
    expect(chatFinishReason("tool_use", false, true)).toBe("stop");
  });
  it("keeps every other reason as toFinishReason maps it", () => {
    expect(chatFinishReason("max_tokens", false)).toBe("length");
    expect(chatFinishReason("refusal", false, true)).toBe("content_filter");
    expect(chatFinishReason(null, false)).toBe("stop");
  });
});

describe("refusalText", () => {
  it("uses Anthropic's explanation and category", () => {
    expect(refusalText({ category: "cyber", explanation: "Blocked under the policy." })).toBe("Blocked under the policy. (category: cyber)");
  });
  it("names the category when there is no explanation", () => {
    expect(refusalText({ category: "bio", explanation: null })).toContain("bio");
  });
  it("is never empty", () => {
    expect(refusalText(null).length).toBeGreaterThan(10);
    expect(refusalText({ explanation: "  " }).length).toBeGreaterThan(10);
  });
});
