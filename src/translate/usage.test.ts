import { describe, expect, it } from "vitest";
import { mergeUsage, toOpenAIUsage, type UpstreamUsage } from "./usage";

describe("toOpenAIUsage", () => {
  it("counts cache reads and writes inside prompt_tokens and reports them apart", () => {
    expect(
      toOpenAIUsage({ input_tokens: 10, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 80, output_tokens_details: { thinking_tokens: 40 } }),
    ).toEqual({
      prompt_tokens: 1210,
      completion_tokens: 80,
      total_tokens: 1290,
      prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 200 },
      completion_tokens_details: { reasoning_tokens: 40 },
      cache_creation_input_tokens: 200,
      cache_read_input_tokens: 1000,
    });
  });

  it("treats null and missing fields as zero, and leaves reasoning_tokens out when unknown", () => {
    const u = toOpenAIUsage({ input_tokens: 5, output_tokens: 2, cache_read_input_tokens: null, output_tokens_details: null });
    expect(u).toMatchObject({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } });
    expect(u).not.toHaveProperty("completion_tokens_details");
    expect(toOpenAIUsage(undefined).total_tokens).toBe(0);
  });
});

describe("mergeUsage", () => {
  it("keeps the latest non-null value of each field", () => {
    const acc: UpstreamUsage = {};
    mergeUsage(acc, { input_tokens: 43, output_tokens: 1, cache_read_input_tokens: 7 });
    mergeUsage(acc, { input_tokens: null, output_tokens: 30, cache_read_input_tokens: null, cache_creation_input_tokens: 3 });
    expect(acc).toEqual({ input_tokens: 43, output_tokens: 30, cache_read_input_tokens: 7, cache_creation_input_tokens: 3 });
    mergeUsage(acc, { input_tokens: 61, output_tokens: 2 } as UpstreamUsage);
    expect(acc.input_tokens).toBe(61);
    expect(mergeUsage(acc, null)).toBe(acc);
  });
});
