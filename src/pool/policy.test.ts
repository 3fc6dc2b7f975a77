import { describe, expect, it } from "vitest";
import { applyOutcome, classifyStatus, defaultPolicy, retryAfterMs, type KeyHealth } from "./policy";

const fresh: KeyHealth = { cooldownUntil: 0, backoffUntil: 0, disabled: null, consecutiveFailures: 0, lastError: null };
const h = (init: Record<string, string> = {}) => new Headers(init);

describe("classifyStatus", () => {
  it("fails over on rate limits, overload and transient 5xx", () => {
    expect(classifyStatus(429, h({ "retry-after": "7" }), 0)).toEqual({ action: "retry", outcome: { kind: "rate_limited", retryAfterMs: 7000 } });
    expect(classifyStatus(529, h(), 0)).toEqual({ action: "retry", outcome: { kind: "overloaded" } });
    for (const s of [500, 502, 503, 504, 522]) expect(classifyStatus(s, h(), 0)).toEqual({ action: "retry", outcome: { kind: "server_error", status: s } });
  });

  it("uses the default cooldown for a 429 without retry-after", () => {
    expect(classifyStatus(429, h(), 0)).toEqual({ action: "retry", outcome: { kind: "rate_limited", retryAfterMs: defaultPolicy.defaultRetryAfterMs } });
  });

  it("follows the upstream's x-should-retry: false", () => {
    // An overload or 5xx that would repeat is the answer: no failover.
    for (const s of [500, 529]) expect(classifyStatus(s, h({ "x-should-retry": "false" }), 0)).toEqual({ action: "return" });
    // A 429 that will not clear soon: other keys are tried, this one rests longer.
    expect(classifyStatus(429, h({ "x-should-retry": "false" }), 0)).toEqual({ action: "retry", outcome: { kind: "rate_limited", retryAfterMs: defaultPolicy.noRetryCooldownMs } });
    expect(classifyStatus(429, h({ "x-should-retry": "false", "retry-after": "5" }), 0)).toEqual({ action: "retry", outcome: { kind: "rate_limited", retryAfterMs: 5000 } });
    expect(classifyStatus(500, h({ "x-should-retry": "true" }), 0)).toEqual({ action: "retry", outcome: { kind: "server_error", status: 500 } });
  });

  it("takes refused keys out of rotation", () => {
    for (const s of [401, 402, 403]) expect(classifyStatus(s, h(), 0)).toEqual({ action: "disable", status: s });
  });

  it("returns the client's own faults and successes as they are", () => {
    for (const s of [200, 400, 404, 413, 422, 501]) expect(classifyStatus(s, h(), 0)).toEqual({ action: "return" });
  });
});

describe("retryAfterMs", () => {
  it("prefers retry-after-ms, then seconds, then an HTTP date", () => {
    expect(retryAfterMs(h({ "retry-after-ms": "1500", "retry-after": "9" }), 0)).toBe(1500);
    expect(retryAfterMs(h({ "retry-after": "12" }), 0)).toBe(12_000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(h({ "retry-after": "Thu, 01 Jan 2026 00:00:20 GMT" }), now)).toBe(20_000);
  });

  it("ignores what it cannot read", () => {
    expect(retryAfterMs(h({ "retry-after": "soon" }), 0)).toBeUndefined();
    expect(retryAfterMs(h(), 0)).toBeUndefined();
  });
});

describe("applyOutcome", () => {
  it("cools a rate-limited key for the retry-after and says so urgently", () => {
    const r = applyOutcome(fresh, { kind: "rate_limited", retryAfterMs: 20_000 }, 1000);
    expect(r.health.cooldownUntil).toBe(21_000);
    expect(r).toMatchObject({ requests: 1, failures: 1, urgent: true });
    expect(r.health.lastError?.message).toContain("429");
  });

  it("never shortens a cooldown already in place", () => {
    const r = applyOutcome({ ...fresh, cooldownUntil: 90_000 }, { kind: "rate_limited", retryAfterMs: 1000 }, 1000);
    expect(r.health.cooldownUntil).toBe(90_000);
  });

  it("backs a key off only after repeated transient failures, longer each time, without rate-limiting it", () => {
    const one = applyOutcome(fresh, { kind: "overloaded" }, 0);
    expect(one.health.backoffUntil).toBe(0);
    expect(one.urgent).toBe(false);
    const two = applyOutcome(one.health, { kind: "server_error", status: 502 }, 0);
    expect(two.health.backoffUntil).toBe(defaultPolicy.failureBaseMs);
    const three = applyOutcome(two.health, { kind: "network", message: "reset" }, 0);
    expect(three.health.backoffUntil).toBe(defaultPolicy.failureBaseMs * 2);
    // A back-off is no rate limit: the key stays triable half-open (select.ts).
    expect(three.health.cooldownUntil).toBe(0);
  });

  it("forgets a run of failures and its back-off after a success", () => {
    const failed = applyOutcome(applyOutcome(fresh, { kind: "overloaded" }, 0).health, { kind: "overloaded" }, 0).health;
    expect(failed.backoffUntil).toBeGreaterThan(0);
    const ok = applyOutcome(failed, { kind: "ok" }, 0).health;
    expect(ok.consecutiveFailures).toBe(0);
    expect(ok.backoffUntil).toBe(0);
  });

  it("disables a refused key with the reason and time", () => {
    const r = applyOutcome(fresh, { kind: "auth", status: 401, message: "invalid x-api-key" }, 5000);
    expect(r.health.disabled).toEqual({ reason: "401: invalid x-api-key", at: 5000 });
  });

  it("does not count a client's abort against the key", () => {
    expect(applyOutcome(fresh, { kind: "cancelled" }, 0)).toEqual({ health: fresh, requests: 0, failures: 0, urgent: false });
  });

  it("masks anything that looks like a key in upstream messages", () => {
    const r = applyOutcome(fresh, { kind: "auth", status: 401, message: "bad key sk-ant-api03-SECRETSECRETSECRET" }, 0);
    expect(r.health.disabled?.reason).not.toContain("SECRET");
  });
});
