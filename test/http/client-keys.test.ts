/**
 * Managed client keys, usage and limits through the HTTP surface, with the real openai
 * SDK against the simulator (whose usage figures are exact, so tokens and costs are
 * asserted to the token and the picodollar). Issue 11.
 */
import { env } from "cloudflare:test";
import OpenAI, { toFile } from "openai";
import { describe, expect, it } from "vitest";
import { DurableClientKeyStore, type ClientKeysDO } from "../../src/tenancy/client-keys-do";
import { ADMIN_KEY, CLIENT_KEY, startGateway, sseEvents } from "../helpers/gateway";
import { fakePdfBase64 } from "../../src/uploads/test-support";
import { NEWER } from "../helpers/chat-calls";

const MODEL = "claude-sonnet-4-5";
// Sonnet 4.5, $ per MTok: 3 in, 15 out, 0.30 cache read, 3.75 5m write, 6 1h write.
const SONNET = { input: 3, output: 15, read: 0.3, w5: 3.75, w1h: 6 };

type Usage = { input_tokens?: number; output_tokens?: number; cache_read_input_tokens?: number; cache_creation_input_tokens?: number; cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number } };
/** Cost in picodollars, computed here independently of the gateway's table. */
const costPico = (u: Usage, p = SONNET) => {
  const w1h = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const w5 = (u.cache_creation_input_tokens ?? 0) - w1h;
  return Math.round(((u.input_tokens ?? 0) * p.input + (u.output_tokens ?? 0) * p.output + (u.cache_read_input_tokens ?? 0) * p.read + w5 * p.w5 + w1h * p.w1h) * 1e6);
};

function gateway(extraEnv: Record<string, string> = {}) {
  const store = new DurableClientKeyStore((env as unknown as { CLIENT_KEYS: DurableObjectNamespace<ClientKeysDO> }).CLIENT_KEYS, `http-${crypto.randomUUID()}`);
  const gw = startGateway(extraEnv, {}, { clientKeys: store });
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) => gw.fetch(input instanceof Request ? input : String(input), init)) as typeof globalThis.fetch;
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await gw.fetch(path, { method, headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (res.headers.get("content-type") ?? "").includes("json") ? ((await res.json()) as any) : await res.text(), headers: res.headers };
  };
  const createKey = async (body: Record<string, unknown> = {}) => {
    const r = await admin("POST", "/admin/keys", { name: "team", ...body });
    expect(r.status).toBe(201);
    return r.body as { id: string; key: string; name: string };
  };
  const openai = (apiKey: string) => new OpenAI({ apiKey, baseURL: "http://gateway.test/v1", fetch, maxRetries: 0 });
  const usage = async (query = "") => {
    await gw.settle();
    return (await admin("GET", `/admin/usage${query}`)).body as { data: any[]; total: any };
  };
  const upstreamCalls = () => gw.sim.received.filter((r) => r.path === "/v1/messages").length;
  return { gw, fetch, admin, createKey, openai, usage, upstreamCalls };
}

