import { describe, expect, it, vi } from "vitest";
import { IsolateKeyPool } from "./isolate-pool";
import { captureLog, CountingStore, manualClock, testScope } from "./test-support";
import { hashSecret } from "../hash";

const KEYS = ["sk-ant-api03-aaaaaaaaaaaaaaaa-1111", "sk-ant-api03-bbbbbbbbbbbbbbbb-2222", "sk-ant-api03-cccccccccccccccc-3333"];

function setup(keys = KEYS) {
  const clock = manualClock();
  const store = new CountingStore(clock.now);
  const log = captureLog();
  const pool = new IsolateKeyPool({ keys, store, log, now: clock.now, syncEveryMs: 5_000 });
  return { clock, store, log, pool };
}

/** One request as failover makes it: pick, begin, end. */
function request(pool: IsolateKeyPool, scope: ReturnType<typeof testScope>, outcome: Parameters<IsolateKeyPool["end"]>[1] = { kind: "ok" }) {
  const choice = pool.pick(new Set(), scope);
  if (!("key" in choice)) throw new Error(`no key: ${JSON.stringify(choice)}`);
  pool.begin(choice.key);
  pool.end(choice.key, outcome, scope);
  return choice.key;
}

describe("IsolateKeyPool", () => {
  it("makes no store call for healthy requests between syncs", async () => {
    const { pool, store } = setup();
    const warm = testScope();
    request(pool, warm); // a fresh isolate's first request starts the first sync (after the response)
    await warm.drain();
    const before = store.calls;
    for (let i = 0; i < 100; i++) {
      const scope = testScope();
      request(pool, scope);
      expect(scope.waited).toBe(0);
      await scope.drain();
    }
    expect(store.calls).toBe(before);
  });

  it("never waits for the store: requests go on while it hangs", async () => {
    const { pool, store, clock } = setup();
    const warm = testScope();
    request(pool, warm);
    await warm.drain();
    const before = store.calls;
    store.hang = true;
    const served: string[] = [];
    for (let i = 0; i < 20; i++) {
      clock.advance(6_000); // a sync is due every time, and every other request is a 429 to report
      served.push(request(pool, testScope(), i % 2 ? { kind: "ok" } : { kind: "rate_limited", retryAfterMs: 1_000 }));
    }
    expect(served).toHaveLength(20); // each request got its key synchronously...
    await vi.waitFor(() => expect(store.calls).toBeGreaterThan(before)); // ...while the store was being asked in the background
  });

  it("spreads sequential requests round-robin and concurrent ones by in-flight load", () => {
    const { pool } = setup();
    const scope = testScope();
    expect([request(pool, scope), request(pool, scope), request(pool, scope)].sort()).toEqual([...KEYS].sort());

    const held: string[] = [];
    for (let i = 0; i < 9; i++) {
      const c = pool.pick(new Set(), scope);
      if (!("key" in c)) throw new Error("no key");
      pool.begin(c.key);
      held.push(c.key);
    }
    for (const k of KEYS) expect(held.filter((h) => h === k)).toHaveLength(3);
    for (const k of held) pool.end(k, { kind: "ok" }, scope);
  });

  it("cools a rate-limited key locally at once and reports it to the store", async () => {
    const { pool, store, clock, log } = setup();
    const scope = testScope();
    const first = pool.pick(new Set(), scope);
    if (!("key" in first)) throw new Error("no key");
    pool.begin(first.key);
    pool.end(first.key, { kind: "rate_limited", retryAfterMs: 30_000 }, scope);
    for (let i = 0; i < 10; i++) expect(request(pool, scope)).not.toBe(first.key);
    await scope.drain();
    const shared = (await store.inner.snapshot()).keys.find((k) => k.hint === `…${first.key.slice(-4)}`);
    expect(shared?.cooldownUntil).toBe(clock.now() + 30_000);
    expect(log.lines.some((l) => l.event === "upstream_key_cooling")).toBe(true);

    clock.advance(30_000);
    const seen = new Set([request(pool, scope), request(pool, scope), request(pool, scope)]);
    expect(seen.has(first.key)).toBe(true);
  });

  it("answers the wait until the soonest recovery when all keys cool", () => {
    const { pool } = setup();
    const scope = testScope();
    const waits = [40_000, 10_000, 25_000];
    for (const w of waits) {
      const c = pool.pick(new Set(), scope);
      if (!("key" in c)) throw new Error("no key");
      pool.begin(c.key);
      pool.end(c.key, { kind: "rate_limited", retryAfterMs: w }, scope);
    }
    expect(pool.pick(new Set(), scope)).toMatchObject({ waitMs: 10_000, refused: [{ state: "rate_limited" }, { state: "rate_limited" }, { state: "rate_limited" }] });
  });

  it("learns from other isolates through the store, and follows the operator re-enabling a key", async () => {
    const { pool, store, clock } = setup();
    const other = new IsolateKeyPool({ keys: KEYS, store, log: captureLog(), now: clock.now });
    const scope = testScope();
    other.begin(KEYS[0]!);
    other.end(KEYS[0]!, { kind: "auth", status: 401, message: "invalid x-api-key" }, scope);
    await scope.drain();

    clock.advance(5_000);
    request(pool, scope); // due: starts a sync
    await scope.drain();
    for (let i = 0; i < 6; i++) expect(request(pool, scope)).not.toBe(KEYS[0]);

    // The operator clears the flag in the shared store (KeyPoolDO.enable does this).
    expect(await store.enable(await hashSecret(KEYS[0]!))).toBe(true);
    clock.advance(5_000);
    request(pool, scope);
    await scope.drain();
    const seen = new Set([request(pool, scope), request(pool, scope), request(pool, scope)]);
    expect(seen.has(KEYS[0]!)).toBe(true);
  });

  it("re-enables a key for every isolate when the operator says so", async () => {
    const { pool, store, clock } = setup();
    const other = new IsolateKeyPool({ keys: KEYS, store, log: captureLog(), now: clock.now });
    const scope = testScope();
    pool.begin(KEYS[1]!);
    pool.end(KEYS[1]!, { kind: "auth", status: 401, message: "invalid x-api-key" }, scope);
    await scope.drain();
    clock.advance(5_000);
    request(other, scope); // the other isolate syncs and learns the key is out
    await scope.drain();
    for (let i = 0; i < 4; i++) expect(request(other, scope)).not.toBe(KEYS[1]);

    expect(await pool.enable("2222")).toBe(1);
    expect(await pool.enable("9999")).toBe(0);
    expect((await pool.status()).find((s) => s.key === "…2222")?.state).toBe("healthy");
    clock.advance(5_000);
    request(other, scope);
    await scope.drain();
    expect(new Set([request(other, scope), request(other, scope), request(other, scope)]).has(KEYS[1]!)).toBe(true);
  });

  it("keeps what it learned when the store is down, and reports it later", async () => {
    const { store, clock } = setup();
    store.hang = true;
    const pool2 = new IsolateKeyPool({ keys: KEYS, store, log: captureLog(), now: clock.now, storeTimeoutMs: 1 });
    const scope = testScope();
    pool2.begin(KEYS[1]!);
    pool2.end(KEYS[1]!, { kind: "auth", status: 403, message: "permission_error" }, scope);
    await scope.drain(); // the report times out
    expect((await store.inner.snapshot()).keys).toEqual([]);
    store.hang = false;
    clock.advance(10_000);
    request(pool2, scope);
    await scope.drain();
    const shared = (await store.inner.snapshot()).keys;
    expect(shared.find((k) => k.hint === "…2222")).toMatchObject({ disabledReason: "403: permission_error" });
  });

  it("balances in-flight counts and shows the operator why a key is out", async () => {
    const { pool, log } = setup();
    const scope = testScope();
    pool.begin(KEYS[2]!);
    pool.end(KEYS[2]!, { kind: "auth", status: 401, message: `invalid x-api-key ${KEYS[2]}` }, scope);
    pool.begin(KEYS[0]!);
    const status = await pool.status();
    expect(status.find((s) => s.key === "…3333")).toMatchObject({ state: "disabled", disabledReason: "401: invalid x-api-key …3333", inFlight: 0, requests: 1, failures: 1 });
    expect(status.find((s) => s.key === "…1111")).toMatchObject({ state: "healthy", inFlight: 1 });
    pool.end(KEYS[0]!, { kind: "cancelled" }, scope);
    expect((await pool.status()).every((s) => s.inFlight === 0)).toBe(true);
    const everything = JSON.stringify(await pool.status()) + log.text();
    for (const k of KEYS) expect(everything).not.toContain(k);
    expect(log.lines.find((l) => l.event === "upstream_key_disabled")?.fields).toMatchObject({ key: "…3333" });
  });
});
