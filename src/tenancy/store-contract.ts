/**
 * The behaviour every ClientKeyStore must have, as one suite run against each
 * implementation: the Durable Object (src/tenancy/client-keys-do.test.ts, in workerd)
 * and the node:sqlite file (test/node/client-keys-store.test.ts, in Node).
 */
import { expect, it } from "vitest";
import type { ClientKeyStore, NewClientKey, UsageDelta } from "./store";

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);

export const sampleKey = (p: Partial<NewClientKey> = {}): NewClientKey => ({
  id: "key_aaaaaaaaaaaaaaaa",
  name: "alice",
  keyHash: "a".repeat(64),
  last4: "wxyz",
  disabled: false,
  expiresAt: null,
  models: ["claude-haiku-*"],
  rpm: 10,
  tpm: null,
  budgetPico: 5e12,
  budgetPeriod: "month",
  createdAt: NOW - 1000,
  ...p,
});

export const delta = (p: Partial<UsageDelta> = {}): UsageDelta => ({
  keyId: "key_aaaaaaaaaaaaaaaa",
  model: "claude-haiku-4-5",
  day: "2026-12-03",
  requests: 1,
  inputTokens: 10,
  outputTokens: 20,
  cacheReadTokens: 3,
  cacheWriteTokens: 4,
  reasoningTokens: 5,
  costPico: 123_456_789,
  estimatedRequests: 0,
  familyPricedRequests: 0,
  at: NOW,
  ...p,
});

