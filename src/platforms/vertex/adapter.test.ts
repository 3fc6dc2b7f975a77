import { describe, expect, it } from "vitest";
import { ClaudeSimulator } from "../../simulator";
import { testServiceAccount, VERTEX_PROJECT } from "../../../test/helpers/platforms";
import { createVertexAdapter } from "./adapter";
import { parseServiceAccount } from "./service-account";
import { AccessTokenSource } from "./token";

const TOKEN_URI = "https://oauth2.googleapis.com/token";

async function setup(opts: { region?: string; project?: string; lifetime?: number; registered?: boolean } = {}) {
  const account = await testServiceAccount(TOKEN_URI);
  const sim = new ClaudeSimulator({
    vertex: { serviceAccounts: opts.registered === false ? [] : [{ client_email: account.email, publicKey: account.publicKey, projects: [VERTEX_PROJECT] }], tokenLifetimeSeconds: opts.lifetime },
  });
  const sa = parseServiceAccount(account.json);
  const adapter = createVertexAdapter({ account: sa, project: opts.project ?? VERTEX_PROJECT, region: opts.region ?? "global" }, sim.fetch);
  return { sim, adapter, account };
}

const hello = (extra: Record<string, unknown> = {}) => ({ model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user", content: "Hello Vertex" }], ...extra });

describe("Vertex adapter against the simulator's Vertex front", () => {
  it("gets a token with a signed JWT, calls rawPredict with Vertex's body and URL, answers Anthropic's Message", async () => {
    const { sim, adapter } = await setup();
    const res = await adapter.messages({ body: JSON.stringify(hello()), betas: ["interleaved-thinking-2025-05-14"] });
    expect(res.status).toBe(200);
    const message = (await res.json()) as any;
    expect(message.id).toMatch(/^msg_vrtx_/);
    expect(message.content[0].text).toContain("Hello Vertex");
    const [token, call] = sim.received.slice(-2);
    expect(token!.path).toBe("/token");
    expect(token!.body.grant_type).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
    expect(call!.path).toBe(`/v1/projects/${VERTEX_PROJECT}/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`);
    expect(call!.body.model).toBeUndefined();
    expect(call!.body.anthropic_version).toBe("vertex-2023-10-16");
    expect(call!.headers.get("anthropic-beta")).toBe("interleaved-thinking-2025-05-14");
    expect(call!.headers.get("authorization")).toMatch(/^Bearer ya29\./);
  });

  it("streams with streamRawPredict (Anthropic's SSE as it is)", async () => {
    const { sim, adapter } = await setup({ region: "us-east5" });
    const res = await adapter.messages({ body: JSON.stringify(hello({ stream: true })), betas: [] });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("event: message_start");
    expect(text).toContain("event: message_stop");
    expect(sim.received.at(-1)!.path).toMatch(/locations\/us-east5\/.*:streamRawPredict$/);
    expect(sim.received.at(-1)!.body.stream).toBe(true);
  });

  it("shares one token exchange among concurrent requests and reuses the token until shortly before expiry", async () => {
    const { sim, adapter } = await setup();
    const answers = await Promise.all(Array.from({ length: 5 }, () => adapter.messages({ body: JSON.stringify(hello()), betas: [] })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    await adapter.messages({ body: JSON.stringify(hello()), betas: [] });
    expect(sim.received.filter((r) => r.path === "/token")).toHaveLength(1);
  });

  it("renews a token that is about to expire", async () => {
    const account = await testServiceAccount(TOKEN_URI);
    const sim = new ClaudeSimulator({ vertex: { serviceAccounts: [{ client_email: account.email, publicKey: account.publicKey, projects: [VERTEX_PROJECT] }], tokenLifetimeSeconds: 400 } });
    let now = Date.now();
    const tokens = new AccessTokenSource(parseServiceAccount(account.json), sim.fetch, () => now);
    const first = await tokens.get();
    expect(await tokens.get()).toBe(first);
    now += 201_000; // a 400 s token is renewed at half its life (the five-minute margin would exceed it)
    expect(await tokens.get()).not.toBe(first);
    expect(sim.received.filter((r) => r.path === "/token")).toHaveLength(2);
  });

  it("a service account the token endpoint does not accept is a 401 naming VERTEX_SERVICE_ACCOUNT, and no call is made", async () => {
    const { sim, adapter, account } = await setup({ registered: false });
    const res = await adapter.messages({ body: JSON.stringify(hello()), betas: [] });
    expect(res.status).toBe(401);
    const message = ((await res.json()) as any).error.message as string;
    expect(message).toContain("VERTEX_SERVICE_ACCOUNT");
    expect(message).toContain("invalid_grant");
    expect(message).not.toContain("PRIVATE KEY");
    expect(message).not.toContain(account.privateKeyPem.slice(40, 80));
    expect(sim.received.some((r) => r.path.includes(":rawPredict"))).toBe(false);
  });

  it("a JWT signed with another key is refused by the front's signature check", async () => {
    const good = await testServiceAccount(TOKEN_URI);
    const other = await testServiceAccount(TOKEN_URI);
    const sim = new ClaudeSimulator({ vertex: { serviceAccounts: [{ client_email: good.email, publicKey: other.publicKey, projects: [VERTEX_PROJECT] }] } });
    const adapter = createVertexAdapter({ account: parseServiceAccount(good.json), project: VERTEX_PROJECT, region: "global" }, sim.fetch);
    const res = await adapter.messages({ body: JSON.stringify(hello()), betas: [] });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.message).toContain("Invalid JWT Signature");
  });

  it("a project the account may not use is a 403 naming the setting; quota is a 429", async () => {
    const denied = await setup({ project: "someone-elses-project" });
    const res = await denied.adapter.messages({ body: JSON.stringify(hello()), betas: [] });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.message).toContain("VERTEX_PROJECT_ID");

    const { sim, adapter, account } = await setup();
    sim.fault(account.email, { status: 429, times: 1 });
    const throttled = await adapter.messages({ body: JSON.stringify(hello()), betas: [] });
    expect(throttled.status).toBe(429);
    expect(((await throttled.json()) as any).error.type).toBe("rate_limit_error");
  });

  it("the model's own errors pass in Anthropic's shape; unknown models name MODEL_MAP", async () => {
    const { adapter } = await setup();
    const bad = await adapter.messages({ body: JSON.stringify(hello({ messages: [] })), betas: [] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.type).toBe("invalid_request_error");
    const unknown = await adapter.messages({ body: JSON.stringify(hello({ model: "gpt-4o" })), betas: [] });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.message).toContain("MODEL_MAP");
  });
});