describe("the admin API", () => {
  it("answers 503 naming ADMIN_KEY when it is not set", async () => {
    const gw = startGateway({ ADMIN_KEY: "" });
    for (const path of ["/admin/keys", "/admin/usage", "/status"]) {
      const res = await gw.fetch(path, { headers: { authorization: "Bearer anything-at-all-here" } });
      expect(res.status).toBe(503);
      expect(((await res.json()) as any).error.message).toContain("ADMIN_KEY");
    }
  });

  it("gives a wrong admin key exactly the answer of a missing one, and never opens for a client key", async () => {
    const { gw } = gateway();
    const answer = async (headers: Record<string, string>) => {
      const res = await gw.fetch("/admin/keys", { headers });
      return { status: res.status, body: await res.text(), auth: res.headers.get("www-authenticate") };
    };
    const missing = await answer({});
    expect(missing.status).toBe(401);
    expect(await answer({ authorization: "Bearer wrong-admin-key-0123456789" })).toEqual(missing);
    expect(await answer({ authorization: `Bearer ${CLIENT_KEY}` })).toEqual(missing);
    expect(await answer({ authorization: `Bearer ${ADMIN_KEY}x` })).toEqual(missing);
    // …and the admin key is not a client key.
    const chat = await gw.fetch("/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" }, body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }] }) });
    expect(chat.status).toBe(401);
  });

  it("serves a gateway with managed keys only (no APIKEY)", async () => {
    const { gw, createKey, openai } = gateway({ APIKEY: "" });
    const k = await createKey({ name: "only managed" });
    expect((await openai(k.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }] })).choices).toHaveLength(1);
    const anonymous = await gw.fetch("/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }] }) });
    expect(anonymous.status).toBe(401);
    // Neither APIKEY nor ADMIN_KEY: still the 503 that tells the operator what to set.
    const bare = startGateway({ APIKEY: "", ADMIN_KEY: "" });
    const refused = await bare.fetch("/v1/chat/completions", { method: "POST", headers: bare.auth(), body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }] }) });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as any).error.message).toContain("APIKEY");
  });

  it("creates a key shown once, lists keys without material, patches and revokes", async () => {
    const { admin, createKey, openai } = gateway();
    const k = await createKey({ name: "alice", budget_usd: 5, rpm: 100, models: ["claude-sonnet-*"] });
    expect(k.key).toMatch(/^sk-c2a-[A-Za-z0-9_-]{43}$/);
    const list = await admin("GET", "/admin/keys");
    expect(list.body.data.map((x: any) => [x.kind, x.name])).toEqual([["static", `static …${CLIENT_KEY.slice(-4)}`], ["managed", "alice"]]);
    expect(JSON.stringify(list.body)).not.toContain(k.key);
    expect((await admin("GET", `/admin/keys/${k.id}`)).body).toMatchObject({ id: k.id, last4: k.key.slice(-4), budget_usd: 5, rpm: 100 });

    await openai(k.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }] });
    expect((await admin("PATCH", `/admin/keys/${k.id}`, { disabled: true })).body.disabled).toBe(true);
    await expect(openai(k.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ status: 401, code: "key_disabled" });
    await admin("PATCH", `/admin/keys/${k.id}`, { disabled: false });
    await openai(k.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }] });
    expect((await admin("DELETE", `/admin/keys/${k.id}`)).body).toEqual({ id: k.id, object: "client_key", deleted: true });
    await expect(openai(k.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ status: 401 });
    expect((await admin("GET", `/admin/keys/${k.id}`)).status).toBe(404);
    expect((await admin("POST", "/admin/keys", { name: "x", colour: "red" })).body.error).toMatchObject({ param: "colour" });
  });
});

