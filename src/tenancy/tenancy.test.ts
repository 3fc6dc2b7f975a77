import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DurableClientKeyStore, type ClientKeysDO } from "./client-keys-do";
import { newClientKey } from "./key-material";
import { hashSecret } from "../hash";
import { PriceTable } from "./prices";
import type { ClientKeyStore, NewClientKey } from "./store";
import { Tenancy } from "./tenancy";
import type { Logger } from "../deps";

const ns = () => (env as unknown as { CLIENT_KEYS: DurableObjectNamespace<ClientKeysDO> }).CLIENT_KEYS;
const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A real ClientKeysDO behind a wrapper that counts the calls each method gets. */
function countingStore() {
  const inner = new DurableClientKeyStore(ns(), `tenancy-${crypto.randomUUID()}`);
  const calls: Record<string, number> = {};
  let failRecord = 0;
  const store = new Proxy(inner, {
    get(target, prop: string) {
      const fn = (target as unknown as Record<string, unknown>)[prop];
      if (typeof fn !== "function") return fn;
      return (...args: unknown[]) => {
        calls[prop] = (calls[prop] ?? 0) + 1;
        if (prop === "record" && failRecord > 0) {
          failRecord--;
          return Promise.reject(new Error("storage unavailable"));
        }
        return (fn as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as ClientKeyStore;
  return { store, calls, failNextRecords: (n: number) => void (failRecord = n) };
}

function setup(staticKeys: string[] = [], flushDelayMs?: number) {
  const { store, calls, failNextRecords } = countingStore();
  let now = T0;
  const pending: Promise<unknown>[] = [];
  const scope = { waitUntil: (p: Promise<unknown>) => void pending.push(p.catch(() => undefined)) };
  const tenancy = new Tenancy({ store, staticKeys, prices: new PriceTable(), log: quiet, now: () => now, flushDelayMs });
  const addKey = async (p: Partial<NewClientKey> = {}) => {
    const key = newClientKey();
    await store.create({ id: `key_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`, name: "team", keyHash: await hashSecret(key), last4: key.slice(-4), disabled: false, expiresAt: null, models: null, rpm: null, tpm: null, budgetPico: null, budgetPeriod: "month", createdAt: now, ...p });
    return key;
  };
  return {
    tenancy,
    store,
    calls,
    failNextRecords,
    scope,
    addKey,
    tick: (ms: number) => void (now += ms),
    settle: async () => {
      while (pending.length) await Promise.all(pending.splice(0));
    },
  };
}

const usage = (input: number, output: number) => ({ input_tokens: input, output_tokens: output, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });

describe("Tenancy", () => {
  it("identifies static keys without touching the store, with stable ids", async () => {
    const t = setup(["static-key-one-aaaa", "static-key-two-bbbb"]);
    const ids = await t.tenancy.staticIdentities();
    expect(ids.map((i) => i.name)).toEqual(["static …aaaa", "static …bbbb"]);
    expect(await t.tenancy.staticIdentity(1)).toEqual(ids[1]);
    const again = setup(["static-key-one-aaaa"]);
    expect((await again.tenancy.staticIdentities())[0]!.id).toBe(ids[0]!.id);
    expect(t.calls).toEqual({});
  });

  it("caches a managed key's authorisation: one lookup, then none while fresh, then a background refresh", async () => {
    const t = setup();
    const key = await t.addKey();
    expect(await t.tenancy.identifyManaged(key, t.scope)).toMatchObject({ kind: "managed", name: "team" });
    expect(t.calls.authorize).toBe(1);
    t.tick(4_000);
    await t.tenancy.identifyManaged(key, t.scope);
    expect(t.calls.authorize).toBe(1);
    t.tick(2_000); // 6 s: used as is, refreshed in the background
    expect(await t.tenancy.identifyManaged(key, t.scope)).toBeDefined();
    await t.settle();
    expect(t.calls.authorize).toBe(2);
    expect(await t.tenancy.identifyManaged("sk-c2a-" + "x".repeat(43), t.scope)).toBeUndefined();
    expect(await t.tenancy.identifyManaged("not-managed", t.scope)).toBeUndefined();
  });

  it("stops a revoked key within 10 seconds", async () => {
    const t = setup();
    const key = await t.addKey();
    const id = (await t.tenancy.identifyManaged(key, t.scope))!.id;
    await t.store.revoke(id, T0);
    t.tick(5_500);
    // Still served from the (stale) cache while the refresh runs…
    expect(await t.tenancy.identifyManaged(key, t.scope)).toBeDefined();
    await t.settle();
    // …which has now seen the revocation.
    expect(await t.tenancy.identifyManaged(key, t.scope)).toBeUndefined();

    const u = setup();
    const key2 = await u.addKey();
    const id2 = (await u.tenancy.identifyManaged(key2, u.scope))!.id;
    await u.store.update(id2, { disabled: true }, T0);
    u.tick(10_000); // no request in between: the next one waits for the store
    const identity = await u.tenancy.identifyManaged(key2, u.scope);
    expect(identity).toBeDefined();
    expect(u.tenancy.admit(identity!, "claude-haiku-4-5", 10)).toMatchObject({ status: 401, code: "key_disabled" });
  });

  it("counts spend locally at once and refuses the key when its budget is used", async () => {
    const t = setup();
    // Haiku 4.5: $1 in, $5 out per MTok. 1000 in + 200 out = $0.002.
    const key = await t.addKey({ budgetPico: 0.005e12, budgetPeriod: "day" });
    const id = (await t.tenancy.identifyManaged(key, t.scope))!;
    for (let i = 0; i < 2; i++) {
      const a = t.tenancy.admit(id, "claude-haiku-4-5", 10);
      if (!("ok" in a)) throw new Error(a.message);
      t.tenancy.record(a.ticket, "claude-haiku-4-5", usage(1000, 200), false, t.scope);
    }
    expect("ok" in t.tenancy.admit(id, "claude-haiku-4-5", 10)).toBe(true); // $0.004 < $0.005
    const third = t.tenancy.admit(id, "claude-haiku-4-5", 10);
    if (!("ok" in third)) throw new Error(third.message);
    t.tenancy.record(third.ticket, "claude-haiku-4-5", usage(1000, 200), false, t.scope);
    expect(t.tenancy.admit(id, "claude-haiku-4-5", 10)).toMatchObject({ status: 429, code: "insufficient_quota" });
    await t.settle();
    expect(await t.store.usage({ keyId: id.id })).toMatchObject([{ requests: 3, inputTokens: 3000, outputTokens: 600, costPico: 3 * 0.002e12 }]);
    // A refresh reads the same spend from the store, without counting it twice.
    t.tick(11_000);
    await t.tenancy.identifyManaged(key, t.scope);
    expect(t.tenancy.admit(id, "claude-haiku-4-5", 10)).toMatchObject({ status: 429 });
  });

  it("bounds the overshoot by the requests in flight when the budget runs out", async () => {
    const t = setup();
    const key = await t.addKey({ budgetPico: 0.001e12 });
    const id = (await t.tenancy.identifyManaged(key, t.scope))!;
    // Five requests admitted together, before any has finished: each costs $0.002.
    const tickets = Array.from({ length: 5 }, () => {
      const a = t.tenancy.admit(id, "claude-haiku-4-5", 10);
      if (!("ok" in a)) throw new Error(a.message);
      return a.ticket;
    });
    for (const ticket of tickets) t.tenancy.record(ticket, "claude-haiku-4-5", usage(1000, 200), false, t.scope);
    await t.settle();
    const [row] = await t.store.usage({ keyId: id.id });
    // Spent: $0.010 against a $0.001 budget; the overshoot is at most the in-flight requests' cost.
    expect(row!.costPico).toBe(5 * 0.002e12);
    expect(row!.costPico - 0.001e12).toBeLessThanOrEqual(tickets.length * 0.002e12);
    expect(t.tenancy.admit(id, "claude-haiku-4-5", 10)).toMatchObject({ status: 429, code: "insufficient_quota" });
  });

  it("keeps counting a cost the store has not written yet across a refresh of the key", async () => {
    const t = setup([], 200);
    const key = await t.addKey({ budgetPico: 0.003e12 });
    const id = (await t.tenancy.identifyManaged(key, t.scope))!;
    const a = t.tenancy.admit(id, "claude-haiku-4-5", 10) as { ticket: Parameters<Tenancy["record"]>[0] };
    t.tenancy.record(a.ticket, "claude-haiku-4-5", usage(1000, 200), false, t.scope); // $0.002, written in 200 ms
    t.tick(11_000);
    await t.tenancy.identifyManaged(key, t.scope); // a lookup that cannot see the unwritten cost
    const b = t.tenancy.admit(id, "claude-haiku-4-5", 10) as { ticket: Parameters<Tenancy["record"]>[0] };
    t.tenancy.record(b.ticket, "claude-haiku-4-5", usage(1000, 200), false, t.scope); // $0.004 in all
    expect(t.tenancy.admit(id, "claude-haiku-4-5", 10)).toMatchObject({ status: 429, code: "insufficient_quota" });
    await t.settle();
    t.tick(11_000);
    await t.tenancy.identifyManaged(key, t.scope); // now the store has both, and they are not counted twice
    expect((await t.store.usage({ keyId: id.id }))[0]!.costPico).toBe(0.004e12);
    expect(t.tenancy.admit(id, "claude-haiku-4-5", 10)).toMatchObject({ status: 429 });
    await t.store.update(id.id, { budgetPico: 0.0041e12 }, T0);
    t.tick(11_000);
    await t.tenancy.identifyManaged(key, t.scope);
    expect(t.tenancy.admit(id, "claude-haiku-4-5", 10)).toMatchObject({ ok: true });
  });

  it("records each ticket once, batches writes, and keeps usage the store failed to take", async () => {
    const t = setup(["static-key-one-aaaa"]);
    const who = await t.tenancy.staticIdentity(0);
    const a = t.tenancy.admit(who, "claude-sonnet-4-5", 0);
    if (!("ok" in a)) throw new Error("static keys are unlimited");
    t.tenancy.record(a.ticket, "claude-sonnet-4-5", usage(10, 10), false, t.scope);
    t.tenancy.record(a.ticket, "claude-sonnet-4-5", usage(10, 10), false, t.scope);
    t.failNextRecords(1);
    for (let i = 0; i < 20; i++) {
      const b = t.tenancy.admit(who, "claude-sonnet-4-5", 0) as { ticket: Parameters<Tenancy["record"]>[0] };
      t.tenancy.record(b.ticket, "claude-sonnet-4-5", usage(1, 1), i === 0, t.scope);
    }
    await t.settle();
    await t.tenancy.flush(); // the rows of the failed write go out with the next one
    const rows = await t.store.usage({ keyId: who.id });
    expect(rows).toMatchObject([{ requests: 21, inputTokens: 30, outputTokens: 30, estimatedRequests: 1 }]);
    expect(t.calls.record).toBeLessThanOrEqual(4);
  });
});
