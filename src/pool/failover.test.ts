import { describe, expect, it } from "vitest";
import type { KeyOutcome, KeyPool, KeyStatus } from "../deps";
import { tryKeysInTurn } from "./failover";
import { GatewayError } from "../errors";
import { IsolateKeyPool } from "./isolate-pool";
import { singleKeyPool } from "./passthrough";
import { MemoryKeyStateStore } from "./store";
import { captureLog, manualClock, testScope } from "./test-support";

const K1 = "sk-ant-api03-first-key-000000000-1111";
const K2 = "sk-ant-api03-second-key-00000000-2222";
const K3 = "sk-ant-api03-third-key-000000000-3333";

const ok = (text = "hello") => new Response(text, { status: 200, headers: { "content-type": "application/json" } });
const err = (status: number, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: "error", error: { type: "x", message } }), { status, headers: { "content-type": "application/json", ...headers } });

/** A pool that records every call and delegates to a real IsolateKeyPool. */
function recordingPool(keys: string[]) {
  const clock = manualClock();
  const log = captureLog();
  const inner = new IsolateKeyPool({ keys, store: new MemoryKeyStateStore(clock.now), log, now: clock.now });
  const begun: string[] = [];
  const ended: [string, KeyOutcome][] = [];
  const pool: KeyPool & { begun: string[]; ended: [string, KeyOutcome][]; inner: IsolateKeyPool } = {
    begun,
    ended,
    inner,
    pick: (ex, scope) => inner.pick(ex, scope),
    begin: (k) => {
      begun.push(k);
      inner.begin(k);
    },
    end: (k, o, s) => {
      ended.push([k, o]);
      inner.end(k, o, s);
    },
    status: (): Promise<KeyStatus[]> => inner.status(),
  };
  return { pool, clock, log };
}

/** Each key answers from its own script; an Error entry rejects like a failed fetch. */
function upstream(script: Record<string, (Response | Error | (() => Response | Error))[]>) {
  const calls: string[] = [];
  const attempt = async (key: string) => {
    calls.push(key);
    const next = script[key]?.shift();
    const r = typeof next === "function" ? next() : next;
    if (!r) return ok();
    if (r instanceof Error) throw r;
    return r;
  };
  return { attempt, calls };
}

