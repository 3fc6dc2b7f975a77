import { describe, expect, it } from "vitest";
import { BUILTIN_PRICES, normalizeModelId, parsePriceOverrides, PriceTable, tokenCounts } from "./prices";

const zero = { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, webSearches: 0 };

describe("price table", () => {
  const table = new PriceTable();

  it("prices a request exactly, in picodollars, with the cache multipliers", () => {
    // Sonnet 4.5: $3 in, $15 out, $0.30 read, $3.75 5m write, $6 1h write per MTok.
    const { pico, byFamily } = table.costPicoUsd("claude-sonnet-4-5", { input: 1000, output: 200, cacheRead: 5000, cacheWrite5m: 400, cacheWrite1h: 100 });
    expect(byFamily).toBe(false);
    expect(pico).toBe(1000 * 3e6 + 200 * 15e6 + 5000 * 0.3e6 + 400 * 3.75e6 + 100 * 6e6);
    expect(Number.isInteger(pico)).toBe(true);
  });

  it("keeps sub-cent costs without rounding: a thousand 1-token requests cost a thousand times one", () => {
    const one = table.costPicoUsd("claude-haiku-5-5", { ...zero, input: 1 }).pico;
    expect(one).toBe(100_000); // $0.10 per MTok = 10^5 picodollars per token
    expect(table.costPicoUsd("claude-haiku-5-5", { ...zero, input: 1000 }).pico).toBe(1000 * one);
  });

  it("applies long-context rates to every token of a request whose prompt is over the threshold", () => {
    const under = table.costPicoUsd("claude-sonnet-4-5", { ...zero, input: 150_000, cacheRead: 50_000, output: 10 }).pico;
    const over = table.costPicoUsd("claude-sonnet-4-5", { ...zero, input: 150_001, cacheRead: 50_000, output: 10 }).pico;
    expect(under).toBe(150_000 * 3e6 + 50_000 * 0.3e6 + 10 * 15e6);
    expect(over).toBe(150_001 * 6e6 + 50_000 * 0.6e6 + 10 * 22.5e6);
    const haiku = table.costPicoUsd("claude-haiku-5-5", { ...zero, input: 100_001, output: 1 }).pico;
    expect(haiku).toBe(100_001 * 0.5e6 + 2.5e6);
    // Sonnet 4.6 has no long-context surcharge.
    expect(table.costPicoUsd("claude-sonnet-4-6", { ...zero, input: 300_000 }).pico).toBe(300_000 * 3e6);
  });

  it("matches dated snapshots and platform ids to their model, never to a neighbour", () => {
    expect(table.lookup("claude-sonnet-4-5-20250929").source).toBe("claude-sonnet-4-5");
    expect(table.lookup("claude-opus-4-20250514").source).toBe("claude-opus-4");
    expect(table.lookup("claude-opus-4-1-20250805").source).toBe("claude-opus-4-1");
    expect(table.lookup("claude-sonnet-5-5").source).toBe("claude-sonnet-5-5");
    expect(table.lookup("claude-sonnet-5").source).toBe("claude-sonnet-5");
    expect(table.lookup("us.anthropic.claude-sonnet-4-5-20250929-v1:0").source).toBe("claude-sonnet-4-5");
    expect(table.lookup("claude-opus-4-5@20251101").source).toBe("claude-opus-4-5");
    expect(normalizeModelId("anthropic.claude-3-haiku-20240307-v1:0")).toBe("claude-3-haiku-20240307");
  });

  it("prices an unknown model by its family and flags it", () => {
    const sonnet = table.lookup("claude-sonnet-9");
    expect(sonnet).toMatchObject({ byFamily: true, source: "family:sonnet" });
    expect(sonnet.price.input).toBe(3);
    expect(table.lookup("claude-opus-7-1").source).toBe("family:opus");
    expect(table.lookup("something-else").source).toBe("family:unknown");
    expect(table.costPicoUsd("claude-haiku-9", { ...zero, output: 1 }).byFamily).toBe(true);
  });

  it("every built-in rate is a whole number of picodollars per token", () => {
    for (const [model, p] of Object.entries(BUILTIN_PRICES)) {
      for (const rates of [p, p.long_context].filter(Boolean)) {
        for (const [field, v] of Object.entries(rates!)) {
          if (field === "above_tokens" || typeof v !== "number") continue;
          expect(Number.isInteger(Math.round(v * 1e6 * 1000) / 1000), `${model}.${field}`).toBe(true);
        }
      }
    }
  });
});

describe("PRICES overrides", () => {
  it("adds and replaces models, deriving missing cache rates from Anthropic's multipliers", () => {
    const overrides = parsePriceOverrides(JSON.stringify({ "my-claude": { input: 2, output: 8 }, "claude-sonnet-4-5": { input: 1, output: 1, cache_read: 0.5 } }));
    expect(overrides["my-claude"]).toEqual({ input: 2, output: 8, cache_read: 0.2, cache_write_5m: 2.5, cache_write_1h: 4 });
    const table = PriceTable.withOverrides(overrides);
    expect(table.lookup("my-claude-2025")).toMatchObject({ source: "my-claude", byFamily: false });
    expect(table.costPicoUsd("claude-sonnet-4-5", { ...zero, input: 1, cacheRead: 2 }).pico).toBe(1e6 + 2 * 0.5e6);
    expect(table.lookup("claude-sonnet-4-5").price.long_context).toBeUndefined();
  });

  it("names the problem in bad JSON or a bad field", () => {
    expect(() => parsePriceOverrides("{")).toThrow(/PRICES is not valid JSON/);
    expect(() => parsePriceOverrides(JSON.stringify({ x: { input: -1, output: 1 } }))).toThrow(/PRICES: x\.input/);
    expect(() => parsePriceOverrides(JSON.stringify({ x: { input: 1 } }))).toThrow(/PRICES: x\.output/);
  });
});

describe("token counts from Anthropic usage", () => {
  it("splits cache writes by TTL and tolerates missing or null fields", () => {
    expect(tokenCounts({ input_tokens: 5, output_tokens: 7, cache_read_input_tokens: 11, cache_creation_input_tokens: 13, cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 3 } })).toEqual({
      input: 5,
      output: 7,
      cacheRead: 11,
      cacheWrite5m: 10,
      cacheWrite1h: 3,
      webSearches: 0,
    });
    expect(tokenCounts({ input_tokens: 5, cache_creation_input_tokens: 4, cache_read_input_tokens: null })).toEqual({ input: 5, output: 0, cacheRead: 0, cacheWrite5m: 4, cacheWrite1h: 0, webSearches: 0 });
    expect(tokenCounts(undefined)).toEqual(zero);
  });
});

describe("web search", () => {
  it("adds $10 per 1,000 searches to the tokens' cost, and nothing for fetches", () => {
    const table = new PriceTable();
    const usage = { input_tokens: 1000, output_tokens: 100, server_tool_use: { web_search_requests: 3, web_fetch_requests: 2 } };
    const withSearches = table.costPicoUsd("claude-sonnet-4-5", tokenCounts(usage)).pico;
    const tokensOnly = table.costPicoUsd("claude-sonnet-4-5", tokenCounts({ input_tokens: 1000, output_tokens: 100 })).pico;
    expect(withSearches - tokensOnly).toBe(3 * 10_000_000_000); // $0.03
    expect(tokenCounts({ server_tool_use: { web_search_requests: -1 } }).webSearches).toBe(0);
    expect(tokenCounts({ server_tool_use: null }).webSearches).toBe(0);
  });
});
