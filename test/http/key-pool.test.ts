import { describe, expect, it } from "vitest";
import { CLIENT_KEY, postChat, readSse, startGateway, UPSTREAM_KEYS, type Gateway } from "../helpers/gateway";

/**
 * Issue 5 through the HTTP surface: the pool's rules are unit-tested in src/pool; this
 * proves the routes are wired to them (chat, /v1/messages, /status, mirror mode).
 */

const [ONE, TWO] = UPSTREAM_KEYS as [string, string];
const OWN_KEY = "sk-ant-client-own-key-9999";
const MODEL = "claude-sonnet-4-5";
const messagesCalls = (gw: Gateway) => gw.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/messages");
/** A distinct conversation each time, so that affinity spreads them over both keys. */
const chat = (n: number, extra: Record<string, unknown> = {}) => ({ model: MODEL, messages: [{ role: "user", content: `conversation ${n}` }], ...extra });

type KeyView = { key: string; state: string; disabledReason: string | null; cooldownUntil: string | null; lastError: string | null; requests: number };
const statusJson = async (gw: Gateway) => (await (await gw.fetch("/status", { headers: gw.auth() })).json()) as { keys: KeyView[] };
const noSecretIn = (text: string) => {
  for (const secret of [...UPSTREAM_KEYS, CLIENT_KEY, OWN_KEY]) expect(text).not.toContain(secret);
};

describe("in-flight accounting", () => {
  it("releases every key once answers, streams, failed streams and aborted streams have ended", async () => {
    const gw = startGateway();
    for (let n = 0; n < 6; n++) await (await postChat(gw, chat(n, { stream: n % 2 === 0 }))).text();
    gw.sim.fault("*", { kind: "error-mid-stream", afterEvents: 3, times: 1 });
    await (await postChat(gw, chat(7, { stream: true }))).text();
    const aborted = await postChat(gw, chat(8, { stream: true }));
    await aborted.body!.cancel();
    await gw.settle();
    const keys = (await statusJson(gw)).keys as Array<KeyView & { inFlight: number }>;
    expect(keys.map((k) => k.inFlight)).toEqual([0, 0]);
    expect(keys.reduce((n, k) => n + k.requests, 0)).toBeGreaterThanOrEqual(7);
  });
});

