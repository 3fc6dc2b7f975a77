import { describe, expect, it } from "vitest";
import { refusalText, toFinishReason } from "./finish-reason";

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