describe("usage", () => {
  it("records a non-stream chat to the token and the picodollar", async () => {
    const { createKey, openai, usage } = gateway();
    const k = await createKey({ name: "alice" });
    const res = await openai(k.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Count my tokens please" }] });
    const u = await usage(`?key=${k.id}`);
    expect(u.data).toHaveLength(1);
    const row = u.data[0];
    const cached = res.usage!.prompt_tokens_details?.cached_tokens ?? 0;
    const written = (res.usage!.prompt_tokens_details as { cache_write_tokens?: number }).cache_write_tokens ?? 0;
    expect(row).toMatchObject({ key_id: k.id, key_name: "alice", model: MODEL, requests: 1, input_tokens: res.usage!.prompt_tokens - cached - written, output_tokens: res.usage!.completion_tokens, cache_read_tokens: cached, cache_write_tokens: written, estimated: false });
    const expected = costPico({ input_tokens: row.input_tokens, output_tokens: row.output_tokens, cache_read_input_tokens: cached, cache_creation_input_tokens: written });
    expect(Math.round(row.cost_usd * 1e12)).toBe(expected);
    expect(row.cost_usd.toFixed(2)).toBe((expected / 1e12).toFixed(2));
  });

  it("records a streamed chat once, with the usage the client saw", async () => {
    const { createKey, openai, usage } = gateway();
    const k = await createKey();
    const stream = await openai(k.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Stream and count" }], stream: true, stream_options: { include_usage: true } });
    let seen: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) if (chunk.usage) seen = chunk.usage;
    const [row] = (await usage(`?key=${k.id}`)).data;
    expect(row).toMatchObject({ requests: 1, output_tokens: seen!.completion_tokens, estimated: false });
    expect(row.input_tokens + row.cache_read_tokens + row.cache_write_tokens).toBe(seen!.prompt_tokens);
  });

  it("prices cache reads and 5m/1h cache writes separately", async () => {
    const { gw, createKey, openai, usage } = gateway();
    const k = await createKey();
    const long = "A long, stable system prompt that is worth caching. ".repeat(200);
    const ask = () => openai(k.key).chat.completions.create({ model: MODEL, messages: [{ role: "system", content: long }, { role: "user", content: "Question" }] });
    await ask();
    await ask();
    const sent = gw.sim.received.filter((r) => r.path === "/v1/messages");
    expect(sent).toHaveLength(2);
    const [row] = (await usage(`?key=${k.id}`)).data;
    expect(row.cache_write_tokens).toBeGreaterThan(0);
    expect(row.cache_read_tokens).toBeGreaterThan(0);
    expect(Math.round(row.cost_usd * 1e12)).toBe(costPico({ input_tokens: row.input_tokens, output_tokens: row.output_tokens, cache_read_input_tokens: row.cache_read_tokens, cache_creation_input_tokens: row.cache_write_tokens }));
  });

  it("prices Claude's web searches at $10 per 1,000 on top of the tokens", async () => {
    const { createKey, openai, usage } = gateway();
    const k = await createKey();
    const res = await openai(k.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Who won the 2026 final?" }], web_search_options: { search_context_size: "low" } });
    const searches = (res.usage as unknown as { server_tool_use: { web_search_requests: number } }).server_tool_use.web_search_requests;
    expect(searches).toBeGreaterThan(0);
    const [row] = (await usage(`?key=${k.id}`)).data;
    const tokens = costPico({ input_tokens: row.input_tokens, output_tokens: row.output_tokens, cache_read_input_tokens: row.cache_read_tokens, cache_creation_input_tokens: row.cache_write_tokens });
    expect(Math.round(row.cost_usd * 1e12)).toBe(tokens + searches * 10_000_000_000);
  });

  it("records /v1/responses and /v1/messages, and count_tokens costs nothing", async () => {
    const { gw, createKey, openai, usage } = gateway();
    const k = await createKey();
    const r = await openai(k.key).responses.create({ model: MODEL, input: "Hello Responses", max_output_tokens: 200 });
    const headers = { authorization: `Bearer ${k.key}`, "content-type": "application/json", "anthropic-version": "2023-06-01" };
    const msg = (await (await gw.fetch("/v1/messages", { method: "POST", headers, body: JSON.stringify({ model: MODEL, max_tokens: 100, messages: [{ role: "user", content: "Hello Messages" }] }) })).json()) as any;
    const streamed = await (await gw.fetch("/v1/messages", { method: "POST", headers, body: JSON.stringify({ model: MODEL, max_tokens: 100, stream: true, messages: [{ role: "user", content: "Hello stream" }] }) })).text();
    const finalOut = JSON.parse(streamed.split("\n").filter((l) => l.startsWith("data:") && l.includes("message_delta")).at(-1)!.slice(5)).usage.output_tokens;
    const count = await gw.fetch("/v1/messages/count_tokens", { method: "POST", headers, body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "free" }] }) });
    expect(count.status).toBe(200);
    const [row] = (await usage(`?key=${k.id}&group_by=key`)).data;
    expect(row.requests).toBe(3);
    expect(row.output_tokens).toBe(r.usage!.output_tokens + msg.usage.output_tokens + finalOut);
  });

  it("counts a stream the client aborted, and one that failed midway, once each", async () => {
    const { gw, createKey, usage } = gateway();
    const k = await createKey();
    const post = (content: string, signal?: AbortSignal) =>
      gw.fetch("/v1/chat/completions", { method: "POST", signal, headers: { authorization: `Bearer ${k.key}`, "content-type": "application/json" }, body: JSON.stringify({ model: MODEL, stream: true, messages: [{ role: "user", content }] }) });
    const ctl = new AbortController();
    const res = await post("Please write a long answer. ".repeat(30), ctl.signal);
    const reader = res.body!.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    ctl.abort();
    gw.sim.fault("*", { kind: "error-mid-stream", afterEvents: 4, times: 1 });
    await (await post("This one breaks")).text();
    const rows = (await usage(`?key=${k.id}`)).data;
    expect(rows).toHaveLength(1);
    expect(rows[0].requests).toBe(2);
    expect(rows[0].input_tokens).toBeGreaterThan(0);
  });

  it("estimates the output of a stream cut off before the upstream counted it from the text the client got", async () => {
    const { gw, createKey, usage } = gateway();
    const k = await createKey();
    gw.sim.fault("*", { kind: "error-mid-stream", afterEvents: 15, times: 1 });
    const res = await gw.fetch("/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${k.key}`, "content-type": "application/json" }, body: JSON.stringify({ model: MODEL, stream: true, messages: [{ role: "user", content: "Please write a long answer about rivers. ".repeat(20) }] }) });
    const text = await res.text();
    let received = 0;
    for (const line of text.split("\n")) {
      if (!line.startsWith("data: {")) continue;
      const content = JSON.parse(line.slice(6)).choices?.[0]?.delta?.content;
      if (typeof content === "string") received += content.length;
    }
    expect(received).toBeGreaterThan(60);
    expect(text).toContain('"error"');
    const [row] = (await usage(`?key=${k.id}`)).data;
    expect(row).toMatchObject({ requests: 1, estimated: true });
    // The upstream's message_start counts 1 output token or so; the answer sent was far longer.
    expect(row.output_tokens).toBeGreaterThanOrEqual(Math.ceil(received / 4));
  });

  it("counts a non-stream answer whose body broke off, estimated from the request", async () => {
    const { gw, createKey, usage } = gateway();
    const k = await createKey();
    const upstream = gw.deps.upstream;
    gw.deps.upstream = async (url, init) => {
      const res = await upstream(url, init);
      if (new URL(url).pathname !== "/v1/messages") return res;
      const half = (await res.text()).slice(0, 40);
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          c.enqueue(new TextEncoder().encode(half));
          c.error(new Error("connection reset"));
        },
      });
      return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
    };
    const res = await gw.fetch("/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${k.key}`, "content-type": "application/json" }, body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "An answer that will be lost on the way" }] }) });
    expect(res.status).toBe(502);
    const [row] = (await usage(`?key=${k.id}`)).data;
    expect(row).toMatchObject({ requests: 1, estimated: true });
    expect(row.input_tokens).toBeGreaterThan(0);
  });

  it("counts a request that failed over to another upstream key once", async () => {
    const { gw, createKey, openai, usage, upstreamCalls } = gateway();
    const k = await createKey();
    gw.sim.fault("*", { status: 529, times: 1 });
    const res = await openai(k.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "fail over" }] });
    expect(upstreamCalls()).toBe(2);
    const [row] = (await usage(`?key=${k.id}`)).data;
    expect(row).toMatchObject({ requests: 1, output_tokens: res.usage!.completion_tokens });
  });

  it("records static keys under their id; group_by, filters and CSV", async () => {
    const { createKey, openai, usage, admin } = gateway();
    const k = await createKey({ name: "bob" });
    await openai(CLIENT_KEY).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "static" }] });
    await openai(k.key).chat.completions.create({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "managed" }] });
    const byKey = (await usage("?group_by=key")).data;
    expect(byKey.map((r: any) => r.key_name).sort()).toEqual(["bob", `static …${CLIENT_KEY.slice(-4)}`]);
    expect(byKey.find((r: any) => r.key_name === "bob").key_id).toBe(k.id);
    expect((await usage("?group_by=model")).data.map((r: any) => r.model)).toEqual(["claude-haiku-4-5", MODEL]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await usage(`?group_by=day&from=${today}&to=${today}`)).data).toMatchObject([{ day: today, requests: 2 }]);
    expect((await usage("?from=2000-01-01&to=2000-01-02")).data).toEqual([]);
    const csv = await admin("GET", "/admin/usage?format=csv");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(String(csv.body).split("\n")[0]).toBe("key_id,key_name,model,day,requests,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,reasoning_tokens,cost_usd,estimated");
    expect((await admin("GET", "/admin/usage?group_by=week")).status).toBe(400);
  });
});

