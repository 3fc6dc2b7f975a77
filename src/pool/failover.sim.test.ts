import { describe, expect, it, vi } from "vitest";
import { GatewayError } from "../errors";
import { ClaudeSimulator } from "../simulator";
import { tryKeysInTurn } from "./failover";
import { IsolateKeyPool } from "./isolate-pool";
import { CountingStore, captureLog, testScope } from "./test-support";

// The pool and failover against the simulator: an upstream that knows nothing of the gateway.
const KEYS = ["sk-ant-api03-sim-alpha-0000000000-aaaa", "sk-ant-api03-sim-bravo-0000000000-bbbb", "sk-ant-api03-sim-charlie-00000000-cccc"];
const [A, B, C] = KEYS as [string, string, string];
const GOOD = { model: "claude-sonnet-5-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] };

function gateway(keys = KEYS) {
  const sim = new ClaudeSimulator({ apiKeys: keys });
  const log = captureLog();
  const store = new CountingStore();
  const pool = new IsolateKeyPool({ keys, store, log });
  const send = (body: unknown = GOOD, signal?: AbortSignal) => {
    const scope = testScope(signal);
    const result = tryKeysInTurn({
      pool,
      scope,
      maxAttempts: 3,
      log,
      attempt: (key, s) =>
        sim.fetch(
          new Request("https://api.anthropic.com/v1/messages", {
            method: "POST",
            headers: { "x-api-key": key, "anthropic-version": "2023-06-01", "content-type": "application/json" },
            body: JSON.stringify(body),
            signal: s,
          }),
        ),
    });
    return { result, scope };
  };
  const keysSeen = (from = 0) => sim.received.slice(from).map((r) => r.apiKey);
  return { sim, log, pool, store, send, keysSeen };
}

describe("key pool against the simulator", () => {
  it("serves 50 requests while one key is rate limited, and later ones avoid it", async () => {
    const { sim, send, keysSeen } = gateway();
    sim.fault(B, { status: 429, retryAfterSeconds: 60 });
    for (let i = 0; i < 50; i++) {
      const { result, scope } = send();
      const { response } = await result;
      expect(response.status).toBe(200);
      await response.json();
      await scope.drain();
    }
    const seen = keysSeen();
    expect(seen.filter((k) => k === B)).toHaveLength(1); // hit once, then left alone while it cools
    expect(seen.indexOf(B)).toBeLessThan(3);
    expect(seen.filter((k) => k !== B)).toHaveLength(50);
  });

  it("takes a revoked key out of rotation and shows why on the status", async () => {
    const { sim, send, pool, keysSeen, log } = gateway();
    sim.fault(A, { status: 401 });
    for (let i = 0; i < 10; i++) {
      const { result, scope } = send();
      expect((await result).response.status).toBe(200);
      await scope.drain();
    }
    expect(keysSeen().filter((k) => k === A)).toHaveLength(1);
    const status = await pool.status();
    expect(status.find((s) => s.key === "…aaaa")).toMatchObject({ state: "disabled", disabledReason: "401: invalid x-api-key" });
    const everything = JSON.stringify(status) + log.text();
    for (const k of KEYS) expect(everything).not.toContain(k);
  });

  it("gives a truthful 429 with the soonest retry-after when every key cools", async () => {
    const { sim, send } = gateway();
    sim.fault(A, { status: 429, retryAfterSeconds: 50 });
    sim.fault(B, { status: 429, retryAfterSeconds: 20 });
    sim.fault(C, { status: 429, retryAfterSeconds: 35 });
    const first = await send().result;
    expect(first.response.status).toBe(429); // the last real answer
    // No key left to try: the gateway's own 429, which says so (src/pool/failover.ts).
    const err = (await send().result.catch((e: unknown) => e)) as GatewayError;
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.status).toBe(429);
    expect(err.code).toBe("pool_exhausted");
    const retryAfter = Number(err.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(19);
    expect(retryAfter).toBeLessThanOrEqual(20);
  });

  it("spreads concurrent requests across the healthy keys", async () => {
    const { sim, send, keysSeen } = gateway();
    sim.fault("*", { kind: "delay", ms: 20, times: 6 });
    const results = await Promise.all(Array.from({ length: 6 }, () => send().result));
    for (const r of results) expect(r.response.status).toBe(200);
    await Promise.all(results.map((r) => r.response.text()));
    const seen = keysSeen();
    for (const k of KEYS) expect(seen.filter((s) => s === k)).toHaveLength(2);
  });

  it("never retries the client's own bad request", async () => {
    const { send, keysSeen } = gateway();
    const { response } = await send({ model: "claude-sonnet-5-5", messages: [] }).result;
    expect(response.status).toBe(400);
    expect(keysSeen()).toHaveLength(1);
  });

  it("stops when the client goes away, without trying another key or blaming this one", async () => {
    const { sim, send, keysSeen, pool } = gateway();
    sim.fault("*", { kind: "delay", ms: 60_000, times: 1 });
    const client = new AbortController();
    const { result } = send(GOOD, client.signal);
    await vi.waitFor(() => expect(sim.received).toHaveLength(1));
    client.abort(new DOMException("client went away", "AbortError"));
    await expect(result).rejects.toThrow("client went away");
    expect(keysSeen()).toHaveLength(1);
    const status = await pool.status();
    expect(status.every((s) => s.state === "healthy" && s.failures === 0 && s.inFlight === 0)).toBe(true);
  });

  it("fails over when a key's connection drops", async () => {
    const { sim, send, keysSeen } = gateway();
    sim.fault(A, { kind: "network", times: 1 });
    const { response, key } = await send().result;
    expect(response.status).toBe(200);
    expect(key).not.toBe(A);
    expect(keysSeen()).toHaveLength(2);
  });

  it("makes no shared-store call on a healthy request's path once warm", async () => {
    const { send, store } = gateway();
    const warm = send();
    await (await warm.result).response.text();
    await warm.scope.drain();
    const before = store.calls;
    for (let i = 0; i < 20; i++) {
      const { result, scope } = send();
      await (await result).response.text();
      expect(scope.waited).toBe(0);
    }
    expect(store.calls).toBe(before);
  });
});