describe("failover in the chat route", () => {
  it("serves 50 requests while one key is rate limited, and later ones avoid the cooling key", async () => {
    const gw = startGateway();
    gw.sim.fault(TWO, { status: 429, retryAfterSeconds: 60 });
    for (let n = 0; n < 50; n++) {
      const res = await postChat(gw, chat(n, { stream: n % 5 === 0 }));
      expect(res.status, `request ${n}`).toBe(200);
      await res.text();
    }
    await gw.settle();
    const keys = messagesCalls(gw).map((r) => r.apiKey);
    expect(keys.filter((k) => k === TWO)).toHaveLength(1);
    expect(keys.filter((k) => k === ONE)).toHaveLength(50);
    const two = (await statusJson(gw)).keys.find((k) => k.key.endsWith("2222"))!;
    expect(two.state).toBe("cooling");
    expect(two.lastError).toMatch(/429/);
  });

  it("takes a 401 key out of rotation, shows why on /status (JSON and HTML) without key material, and lets the operator re-enable it", async () => {
    const gw = startGateway();
    gw.sim.fault(ONE, { status: 401, times: 1 });
    for (let n = 0; n < 10; n++) expect((await postChat(gw, chat(n))).status).toBe(200);
    expect(messagesCalls(gw).filter((r) => r.apiKey === ONE)).toHaveLength(1);

    const jsonRes = await gw.fetch("/status", { headers: gw.auth() });
    const jsonText = await jsonRes.text();
    const one = (JSON.parse(jsonText) as { keys: KeyView[] }).keys.find((k) => k.key === "…1111")!;
    expect(one.state).toBe("disabled");
    expect(one.disabledReason).toMatch(/401/);
    const html = await (await gw.fetch("/status", { headers: gw.auth({ accept: "text/html" }) })).text();
    expect(html).toContain("<table");
    expect(html).toMatch(/…1111[\s\S]*disabled[\s\S]*401/);
    expect((await gw.fetch("/status")).status).toBe(401);
    noSecretIn(jsonText + html + JSON.stringify(gw.logs));

    const enable = await gw.fetch("/status/keys/1111/enable", { method: "POST", headers: gw.auth() });
    expect(enable.status).toBe(200);
    const before = messagesCalls(gw).length;
    for (let n = 100; n < 110; n++) expect((await postChat(gw, chat(n))).status).toBe(200);
    expect(messagesCalls(gw).slice(before).some((r) => r.apiKey === ONE)).toBe(true);
  });

  it("answers a truthful 429 with retry-after when every key is cooling, without calling the upstream again", async () => {
    const gw = startGateway();
    gw.sim.fault("*", { status: 429, retryAfterSeconds: 30 });
    const first = await postChat(gw, chat(1));
    expect(first.status).toBe(429);
    expect(Number(first.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(messagesCalls(gw)).toHaveLength(2);

    const second = await postChat(gw, chat(2));
    expect(second.status).toBe(429);
    const retryAfter = Number(second.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(25);
    expect(retryAfter).toBeLessThanOrEqual(30);
    const err = ((await second.json()) as { error: { type: string; message: string; code: string } }).error;
    expect(err.type).toBe("rate_limit_error");
    expect(err.code).toBe("pool_exhausted");
    expect(err.message).toMatch(/^No upstream request was made/);
    expect(second.headers.get("x-claude2api-local")).toBe("key-pool");
    expect(messagesCalls(gw)).toHaveLength(2);
  });

  it("spreads concurrent conversations across the healthy keys", async () => {
    const gw = startGateway();
    const all = await Promise.all(Array.from({ length: 20 }, (_, n) => postChat(gw, chat(n, { stream: true }))));
    for (const res of all) expect(res.status).toBe(200);
    await Promise.all(all.map((r) => r.text()));
    const perKey = UPSTREAM_KEYS.map((k) => messagesCalls(gw).filter((r) => r.apiKey === k).length);
    expect(Math.min(...perKey)).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ["an error event", { kind: "error-mid-stream" as const, afterEvents: 4 }],
    ["a dropped connection", { kind: "drop-mid-stream" as const, afterEvents: 4 }],
  ])("reports %s after the first streamed byte inside the stream, and does not retry", async (_, fault) => {
    const gw = startGateway();
    gw.sim.fault("*", { ...fault, times: 1 });
    const res = await postChat(gw, chat(1, { stream: true }));
    expect(res.status).toBe(200);
    const { events } = await readSse(res);
    const err = events.find((e) => typeof e === "object" && e !== null && "error" in e);
    expect(err).toBeDefined();
    expect(messagesCalls(gw)).toHaveLength(1);
  });
});

describe("POST /v1/messages passthrough", () => {
  const anthropicHeaders = (gw: Gateway) => gw.auth({ "anthropic-version": "2023-06-01" });
  const body = (extra: Record<string, unknown> = {}) => JSON.stringify({ model: MODEL, max_tokens: 100, messages: [{ role: "user", content: "hello passthrough" }], ...extra });

  /** Records the upstream's bytes as they left the simulator; the result reads them all. */
  function tap(gw: Gateway): () => Promise<string[]> {
    const seen: Promise<string>[] = [];
    const original = gw.deps.upstream;
    gw.deps.upstream = async (url, init) => {
      const res = await original(url, init);
      seen.push((res as Response).clone().text());
      return res;
    };
    return () => Promise.all(seen);
  }

  it.each([false, true])("passes the upstream's answer through byte for byte (stream: %s)", async (stream) => {
    const gw = startGateway();
    const upstreamTexts = tap(gw);
    const res = await gw.fetch("/v1/messages", { method: "POST", headers: anthropicHeaders(gw), body: body({ stream }) });
    expect(res.status).toBe(200);
    const text = await res.text();
    const [upstream] = await upstreamTexts();
    expect(text).toBe(upstream);
    expect(res.headers.get("content-type")).toContain(stream ? "text/event-stream" : "application/json");
    if (stream) expect(text).toMatch(/^event: message_start/m);
    expect(messagesCalls(gw)[0]!.body).toEqual(JSON.parse(body({ stream })));
  });

  it("passes count_tokens through", async () => {
    const gw = startGateway();
    const res = await gw.fetch("/v1/messages/count_tokens", { method: "POST", headers: anthropicHeaders(gw), body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "count me" }] }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
    expect(gw.sim.received.at(-1)!.path).toBe("/v1/messages/count_tokens");
    expect(UPSTREAM_KEYS).toContain(gw.sim.received.at(-1)!.apiKey);
  });

  it("uses the pool: fails over from an overloaded key and reports the pool's own 429 in Anthropic's shape", async () => {
    const gw = startGateway();
    gw.sim.fault("*", { status: 529, times: 1 });
    const ok = await gw.fetch("/v1/messages", { method: "POST", headers: anthropicHeaders(gw), body: body() });
    expect(ok.status).toBe(200);
    expect(new Set(messagesCalls(gw).map((r) => r.apiKey))).toEqual(new Set(UPSTREAM_KEYS));

    gw.sim.fault("*", { status: 429, retryAfterSeconds: 20 });
    await (await gw.fetch("/v1/messages", { method: "POST", headers: anthropicHeaders(gw), body: body() })).text();
    const cooling = await gw.fetch("/v1/messages", { method: "POST", headers: anthropicHeaders(gw), body: body() });
    expect(cooling.status).toBe(429);
    expect(Number(cooling.headers.get("retry-after"))).toBeGreaterThan(0);
    const err = (await cooling.json()) as { type: string; error: { type: string } };
    expect(err).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
  });
});

describe("mirror mode (PASSTHROUGH_KEYS)", () => {
  it("is off by default: an Anthropic key is not a client key", async () => {
    const gw = startGateway();
    const res = await gw.fetch("/v1/chat/completions", { method: "POST", headers: { "x-api-key": OWN_KEY, "content-type": "application/json" }, body: JSON.stringify(chat(1)) });
    expect(res.status).toBe(401);
    expect(messagesCalls(gw)).toHaveLength(0);
  });

  it.each([
    ["x-api-key", { "x-api-key": OWN_KEY }],
    ["Authorization: Bearer", { authorization: `Bearer ${OWN_KEY}` }],
  ])("when on, a client's own sk-ant key (%s) is used upstream directly, outside the pool", async (_, headers) => {
    const gw = startGateway({ PASSTHROUGH_KEYS: "true" });
    const res = await gw.fetch("/v1/chat/completions", { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(chat(1)) });
    expect(res.status, await (res as Response).clone().text()).toBe(200);
    const msg = await gw.fetch("/v1/messages", { method: "POST", headers: { ...headers, "content-type": "application/json", "anthropic-version": "2023-06-01" }, body: JSON.stringify({ model: MODEL, max_tokens: 50, messages: [{ role: "user", content: "hi" }] }) });
    expect(msg.status).toBe(200);
    expect(messagesCalls(gw).map((r) => r.apiKey)).toEqual([OWN_KEY, OWN_KEY]);
    await gw.settle();
    expect((await statusJson(gw)).keys.every((k) => k.requests === 0)).toBe(true);
  });

  it("when on, the gateway's own client key still uses the pool", async () => {
    const gw = startGateway({ PASSTHROUGH_KEYS: "true" });
    expect((await postChat(gw, chat(1))).status).toBe(200);
    expect(UPSTREAM_KEYS).toContain(messagesCalls(gw)[0]!.apiKey);
  });

  it("when on, a client key that merely looks like an Anthropic key still uses the pool", async () => {
    const gatewayKey = "sk-ant-gateway-client-key-0000";
    const gw = startGateway({ PASSTHROUGH_KEYS: "true", APIKEY: gatewayKey });
    const res = await gw.fetch("/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${gatewayKey}`, "content-type": "application/json" }, body: JSON.stringify(chat(1)) });
    expect(res.status, await (res as Response).clone().text()).toBe(200);
    expect(UPSTREAM_KEYS).toContain(messagesCalls(gw)[0]!.apiKey);
  });
});
