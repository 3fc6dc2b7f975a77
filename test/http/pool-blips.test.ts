import { describe, expect, it } from "vitest";
import { postChat, startGateway, type Gateway } from "../helpers/gateway";

/**
 * The key pool must not turn an upstream blip into a local outage (docs/key-pool.md):
 * a key backing off after 529/5xx/network errors is tried half-open rather than refused;
 * the gateway refuses by itself only when every usable key is rate limited or disabled,
 * waits up to POOL_WAIT_MS for the soonest rate-limited key first, and then says that the
 * answer is its own and why. All through HTTP, against the simulator's fault injection.
 */

const KEYS = ["sk-ant-api03-pool-disabled-000000-d1d1", "sk-ant-api03-pool-limited-0000000-r2r2", "sk-ant-api03-pool-blipped-0000000-b3b3"] as const;
const [DISABLED, LIMITED, BLIPPED] = KEYS;
const MODEL = "claude-sonnet-4-5";
const chat = (n: number, extra: Record<string, unknown> = {}) => ({ model: MODEL, max_tokens: 32, messages: [{ role: "user", content: `conversation ${n}` }], ...extra });
const calls = (gw: Gateway) => gw.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/messages");

/** Three keys: one disabled (401), one cooling after a 429, the third just past a 529 and a mid-stream error. */
async function battered(env: Record<string, string> = {}): Promise<Gateway> {
  const gw = startGateway({ ANTHROPIC_API_KEYS: KEYS.join(","), ...env });
  gw.sim.fault(DISABLED, { status: 401, times: 1 });
  gw.sim.fault(LIMITED, { status: 429, retryAfterSeconds: 30, times: 1 });
  gw.sim.fault(BLIPPED, { status: 529, times: 1 });
  const first = await postChat(gw, chat(1));
  await first.text();
  expect(calls(gw).map((r) => r.apiKey).sort()).toEqual([...KEYS].sort());

  gw.sim.fault(BLIPPED, { kind: "error-mid-stream", afterEvents: 3, errorType: "overloaded_error", times: 1 });
  const second = await postChat(gw, chat(2, { stream: true }));
  expect(second.status).toBe(200);
  expect(await second.text()).toContain('"error"');
  await gw.settle();

  const keys = ((await (await gw.fetch("/status", { headers: gw.auth() })).json()) as { keys: { key: string; state: string }[] }).keys;
  expect(keys.map((k) => k.state)).toEqual(["disabled", "cooling", "cooling"]);
  return gw;
}

describe("a key backing off after failures is tried half-open", () => {
  it("answers the next request from the key just past a 529 and a mid-stream error, instead of a local 429", async () => {
    const gw = await battered();
    const before = calls(gw).length;
    const res = await postChat(gw, chat(3));
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(res.headers.get("x-claude2api-local")).toBeNull();
    expect(calls(gw).slice(before).map((r) => r.apiKey)).toEqual([BLIPPED]);
  });

  it("a successful half-open try ends the back-off: the key is healthy again", async () => {
    const gw = await battered();
    await (await postChat(gw, chat(3))).text();
    await gw.settle();
    const keys = ((await (await gw.fetch("/status", { headers: gw.auth() })).json()) as { keys: { key: string; state: string }[] }).keys;
    expect(keys.map((k) => k.state)).toEqual(["disabled", "cooling", "healthy"]);
  });
});

describe("when every usable key is rate limited", () => {
  it("waits for the soonest key when it recovers within POOL_WAIT_MS, instead of failing", async () => {
    const gw = startGateway({ ANTHROPIC_API_KEYS: `${LIMITED},${BLIPPED}`, POOL_WAIT_MS: "3000" });
    gw.sim.fault("*", { status: 429, retryAfterSeconds: 1, times: 2 });
    const first = await postChat(gw, chat(1));
    await first.text();
    expect(first.status).toBe(429); // the upstream's own answer, after both keys were tried
    expect(first.headers.get("x-claude2api-local")).toBeNull();

    const started = Date.now();
    const res = await postChat(gw, chat(2));
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(gw.logs.some((l) => l.event === "key_pool_wait")).toBe(true);
  });

  it("answers a 429 that says it is the gateway's own, which keys and why, when the wait would be longer", async () => {
    const gw = await battered({ POOL_WAIT_MS: "2000" });
    // The half-open key fails again: now it is tried, not refused, and its answer is the upstream's.
    gw.sim.fault(BLIPPED, { status: 429, retryAfterSeconds: 20, times: 1 });
    const upstreams = await postChat(gw, chat(3));
    await upstreams.text();
    expect(upstreams.status).toBe(429);
    expect(upstreams.headers.get("x-claude2api-local")).toBeNull();

    const before = calls(gw).length;
    const res = await postChat(gw, chat(4));
    const body = (await res.json()) as { error: { message: string; type: string; code: string; param: null } };
    expect(res.status).toBe(429);
    expect(calls(gw).length).toBe(before); // nothing was sent upstream
    expect(res.headers.get("x-claude2api-local")).toBe("key-pool");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(19);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(body.error).toMatchObject({ type: "rate_limit_error", code: "pool_exhausted", param: null });
    const msg = body.error.message;
    expect(msg).toMatch(/^No upstream request was made/);
    expect(msg).toMatch(/…d1d1 disabled \(401: invalid x-api-key\)/);
    expect(msg).toMatch(/…r2r2 rate limited for (2\d|30) s \(429 rate limited; resting for 30 s\)/);
    expect(msg).toMatch(/…b3b3 rate limited for (19|20) s/);
    expect(msg).toMatch(/usable again in (19|20) s/);
    for (const k of KEYS) expect(JSON.stringify(body)).not.toContain(k);
  });

  it("on /v1/messages the local refusal is Anthropic-shaped and says it is local", async () => {
    const gw = startGateway({ ANTHROPIC_API_KEYS: LIMITED, POOL_WAIT_MS: "0" });
    gw.sim.fault("*", { status: 429, retryAfterSeconds: 30, times: 1 });
    const body = JSON.stringify({ model: MODEL, max_tokens: 16, messages: [{ role: "user", content: "hi" }] });
    await (await gw.fetch("/v1/messages", { method: "POST", headers: gw.auth(), body })).text();
    const res = await gw.fetch("/v1/messages", { method: "POST", headers: gw.auth(), body });
    expect(res.status).toBe(429);
    expect(res.headers.get("x-claude2api-local")).toBe("key-pool");
    const json = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(json).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    expect(json.error.message).toMatch(/^No upstream request was made: .*…r2r2 rate limited/);
  });

  it("every key disabled is a local 503 naming each key's reason", async () => {
    const gw = startGateway({ ANTHROPIC_API_KEYS: DISABLED });
    gw.sim.fault(DISABLED, { status: 401, times: 1 });
    await (await postChat(gw, chat(1))).text();
    const res = await postChat(gw, chat(2));
    const body = (await res.json()) as { error: { message: string; code: string } };
    expect(res.status).toBe(503);
    expect(res.headers.get("x-claude2api-local")).toBe("key-pool");
    expect(body.error.code).toBe("no_usable_upstream_key");
    expect(body.error.message).toMatch(/…d1d1 disabled \(401: invalid x-api-key\)/);
    expect(body.error.message).toContain("ANTHROPIC_API_KEYS");
  });
});