export function clientKeyStoreContract(make: () => ClientKeyStore | Promise<ClientKeyStore>): void {
  it("creates, lists, reads, patches and revokes keys", async () => {
    const store = await make();
    const created = await store.create(sampleKey());
    expect(created).toMatchObject({ id: "key_aaaaaaaaaaaaaaaa", name: "alice", spentPico: 0, lastUsedAt: null, deletedAt: null });
    await store.create(sampleKey({ id: "key_bbbbbbbbbbbbbbbb", name: "bob", keyHash: "b".repeat(64), models: null, budgetPico: null }));
    expect((await store.list(NOW)).map((k) => k.name)).toEqual(["alice", "bob"]);
    expect(await store.get("key_bbbbbbbbbbbbbbbb", NOW)).toMatchObject({ models: null, budgetPico: null, rpm: 10 });

    const patched = await store.update("key_aaaaaaaaaaaaaaaa", { disabled: true, rpm: null, models: ["claude-sonnet-4-5"], name: "alice 2" }, NOW);
    expect(patched).toMatchObject({ disabled: true, rpm: null, models: ["claude-sonnet-4-5"], name: "alice 2", updatedAt: NOW });
    expect(await store.update("key_nope", { name: "x" }, NOW)).toBeUndefined();

    expect(await store.revoke("key_aaaaaaaaaaaaaaaa", NOW)).toBe(true);
    expect(await store.revoke("key_aaaaaaaaaaaaaaaa", NOW)).toBe(false);
    expect((await store.list(NOW)).map((k) => k.name)).toEqual(["bob"]);
    expect(await store.authorize("a".repeat(64), NOW)).toBeUndefined();
    expect(await store.update("key_aaaaaaaaaaaaaaaa", { name: "back" }, NOW)).toBeUndefined();
    // A revoked key keeps its name for its usage rows.
    expect((await store.names())["key_aaaaaaaaaaaaaaaa"]).toBe("alice 2");
  });

  it("authorizes by hash with the spend of the key's current period", async () => {
    const store = await make();
    await store.create(sampleKey({ budgetPeriod: "day" }));
    await store.record([delta({ day: "2026-12-02", costPico: 1000 }), delta({ costPico: 7 }), delta({ costPico: 5, model: "claude-haiku-5-5" })]);
    const auth = await store.authorize("a".repeat(64), NOW);
    expect(auth?.key).toMatchObject({ id: "key_aaaaaaaaaaaaaaaa", budgetPeriod: "day", lastUsedAt: NOW });
    expect(auth?.spentPico).toBe(12);
    await store.update("key_aaaaaaaaaaaaaaaa", { budgetPeriod: "month" }, NOW);
    expect((await store.authorize("a".repeat(64), NOW))?.spentPico).toBe(1012);
    expect(await store.spendSince(["key_aaaaaaaaaaaaaaaa", "key_other"], null)).toEqual({ key_aaaaaaaaaaaaaaaa: 1012, key_other: 0 });
    expect(await store.authorize("f".repeat(64), NOW)).toBeUndefined();
  });

  it("adds usage per key × model × day and groups it", async () => {
    const store = await make();
    await store.record([delta(), delta(), delta({ keyId: "key_static_123456789abc", model: "claude-sonnet-4-5", estimatedRequests: 1 })]);
    await store.record([delta({ day: "2026-12-04", familyPricedRequests: 1, model: "claude-haiku-9" })]);
    const rows = await store.usage({});
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      keyId: "key_aaaaaaaaaaaaaaaa",
      model: "claude-haiku-4-5",
      day: "2026-12-03",
      requests: 2,
      inputTokens: 20,
      outputTokens: 40,
      cacheReadTokens: 6,
      cacheWriteTokens: 8,
      reasoningTokens: 10,
      costPico: 246_913_578,
      estimatedRequests: 0,
      familyPricedRequests: 0,
    });
    expect((await store.usage({ groupBy: "key" })).map((r) => [r.keyId, r.requests, r.model, r.day])).toEqual([
      ["key_aaaaaaaaaaaaaaaa", 3, null, null],
      ["key_static_123456789abc", 1, null, null],
    ]);
    expect((await store.usage({ groupBy: "day" })).map((r) => [r.day, r.requests])).toEqual([
      ["2026-12-03", 3],
      ["2026-12-04", 1],
    ]);
    expect((await store.usage({ groupBy: "model", keyId: "key_aaaaaaaaaaaaaaaa" })).map((r) => [r.model, r.requests, r.familyPricedRequests])).toEqual([
      ["claude-haiku-4-5", 2, 0],
      ["claude-haiku-9", 1, 1],
    ]);
    expect((await store.usage({ from: "2026-12-04", to: "2026-12-04" })).map((r) => r.model)).toEqual(["claude-haiku-9"]);
    expect(await store.usage({ model: "claude-sonnet-4-5" })).toMatchObject([{ estimatedRequests: 1, keyId: "key_static_123456789abc" }]);
  });

  it("keeps large sums exact, and sums beyond $9,007 (2^53 picodollars) readable", async () => {
    const store = await make();
    // $5,000 in one row, plus a single picodollar.
    await store.record([delta({ costPico: 5_000 * 1e12 }), delta({ costPico: 1 })]);
    expect((await store.usage({}))[0]!.costPico).toBe(5_000 * 1e12 + 1);
    // A month of a big spender: 40 days × $5,000 on one key; and a budget of a million dollars.
    await store.record(Array.from({ length: 40 }, (_, i) => delta({ day: `2026-11-${String((i % 28) + 1).padStart(2, "0")}`, model: `m${i}`, costPico: 5_000 * 1e12 })));
    expect(await store.spendSince(["key_aaaaaaaaaaaaaaaa"], null)).toEqual({ key_aaaaaaaaaaaaaaaa: 205_000 * 1e12 + 1 });
    await store.create(sampleKey({ budgetPico: 1_000_000 * 1e12, budgetPeriod: "total" }));
    expect(await store.authorize("a".repeat(64), NOW)).toMatchObject({ key: { budgetPico: 1_000_000 * 1e12 }, spentPico: 205_000 * 1e12 + 1 });
    expect((await store.usage({ groupBy: "key" }))[0]!.costPico).toBe(205_000 * 1e12 + 1);
  });
}
