import { describe, expect, it } from "vitest";
import { CLIENT_KEY, startGateway, UPSTREAM_KEYS } from "../helpers/gateway";

describe("health, auth, CORS and routing", () => {
  it("GET /health answers without auth and reveals nothing secret", async () => {
    const gw = startGateway();
    const res = await gw.fetch("/health");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ status: "ok", upstream: "anthropic" });
    for (const secret of [CLIENT_KEY, ...UPSTREAM_KEYS]) expect(text).not.toContain(secret);
  });

  it.each([
    ["no key", {}],
    ["a wrong bearer key", { authorization: "Bearer nope" }],
    ["a wrong x-api-key", { "x-api-key": "nope" }],
  ])("rejects %s with a 401 in OpenAI shape", async (_, headers) => {
    const gw = startGateway();
    const res = await gw.fetch("/v1/models", { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as { error: { message: string; type: string; code: string } };
    expect(body.error).toMatchObject({ type: "authentication_error", code: "invalid_api_key" });
    expect(typeof body.error.message).toBe("string");
  });

  it.each([
    ["Authorization: Bearer", { authorization: `Bearer ${CLIENT_KEY}` }],
    ["x-api-key", { "x-api-key": CLIENT_KEY }],
    ["api-key", { "api-key": CLIENT_KEY }],
  ])("accepts the client key as %s", async (_, headers) => {
    const gw = startGateway();
    expect((await gw.fetch("/v1/models", { headers })).status).toBe(200);
  });

  it("accepts any of several comma-separated client keys", async () => {
    const gw = startGateway({ APIKEY: "first-key,second-key" });
    expect((await gw.fetch("/v1/models", { headers: { authorization: "Bearer second-key" } })).status).toBe(200);
    expect((await gw.fetch("/v1/models", { headers: { authorization: "Bearer second-ke" } })).status).toBe(401);
  });

  it("refuses everything when deployed without APIKEY, instead of becoming an open proxy", async () => {
    const gw = startGateway({ APIKEY: "", ADMIN_KEY: "" });
    const res = await gw.fetch("/v1/models");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("APIKEY");
  });

  it("answers a browser preflight allowing Authorization and the headers SDKs add", async () => {
    const gw = startGateway();
    const res = await gw.fetch("/v1/chat/completions", {
      method: "OPTIONS",
      headers: {
        origin: "https://app.nextchat.dev",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type,x-stainless-os,x-title",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.nextchat.dev");
    const allowed = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase();
    for (const h of ["authorization", "content-type", "x-stainless-os", "x-title"]) expect(allowed).toContain(h);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("adds CORS headers to real responses, errors included", async () => {
    const gw = startGateway();
    const res = await gw.fetch("/v1/models", { headers: { origin: "https://x.example" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://x.example");
  });

  it.each([
    ["/v1/chat/completions", { model: "claude-sonnet-4-6", messages: [{ role: "user", content: "hi" }], max_tokens: 16 }],
    ["/v1/messages", { model: "claude-sonnet-4-6", messages: [{ role: "user", content: "hi" }], max_tokens: 16 }],
  ])("adds the CORS headers once to a successful %s answer", async (path, body) => {
    const gw = startGateway();
    const res = await gw.fetch(path, { method: "POST", headers: { ...gw.auth(), origin: "https://x.example", "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://x.example");
    expect(res.headers.get("access-control-expose-headers")).toContain("x-request-id");
    expect(res.headers.get("vary")).toBe("Origin");
    await res.body?.cancel();
  });

  it.each(["/v1/models", "/hf/v1/models", "/v1/v1/models", "/models"])("serves the models list at %s", async (path) => {
    const gw = startGateway();
    const res = await gw.fetch(path, { headers: gw.auth() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { object: string; data: Array<{ id: string; object: string; created: number; owned_by: string }> };
    expect(body.object).toBe("list");
    expect(body.data.length).toBeGreaterThan(3);
    for (const m of body.data) {
      expect(m.object).toBe("model");
      expect(typeof m.created).toBe("number");
      expect(m.owned_by).toBe("anthropic");
    }
  });

  it("lists a -think variant for models that can think, and GET /v1/models/{id} finds both", async () => {
    const gw = startGateway();
    const list = (await (await gw.fetch("/v1/models", { headers: gw.auth() })).json()) as { data: Array<{ id: string }> };
    const ids = list.data.map((m) => m.id);
    expect(ids).toContain("claude-sonnet-4-5");
    expect(ids).toContain("claude-sonnet-4-5-think");
    const one = await gw.fetch("/v1/models/claude-sonnet-4-5-think", { headers: gw.auth() });
    expect(one.status).toBe(200);
    expect(((await one.json()) as { id: string }).id).toBe("claude-sonnet-4-5-think");
    const missing = await gw.fetch("/v1/models/gpt-4o", { headers: gw.auth() });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("model_not_found");
  });

  it("builds the models list from the upstream's GET /v1/models and caches it", async () => {
    const gw = startGateway();
    await gw.fetch("/v1/models", { headers: gw.auth() });
    await gw.fetch("/v1/models", { headers: gw.auth() });
    const calls = gw.sim.received.filter((r) => r.method === "GET" && r.path.startsWith("/v1/models"));
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(2); // paging at most, never once per client call
  });

  it("answers unknown and unsupported endpoints with JSON errors", async () => {
    const gw = startGateway();
    for (const path of ["/v1/embeddings", "/v1/completions", "/dashboard/billing/usage", "/nope"]) {
      const res = await gw.fetch(path, { method: "POST", headers: gw.auth(), body: "{}" });
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(((await res.json()) as { error: { message: string } }).error.message.length).toBeGreaterThan(10);
    }
  });
});