describe("limits", () => {
  it("refuses a spent budget with insufficient_quota before calling the upstream", async () => {
    const { createKey, openai, upstreamCalls } = gateway();
    const k = await createKey({ name: "tiny budget", budget_usd: 0.000001, budget_period: "day" });
    await openai(k.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "the one that spends it" }] });
    const before = upstreamCalls();
    const err = await openai(k.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "refused" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err).toMatchObject({ status: 429, code: "insufficient_quota", type: "insufficient_quota" });
    expect((err as Error).message).toContain('"tiny budget"');
    expect((err as Error).message).toMatch(/resets at \d{4}-\d{2}-\d{2}T00:00:00/);
    expect(upstreamCalls()).toBe(before);
  });

  it("bounds the overshoot by the requests in flight when the budget ran out", async () => {
    const { createKey, fetch, usage, upstreamCalls } = gateway();
    const budgetUsd = 0.000001;
    const k = await createKey({ budget_usd: budgetUsd });
    const one = () => fetch("http://gateway.test/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${k.key}`, "content-type": "application/json" }, body: JSON.stringify({ model: MODEL, stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "in flight" }] }) });
    // Four streams admitted before any has ended (the spend is still 0): all four are served and billed.
    const inFlight = await Promise.all([one(), one(), one(), one()]);
    expect(inFlight.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    let inFlightPico = 0;
    for (const r of inFlight) {
      const events = sseEvents(await r.text()) as any[];
      const u = events.find((e) => e !== "[DONE]" && e.usage)!.usage;
      const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
      const written = u.prompt_tokens_details?.cache_write_tokens ?? 0;
      inFlightPico += costPico({ input_tokens: u.prompt_tokens - cached - written, output_tokens: u.completion_tokens, cache_read_input_tokens: cached, cache_creation_input_tokens: written });
    }
    // The budget is spent now: the next request is refused without an upstream call.
    const before = upstreamCalls();
    expect((await one()).status).toBe(429);
    expect(upstreamCalls()).toBe(before);
    const [row] = (await usage(`?key=${k.id}`)).data;
    expect(row.requests).toBe(4);
    expect(Math.round(row.cost_usd * 1e12)).toBe(inFlightPico);
    // Worst case as documented: spend − budget ≤ the cost of the requests in flight when it ran out.
    expect(row.cost_usd - budgetUsd).toBeLessThanOrEqual(inFlightPico / 1e12);
    expect(row.cost_usd).toBeGreaterThan(budgetUsd);
  });

  it("limits requests per minute with OpenAI's headers on every answer", async () => {
    const { createKey, fetch, upstreamCalls } = gateway();
    const k = await createKey({ rpm: 2, tpm: 100000 });
    const post = () => fetch("http://gateway.test/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${k.key}`, "content-type": "application/json" }, body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }] }) });
    const a = await post();
    expect(a.status).toBe(200);
    expect(a.headers.get("x-ratelimit-limit-requests")).toBe("2");
    expect(a.headers.get("x-ratelimit-remaining-requests")).toBe("1");
    expect(a.headers.get("x-ratelimit-limit-tokens")).toBe("100000");
    expect(Number(a.headers.get("x-ratelimit-remaining-tokens"))).toBeLessThan(100000);
    expect(a.headers.get("x-ratelimit-reset-requests")).toMatch(/^\d+(\.\d+)?m?s|\d+m\d+s$/);
    expect((await post()).headers.get("x-ratelimit-remaining-requests")).toBe("0");
    const before = upstreamCalls();
    const c = await post();
    expect(c.status).toBe(429);
    expect(((await c.json()) as any).error).toMatchObject({ code: "rate_limit_exceeded", type: "requests" });
    expect(Number(c.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(c.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(upstreamCalls()).toBe(before);
  });

  it("refuses a model outside the key's list with 403 naming it, and an expired key", async () => {
    const { createKey, openai, upstreamCalls } = gateway();
    const k = await createKey({ models: ["claude-haiku-*"] });
    await openai(k.key).chat.completions.create({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "ok" }] });
    const before = upstreamCalls();
    const err = await openai(k.key).chat.completions.create({ model: "claude-opus-4-8", messages: [{ role: "user", content: "no" }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 403, code: "model_not_allowed" });
    expect((err as Error).message).toContain("claude-opus-4-8");
    expect(upstreamCalls()).toBe(before);
    const old = await createKey({ expires_at: "2020-01-01T00:00:00Z" });
    await expect(openai(old.key).chat.completions.create({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "no" }] })).rejects.toMatchObject({ status: 401, code: "key_expired" });
  });
});

describe("what a client key sees", () => {
  it("answers NextChat's billing endpoints for the calling key, with or without /v1", async () => {
    const { gw, createKey, openai } = gateway();
    const k = await createKey({ name: "nextchat user", budget_usd: 10, budget_period: "month" });
    const other = await createKey({ name: "someone else" });
    const res = await openai(k.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "spend a little" }] });
    await openai(other.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "spend elsewhere" }] });
    await gw.settle();
    const now = new Date();
    const start = `${now.toISOString().slice(0, 7)}-01`;
    const end = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
    for (const prefix of ["", "/v1"]) {
      const sub = (await (await gw.fetch(`${prefix}/dashboard/billing/subscription`, { headers: { authorization: `Bearer ${k.key}` } })).json()) as any;
      expect(sub).toMatchObject({ object: "billing_subscription", hard_limit_usd: 10, account_name: "nextchat user" });
      const use = (await (await gw.fetch(`${prefix}/dashboard/billing/usage?start_date=${start}&end_date=${end}`, { headers: { authorization: `Bearer ${k.key}` } })).json()) as any;
      const u = res.usage!;
      const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
      const written = (u.prompt_tokens_details as { cache_write_tokens?: number }).cache_write_tokens ?? 0;
      const cents = costPico({ input_tokens: u.prompt_tokens - cached - written, output_tokens: u.completion_tokens, cache_read_input_tokens: cached, cache_creation_input_tokens: written }) / 1e10;
      expect(use.total_usage).toBeCloseTo(cents, 8);
    }
    const denied = await gw.fetch("/admin/usage", { headers: { authorization: `Bearer ${k.key}` } });
    expect(denied.status).toBe(401);
  });

  it("keeps each key's files to itself", async () => {
    const { createKey, openai } = gateway();
    const a = await createKey({ name: "a" });
    const b = await createKey({ name: "b" });
    const file = await openai(a.key).files.create({ file: await toFile(new TextEncoder().encode("secret notes of a"), "notes.txt", { type: "text/plain" }), purpose: "user_data" });
    expect((await openai(a.key).files.list()).data.map((f) => f.id)).toContain(file.id);
    expect((await openai(b.key).files.list()).data.map((f) => f.id)).not.toContain(file.id);
    await expect(openai(b.key).files.retrieve(file.id)).rejects.toMatchObject({ status: 404 });
    await expect(openai(b.key).files.delete(file.id)).rejects.toMatchObject({ status: 404 });
    await expect(
      openai(b.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: [{ type: "file", file: { file_id: file.id } }] }] }),
    ).rejects.toMatchObject({ status: 400 });
    expect((await openai(a.key).files.retrieve(file.id)).id).toBe(file.id);
  });

  it("restores signed thinking only for the key whose answer it was", async () => {
    const { gw, createKey } = gateway();
    const a = await createKey({ name: "a" });
    const b = await createKey({ name: "b" });
    const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
    const question = { role: "user", content: "Weather in Paris? Use get_weather." };
    const post = async (key: string, messages: unknown[]) => {
      const res = await gw.fetch("/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ model: NEWER, messages, tools, reasoning_effort: "high" }) });
      expect(res.status).toBe(200);
      return { res, json: (await res.json()) as any };
    };
    const first = (await post(a.key, [question])).json.choices[0].message;
    expect(first.tool_calls).toHaveLength(1);
    const history = [question, { role: "assistant", content: first.content, tool_calls: first.tool_calls }, { role: "tool", tool_call_id: first.tool_calls[0].id, content: "Sunny" }];
    expect((await post(b.key, history)).res.headers.get("x-claude2api-thinking")).toBe("off-this-turn");
    expect((await post(a.key, history)).res.headers.get("x-claude2api-thinking")).toBeNull();
  });

  it("does not share the gateway's uploads of a large attachment across keys", async () => {
    const { gw, createKey, openai } = gateway({ UPLOAD_THRESHOLD_BYTES: "65536", ANTHROPIC_API_KEYS: "sk-ant-test-key-one-1111" });
    const a = await createKey({ name: "a" });
    const b = await createKey({ name: "b" });
    const pdf = `data:application/pdf;base64,${fakePdfBase64(200 * 1024, 3)}`;
    const ask = (key: string) => openai(key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: [{ type: "text", text: "Summarise" }, { type: "file", file: { filename: "r.pdf", file_data: pdf } }] }] });
    const uploads = () => gw.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/files").length;
    await ask(a.key);
    await ask(a.key);
    expect(uploads()).toBe(1); // reused for the same key
    await ask(b.key);
    expect(uploads()).toBe(2); // not for another
  });

  it("resolves a Responses item_reference only for the key that made the answer", async () => {
    const { createKey, openai } = gateway();
    const a = await createKey({ name: "a" });
    const b = await createKey({ name: "b" });
    const first = await openai(a.key).responses.create({ model: MODEL, input: "Remember this", max_output_tokens: 200 });
    const msg = first.output.find((o) => o.type === "message")!;
    const follow = (key: string) => openai(key).responses.create({ model: MODEL, max_output_tokens: 200, input: [{ role: "user", content: "Remember this" }, { type: "item_reference", id: msg.id }, { role: "user", content: "and now?" }] as any });
    await expect(follow(a.key)).resolves.toBeDefined();
    await expect(follow(b.key)).rejects.toMatchObject({ status: 400 });
  });
});

describe("the status page", () => {
  it("is behind ADMIN_KEY and shows usage per key with an inline SVG chart, no key material", async () => {
    const { gw, createKey, openai } = gateway();
    const k = await createKey({ name: "charted", budget_usd: 1 });
    await openai(k.key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "for the chart" }] });
    await gw.settle();
    expect((await gw.fetch("/status", { headers: { authorization: `Bearer ${CLIENT_KEY}`, accept: "text/html" } })).status).toBe(401);
    const enable = await gw.fetch("/status/keys/1111/enable", { method: "POST", headers: { authorization: `Bearer ${CLIENT_KEY}` } });
    expect(enable.status).toBe(401);
    const html = await (await gw.fetch("/status", { headers: { authorization: `Bearer ${ADMIN_KEY}`, accept: "text/html" } })).text();
    expect(html).toContain("charted");
    expect(html).toContain("<svg");
    expect(html).not.toContain(k.key);
    expect(html).not.toContain(ADMIN_KEY);
    expect(html).not.toMatch(/<script|src="http/);
    const json = (await (await gw.fetch("/status?format=json", { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as any;
    expect(json.clientKeys.find((x: any) => x.name === "charted").spend_this_period_usd).toBeGreaterThan(0);
  });
});