describe("tryKeysInTurn", () => {
  it("moves past a rate-limited key, discards its body, and cools it for its retry-after", async () => {
    const { pool } = recordingPool([K1, K2]);
    const limited = err(429, "rate limited", { "retry-after": "20" });
    const { attempt, calls } = upstream({ [K1]: [limited], [K2]: [ok("from k2")] });
    const scope = testScope();
    const { response, key } = await tryKeysInTurn({ pool, scope, maxAttempts: 3, log: captureLog(), attempt });
    expect(calls).toEqual([K1, K2]);
    expect(key).toBe(K2);
    expect(await response.text()).toBe("from k2");
    expect(limited.bodyUsed || limited.body?.locked).toBeTruthy(); // cancelled, not left hanging
    expect(pool.inner.pick(new Set())).toEqual({ key: K2 }); // K1 is cooling
  });

  it("returns the client's own errors as they are, without trying another key", async () => {
    for (const status of [400, 404, 413, 422]) {
      const { pool } = recordingPool([K1, K2]);
      const { attempt, calls } = upstream({ [K1]: [err(status, "bad request")], [K2]: [err(status, "bad request")] });
      const { response } = await tryKeysInTurn({ pool, scope: testScope(), maxAttempts: 3, log: captureLog(), attempt });
      expect(response.status).toBe(status);
      expect(calls).toHaveLength(1);
      expect(pool.ended).toEqual([[calls[0], { kind: "ok" }]]);
    }
  });

  it("disables a refused key with the upstream's reason and answers from the next", async () => {
    const { pool, log } = recordingPool([K1, K2]);
    const { attempt } = upstream({ [K1]: [err(401, "invalid x-api-key")] });
    const { response, key } = await tryKeysInTurn({ pool, scope: testScope(), maxAttempts: 3, log, attempt });
    expect(response.status).toBe(200);
    expect(key).toBe(K2);
    const k1 = (await pool.status()).find((s) => s.key === "…1111");
    expect(k1).toMatchObject({ state: "disabled", disabledReason: "401: invalid x-api-key" });
  });

  it("returns the last upstream answer when attempts run out", async () => {
    const { pool } = recordingPool([K1, K2, K3]);
    const { attempt, calls } = upstream({ [K1]: [err(529, "Overloaded")], [K2]: [err(503, "unavailable")], [K3]: [ok()] });
    const { response, key } = await tryKeysInTurn({ pool, scope: testScope(), maxAttempts: 2, log: captureLog(), attempt });
    expect(calls).toEqual([K1, K2]);
    expect(response.status).toBe(503);
    expect(key).toBe(K2);
    expect(await response.json()).toMatchObject({ error: { message: "unavailable" } });
  });

  it("tries each key at most once per request", async () => {
    const { pool } = recordingPool([K1, K2]);
    const { attempt, calls } = upstream({ [K1]: [err(500, "boom")], [K2]: [err(500, "boom")] });
    const { response } = await tryKeysInTurn({ pool, scope: testScope(), maxAttempts: 5, log: captureLog(), attempt });
    expect(calls).toEqual([K1, K2]);
    expect(response.status).toBe(500);
  });

  it("fails over on network errors and rethrows one on the last attempt", async () => {
    const first = recordingPool([K1, K2]);
    const a = upstream({ [K1]: [new Error("connection reset")], [K2]: [ok()] });
    expect((await tryKeysInTurn({ pool: first.pool, scope: testScope(), maxAttempts: 3, log: captureLog(), attempt: a.attempt })).key).toBe(K2);

    const second = recordingPool([K1, K2]);
    const b = upstream({ [K1]: [err(529, "Overloaded")], [K2]: [new Error("connection reset")] });
    await expect(tryKeysInTurn({ pool: second.pool, scope: testScope(), maxAttempts: 3, log: captureLog(), attempt: b.attempt })).rejects.toThrow("connection reset");
  });

  it("answers a truthful 429 with the soonest retry-after when every key cools", async () => {
    const { pool } = recordingPool([K1, K2]);
    const scope = testScope();
    pool.begin(K1);
    pool.end(K1, { kind: "rate_limited", retryAfterMs: 45_000 }, scope);
    pool.begin(K2);
    pool.end(K2, { kind: "rate_limited", retryAfterMs: 12_500 }, scope);
    const { attempt, calls } = upstream({});
    const err = await tryKeysInTurn({ pool, scope, maxAttempts: 3, log: captureLog(), attempt }).catch((e: unknown) => e);
    expect(calls).toEqual([]);
    expect(err).toBeInstanceOf(GatewayError);
    const e = err as GatewayError;
    expect(e.status).toBe(429);
    expect(e.code).toBe("pool_exhausted");
    expect(e.headers["retry-after"]).toBe("13");
    expect(e.headers["x-claude2api-local"]).toBe("key-pool");
    expect(e.message).toMatch(/^No upstream request was made/);
    expect(e.message).toContain(`${K1.slice(-4)} rate limited for 45 s`);
    expect(e.message).toContain(`${K2.slice(-4)} rate limited for 13 s`);
  });

  it("tells the operator, without key material, when every key was refused", async () => {
    const { pool } = recordingPool([K1, K2]);
    const log = captureLog();
    const { attempt } = upstream({ [K1]: [err(401, "invalid x-api-key")], [K2]: [err(403, "forbidden")] });
    const firstTry = await tryKeysInTurn({ pool, scope: testScope(), maxAttempts: 3, log, attempt });
    expect(firstTry.response.status).toBe(403); // the last real answer

    const refusal = await tryKeysInTurn({ pool, scope: testScope(), maxAttempts: 3, log, attempt }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(GatewayError);
    const e = refusal as GatewayError;
    expect(e.status).toBe(503);
    expect(e).toMatchObject({ type: "api_error", code: "no_usable_upstream_key" });
    expect(e.headers["x-claude2api-local"]).toBe("key-pool");
    const body = e.message;
    expect(body).toContain("ANTHROPIC_API_KEYS");
    expect(body).toContain("disabled (401: invalid x-api-key)");
    for (const k of [K1, K2]) {
      expect(body).not.toContain(k);
      expect(log.text()).not.toContain(k);
    }
  });

  it("stops at once when the gateway refuses the request while preparing it, without counting it against the key", async () => {
    const { pool } = recordingPool([K1, K2]);
    const a = upstream({ [K1]: [new GatewayError(400, "messages.0.content.0.source.data: malformed base64")] });
    await expect(tryKeysInTurn({ pool, scope: testScope(), maxAttempts: 3, log: captureLog(), attempt: a.attempt })).rejects.toThrow("malformed base64");
    expect(a.calls).toEqual([K1]);
    expect(pool.ended).toEqual([[K1, { kind: "cancelled" }]]);
    expect((await pool.status()).find((s) => s.key === "…1111")).toMatchObject({ state: "healthy", failures: 0, inFlight: 0 });
  });

  it("stops at once when the client goes away, without counting it against the key", async () => {
    const { pool } = recordingPool([K1, K2]);
    const client = new AbortController();
    const calls: string[] = [];
    const attempt = (key: string, signal: AbortSignal) => {
      calls.push(key);
      return new Promise<Response>((_, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason));
        client.abort(new DOMException("client left", "AbortError"));
      });
    };
    await expect(tryKeysInTurn({ pool, scope: testScope(client.signal), maxAttempts: 3, log: captureLog(), attempt })).rejects.toThrow("client left");
    expect(calls).toEqual([K1]);
    expect(pool.ended).toEqual([[K1, { kind: "cancelled" }]]);
    expect((await pool.status()).find((s) => s.key === "…1111")).toMatchObject({ state: "healthy", failures: 0, inFlight: 0 });
  });

  it("keeps a streamed response in flight until its body ends, then records it", async () => {
    const { pool } = recordingPool([K1]);
    const { attempt } = upstream({ [K1]: [ok("streamed body")] });
    const { response } = await tryKeysInTurn({ pool, scope: testScope(), maxAttempts: 3, log: captureLog(), attempt });
    expect(pool.ended).toEqual([]);
    expect((await pool.status())[0]?.inFlight).toBe(1);
    expect(await response.text()).toBe("streamed body");
    expect(pool.ended).toEqual([[K1, { kind: "ok" }]]);
    expect((await pool.status())[0]?.inFlight).toBe(0);
  });

  it("lets the caller report a failure found inside the stream, and counts only the first outcome", async () => {
    const { pool } = recordingPool([K1]);
    const { attempt } = upstream({ [K1]: [ok('event: error\ndata: {"type":"error","error":{"type":"overloaded_error"}}\n\n')] });
    const { response, settle } = await tryKeysInTurn({ pool, scope: testScope(), maxAttempts: 3, log: captureLog(), attempt });
    settle({ kind: "overloaded" });
    await response.text(); // the body's end would say "ok": too late
    settle({ kind: "network", message: "again" });
    expect(pool.ended).toEqual([[K1, { kind: "overloaded" }]]);
  });

  it("frees the slot when the client cancels the stream", async () => {
    const { pool } = recordingPool([K1]);
    const { attempt } = upstream({ [K1]: [ok("never read")] });
    const { response } = await tryKeysInTurn({ pool, scope: testScope(), maxAttempts: 3, log: captureLog(), attempt });
    await response.body?.cancel();
    expect(pool.ended).toEqual([[K1, { kind: "cancelled" }]]);
  });

  it("balances begin and end even when the gateway itself fails mid-attempt", async () => {
    const { pool } = recordingPool([K1]);
    const bad = new Response(new ReadableStream({ pull: (c) => c.error(new Error("body broke")) }), { status: 401 });
    await expect(tryKeysInTurn({ pool, scope: testScope(), maxAttempts: 3, log: captureLog(), attempt: async () => bad })).rejects.toThrow("body broke");
    expect(pool.begun).toHaveLength(1);
    expect(pool.ended).toHaveLength(1);
  });

  it("with a passthrough key, returns the client's own errors truthfully", async () => {
    const { attempt, calls } = upstream({ [K3]: [err(429, "your limit", { "retry-after": "9" })] });
    const { response, key } = await tryKeysInTurn({ pool: singleKeyPool(K3), scope: testScope(), maxAttempts: 3, log: captureLog(), attempt });
    expect(calls).toEqual([K3]);
    expect(key).toBe(K3);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("9");
  });

  it("logs failovers by last four characters only", async () => {
    const { pool } = recordingPool([K1, K2, K3]);
    const log = captureLog();
    const { attempt } = upstream({ [K1]: [new Error(`socket closed for ${K1}`)], [K2]: [err(401, `key ${K2} revoked`)] });
    await tryKeysInTurn({ pool, scope: testScope(), maxAttempts: 3, log, attempt });
    expect(log.lines.filter((l) => l.event === "upstream_failover").map((l) => l.fields?.key)).toEqual(["…1111", "…2222"]);
    const everything = log.text() + JSON.stringify(await pool.status());
    for (const k of [K1, K2, K3]) expect(everything).not.toContain(k);
  });
});
