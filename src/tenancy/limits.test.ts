import { describe, expect, it } from "vitest";
import { checkAccess, formatResetDuration, modelAllowed, periodResetsAt, periodStartDay, refill, settleTokens, utcDay, type KeyPolicy, type Refusal } from "./limits";

const NOW = Date.UTC(2026, 11, 3, 9, 30, 0);
const policy = (p: Partial<KeyPolicy> = {}): KeyPolicy => ({ id: "key_1", name: "alice laptop", disabled: false, expiresAt: null, models: null, rpm: null, tpm: null, budgetPico: null, budgetPeriod: "month", ...p });
const input = (p: Partial<Parameters<typeof checkAccess>[1]> = {}) => ({ model: "claude-sonnet-4-5", now: NOW, spentPico: 0, rate: {}, estimatedTokens: 10, ...p });
const refused = (r: ReturnType<typeof checkAccess>): Refusal => {
  if ("ok" in r) throw new Error("expected a refusal");
  return r;
};

describe("periods", () => {
  it("start and reset in UTC", () => {
    expect(periodStartDay("day", NOW)).toBe("2026-12-03");
    expect(periodStartDay("month", NOW)).toBe("2026-12-01");
    expect(periodStartDay("total", NOW)).toBeNull();
    expect(new Date(periodResetsAt("day", NOW)!).toISOString()).toBe("2026-12-04T00:00:00.000Z");
    expect(new Date(periodResetsAt("month", NOW)!).toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(periodResetsAt("total", NOW)).toBeNull();
  });
});

describe("checkAccess", () => {
  it("lets an unlimited key through without rate-limit headers", () => {
    const r = checkAccess(policy(), input());
    expect(r).toMatchObject({ ok: true, headers: {} });
  });

  it("refuses a disabled or expired key with 401", () => {
    expect(refused(checkAccess(policy({ disabled: true }), input()))).toMatchObject({ status: 401, code: "key_disabled" });
    const expired = refused(checkAccess(policy({ expiresAt: NOW - 1 }), input()));
    expect(expired).toMatchObject({ status: 401, code: "key_expired" });
    expect(expired.message).toContain("alice laptop");
    expect(checkAccess(policy({ expiresAt: NOW + 1 }), input())).toMatchObject({ ok: true });
  });

  it("refuses a model outside the key's list with 403 naming the model; `*` entries are prefixes", () => {
    expect(modelAllowed(["claude-haiku-*", "claude-sonnet-4-5"], "claude-haiku-4-5")).toBe(true);
    expect(modelAllowed(["claude-haiku-*", "claude-sonnet-4-5"], "claude-sonnet-4-5")).toBe(true);
    expect(modelAllowed(["claude-haiku-*", "claude-sonnet-4-5"], "claude-sonnet-4-5-think")).toBe(false);
    expect(modelAllowed([], "anything")).toBe(true);
    const r = refused(checkAccess(policy({ models: ["claude-haiku-*"] }), input({ model: "claude-opus-4-8" })));
    expect(r).toMatchObject({ status: 403, type: "permission_error", code: "model_not_allowed", param: "model" });
    expect(r.message).toContain("`claude-opus-4-8`");
  });

  it("refuses a key whose budget is spent with insufficient_quota, naming the key and the reset", () => {
    const p = policy({ budgetPico: 5e12, budgetPeriod: "day" });
    expect(checkAccess(p, input({ spentPico: 5e12 - 1 }))).toMatchObject({ ok: true });
    const r = refused(checkAccess(p, input({ spentPico: 5e12 })));
    expect(r).toMatchObject({ status: 429, type: "insufficient_quota", code: "insufficient_quota" });
    expect(r.message).toContain('"alice laptop"');
    expect(r.message).toContain("$5.00");
    expect(r.message).toContain("2026-12-04T00:00:00.000Z");
    const total = refused(checkAccess(policy({ budgetPico: 0, budgetPeriod: "total" }), input()));
    expect(total.message).toMatch(/does not reset/);
  });

  it("counts requests per minute with OpenAI's headers: remaining is after this request", () => {
    const p = policy({ rpm: 3 });
    let rate = {};
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = checkAccess(p, input({ rate }));
      if (!("ok" in r)) throw new Error(r.message);
      rate = r.state;
      remaining.push(r.headers["x-ratelimit-remaining-requests"]!);
      expect(r.headers["x-ratelimit-limit-requests"]).toBe("3");
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const r = refused(checkAccess(p, input({ rate })));
    expect(r).toMatchObject({ status: 429, code: "rate_limit_exceeded", type: "requests" });
    expect(r.headers["retry-after"]).toBe("20"); // 3 per minute: one slot every 20 s
    expect(r.headers["x-ratelimit-reset-requests"]).toBe("1m0s");
    // 20 s later one request is allowed again.
    expect(checkAccess(p, input({ rate, now: NOW + 20_000 }))).toMatchObject({ ok: true, headers: { "x-ratelimit-remaining-requests": "0" } });
  });

  it("counts tokens per minute: the estimate is taken at admission and corrected by the real count", () => {
    const p = policy({ tpm: 1000 });
    const first = checkAccess(p, input({ estimatedTokens: 100 }));
    if (!("ok" in first)) throw new Error(first.message);
    expect(first.headers).toMatchObject({ "x-ratelimit-limit-tokens": "1000", "x-ratelimit-remaining-tokens": "900" });
    // The answer used 1500 tokens in all: the bucket is in debt and the next request waits.
    const tokens = settleTokens(first.state.tokens, 100, 1500);
    expect(tokens!.level).toBe(-500);
    const r = refused(checkAccess(p, input({ rate: { tokens } })));
    expect(r).toMatchObject({ status: 429, type: "tokens", code: "rate_limit_exceeded" });
    expect(Number(r.headers["retry-after"])).toBe(31); // 501 tokens at 1000/min
    expect(refill(tokens, 1000, NOW + 31_000).level).toBeGreaterThan(0);
  });

  it("reports the limit headers on refusals for other reasons too", () => {
    const r = refused(checkAccess(policy({ rpm: 10, models: ["x"] }), input()));
    expect(r.headers["x-ratelimit-limit-requests"]).toBe("10");
    expect(r.headers["x-ratelimit-remaining-requests"]).toBe("10");
  });
});

describe("formatResetDuration", () => {
  it("writes durations as OpenAI does", () => {
    expect(formatResetDuration(20)).toBe("20ms");
    expect(formatResetDuration(1500)).toBe("1.5s");
    expect(formatResetDuration(360_000)).toBe("6m0s");
  });
});

describe("utcDay", () => {
  it("names the UTC day of each instant, across day boundaries and back", () => {
    const midnight = Date.UTC(2026, 11, 3);
    expect(utcDay(midnight - 1)).toBe("2026-12-02");
    expect(utcDay(midnight)).toBe("2026-12-03");
    expect(utcDay(midnight + 86_399_999)).toBe("2026-12-03");
    expect(utcDay(midnight + 86_400_000)).toBe("2026-12-04");
    expect(utcDay(midnight - 1)).toBe("2026-12-02");
    expect(utcDay(Date.UTC(1999, 0, 1, 12))).toBe("1999-01-01");
  });
});
