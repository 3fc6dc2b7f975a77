import { describe, expect, it } from "vitest";
import type { KeyJson, UsageJson } from "./admin";
import { lastDays, renderUsageSection, spendChart } from "./usage-view";

const key = (p: Partial<KeyJson> = {}): KeyJson => ({
  id: "key_1",
  object: "client_key",
  kind: "managed",
  name: "alice <laptop>",
  last4: "wxyz",
  disabled: false,
  expires_at: null,
  models: null,
  rpm: 60,
  tpm: null,
  budget_usd: 10,
  budget_period: "month",
  spend_this_period_usd: 8.5,
  period_resets_at: "2027-01-01T00:00:00.000Z",
  created_at: null,
  last_used_at: null,
  ...p,
});
const row = (day: string, cost: number, p: Partial<UsageJson> = {}): UsageJson => ({
  key_id: "key_1",
  key_name: "alice",
  model: "claude-sonnet-4-5",
  day,
  requests: 2,
  input_tokens: 10,
  output_tokens: 20,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
  cost_usd: cost,
  estimated: false,
  estimated_requests: 0,
  priced_by_family_requests: 0,
  ...p,
});

describe("usage view", () => {
  it("lists the last days, oldest first", () => {
    expect(lastDays("2026-12-03", 3)).toEqual(["2026-12-01", "2026-12-02", "2026-12-03"]);
  });

  it("draws spend per day as inline SVG bars scaled to the maximum", () => {
    const svg = spendChart(["2026-12-01", "2026-12-02"], new Map([["2026-12-01", 1], ["2026-12-02", 0.5]]), 100, 60);
    const heights = [...svg.matchAll(/<rect [^>]*height="(\d+)"/g)].map((m) => Number(m[1]));
    expect(heights).toEqual([48, 24]);
    expect(svg).toContain("<title>2026-12-01: $1.00</title>");
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it("shows spend against budget, the days with traffic, and escapes names", () => {
    const html = renderUsageSection([key()], [row("2026-12-03", 0.25), row("2026-12-03", 0.5, { model: "claude-haiku-4-5", estimated: true }), row("2026-12-01", 1)], "2026-12-03", 7);
    expect(html).toContain("alice &lt;laptop&gt;");
    expect(html).toContain("$8.50 of $10.00 this month");
    expect(html).toContain("85%");
    expect(html).toContain("<tr><td>2026-12-03</td><td>4</td><td>60</td><td>$0.75 <small>(incl. estimates)</small></td></tr>");
    expect(html.indexOf("2026-12-03</td>")).toBeLessThan(html.indexOf("2026-12-01</td>"));
    expect(html).not.toContain("<script");
  });
});
