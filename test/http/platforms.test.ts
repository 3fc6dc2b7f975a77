import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { CLIENT_KEY, startGateway, UPSTREAM_KEYS, type Gateway } from "../helpers/gateway";
import { BEDROCK_CREDS, BEDROCK_REGION, testServiceAccount, VERTEX_PROJECT, type TestServiceAccount } from "../helpers/platforms";

/**
 * Issue 13 through HTTP with the openai SDK: Claude on Amazon Bedrock and Google Vertex AI,
 * alone or in one pool with an Anthropic key. The simulator answers as all three
 * platforms (its Bedrock front checks SigV4, its Vertex front the JWT and token).
 */
const MODEL = "claude-sonnet-4-5";
const TOKEN_URI = "https://oauth2.googleapis.com/token";
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const BEDROCK_ID = "bedrock:eu-west-1";
const VERTEX_ID = `vertex:${VERTEX_PROJECT}@global`;

type Platform = "bedrock" | "vertex";

async function gateway(opts: { platforms: Platform[]; anthropic?: boolean; env?: Record<string, string> }): Promise<{ gw: Gateway; openai: OpenAI; account: TestServiceAccount }> {
  const account = await testServiceAccount(TOKEN_URI);
  const env: Record<string, string> = { ANTHROPIC_API_KEYS: opts.anthropic ? UPSTREAM_KEYS[0]! : "", ...opts.env };
  if (opts.platforms.includes("bedrock")) Object.assign(env, { BEDROCK_REGION, BEDROCK_ACCESS_KEY_ID: BEDROCK_CREDS.accessKeyId, BEDROCK_SECRET_ACCESS_KEY: BEDROCK_CREDS.secretAccessKey });
  if (opts.platforms.includes("vertex")) env.VERTEX_SERVICE_ACCOUNT = account.json;
  const gw = startGateway(env, {
    bedrock: { credentials: [BEDROCK_CREDS], region: BEDROCK_REGION },
    vertex: { serviceAccounts: [{ client_email: account.email, publicKey: account.publicKey, projects: [VERTEX_PROJECT] }] },
  });
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) => gw.fetch(input instanceof Request ? input : String(input), init)) as typeof globalThis.fetch;
  return { gw, openai: new OpenAI({ apiKey: CLIENT_KEY, baseURL: "http://gateway.test/v1", fetch, maxRetries: 0 }), account };
}

const platformCalls = (gw: Gateway, platform: Platform | "anthropic") =>
  gw.sim.received.filter((r) => r.method === "POST" && (platform === "bedrock" ? r.path.startsWith("/model/") : platform === "vertex" ? r.path.includes(":") && r.path.includes("Predict") : r.path === "/v1/messages"));

describe.each(["bedrock", "vertex"] as const)("Claude on %s through the openai SDK", (platform) => {
  it("answers a chat, without and with streaming (usage included)", async () => {
    const { gw, openai } = await gateway({ platforms: [platform] });
    const res = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: `Hello from ${platform}` }] });
    expect(res.choices[0]!.message.content).toContain(`Hello from ${platform}`);
    expect(res.usage!.prompt_tokens).toBeGreaterThan(0);

    const stream = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: `Stream from ${platform}` }], stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toContain(`Stream from ${platform}`);
    expect(finish).toBe("stop");
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(platformCalls(gw, platform)).toHaveLength(2);
    expect(platformCalls(gw, "anthropic")).toHaveLength(0);
    const sent = platformCalls(gw, platform).at(-1)!.body;
    expect(sent.model).toBeUndefined();
    expect(sent.anthropic_version).toBe(platform === "bedrock" ? "bedrock-2023-05-31" : "vertex-2023-10-16");
  });

  it("runs a tool loop (stream), the tool call and its result round-trip", async () => {
    const { openai } = await gateway({ platforms: [platform] });
    const tools: OpenAI.ChatCompletionTool[] = [{ type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Use get_weather for Paris" }];
    const first = await openai.chat.completions.create({ model: MODEL, messages, tools });
    const call = first.choices[0]!.message.tool_calls?.[0];
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    expect(call?.type === "function" && call.function.name).toBe("get_weather");
    messages.push(first.choices[0]!.message, { role: "tool", tool_call_id: call!.id, content: "18°C and sunny" });
    const stream = await openai.chat.completions.create({ model: MODEL, messages, tools, stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text.length).toBeGreaterThan(0);
  });

  it("thinks (reasoning_content, streamed) and keeps the signed thinking across a tool turn", async () => {
    const { gw, openai } = await gateway({ platforms: [platform] });
    const stream = await openai.chat.completions.create({ model: `${MODEL}-think`, messages: [{ role: "user", content: "Think about 2+2" }], stream: true });
    let reasoning = "";
    for await (const chunk of stream) reasoning += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? "";
    expect(reasoning.length).toBeGreaterThan(0);
    const sent = platformCalls(gw, platform).at(-1)!.body;
    expect(sent.thinking?.type).toMatch(/enabled|adaptive/);
  });

  it("sends images and PDFs inline, even above the upload threshold (no Files API on the platform)", async () => {
    const { gw, openai } = await gateway({ platforms: [platform] });
    const pdf = btoa("%PDF-1.7 " + "x".repeat(1_500_000));
    const res = await openai.chat.completions.create({
      model: MODEL,
      messages: [
        {
          role: "user",
          content: [
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
            { type: "file", file: { filename: "report.pdf", file_data: `data:application/pdf;base64,${pdf}` } },
            { type: "text", text: "Describe both" },
          ],
        },
      ],
    });
    expect(res.choices[0]!.message.content).toBeTruthy();
    const blocks = platformCalls(gw, platform).at(-1)!.body.messages.at(-1).content;
    expect(blocks[0]).toMatchObject({ type: "image", source: { type: "base64", media_type: "image/png", data: PNG } });
    expect(blocks[1]).toMatchObject({ type: "document", source: { type: "base64", media_type: "application/pdf", data: pdf } });
    expect(gw.sim.received.some((r) => r.path === "/v1/files")).toBe(false);
  });
});

describe("what a platform lacks is routed or refused, never dropped", () => {
  it("attachments above the platform's limit are a 413 naming it when no Anthropic key is configured", async () => {
    const { gw } = await gateway({ platforms: ["bedrock"] });
    const pdf = btoa("%PDF-1.7 " + "x".repeat(16_000_000));
    const res = await gw.fetch("/v1/chat/completions", {
      method: "POST",
      headers: gw.auth(),
      body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: [{ type: "file", file: { filename: "big.pdf", file_data: `data:application/pdf;base64,${pdf}` } }] }] }),
    });
    expect(res.status).toBe(413);
    const error = ((await res.json()) as any).error;
    expect(error.message).toContain("20.0 MB");
    expect(error.message).toContain("ANTHROPIC_API_KEYS");
    expect(platformCalls(gw, "bedrock")).toHaveLength(0);
  });

  it("the same request goes to the Anthropic key (through the Files API) when the pool has one", async () => {
    const { gw } = await gateway({ platforms: ["bedrock"], anthropic: true });
    const pdf = btoa("%PDF-1.7 " + "x".repeat(16_000_000));
    const res = await gw.fetch("/v1/chat/completions", {
      method: "POST",
      headers: gw.auth(),
      body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: [{ type: "file", file: { filename: "big.pdf", file_data: `data:application/pdf;base64,${pdf}` } }] }] }),
    });
    // The simulator counts a 16 MB PDF as more tokens than the model takes: its own context error
    // proves the request reached the Anthropic key (uploaded, referenced by file_id), not Bedrock.
    expect(((await res.json()) as any).error?.code ?? "ok").toMatch(/ok|context_length_exceeded/);
    expect(platformCalls(gw, "bedrock")).toHaveLength(0);
    expect(platformCalls(gw, "anthropic").length).toBeGreaterThan(0);
    expect(JSON.stringify(platformCalls(gw, "anthropic")[0]!.body.messages)).toContain('"type":"file"');
    expect(gw.sim.received.some((r) => r.path === "/v1/files" && r.method === "POST")).toBe(true);
  });

  it("/v1/files needs an Anthropic key, and says so", async () => {
    const { gw } = await gateway({ platforms: ["vertex"] });
    const form = new FormData();
    form.append("purpose", "assistants");
    form.append("file", new Blob(["%PDF-1.7 spec"], { type: "application/pdf" }), "spec.pdf");
    const res = await gw.fetch("/v1/files", { method: "POST", headers: { authorization: `Bearer ${CLIENT_KEY}` }, body: form });
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error.message).toContain("ANTHROPIC_API_KEYS");
  });

  it("/v1/models lists what the configured platforms offer", async () => {
    const { gw } = await gateway({ platforms: ["bedrock"] });
    const ids = (((await (await gw.fetch("/v1/models", { headers: gw.auth() })).json()) as any).data as Array<{ id: string }>).map((m) => m.id);
    expect(ids).toContain("claude-sonnet-4-5");
    expect(ids).toContain("claude-opus-4-1");
  });

  it("maps the model per platform and region (no global profile for Opus 4.1: the in-region id in eu-west-1)", async () => {
    const { gw, openai } = await gateway({ platforms: ["bedrock"] });
    await openai.chat.completions.create({ model: "claude-opus-4-1", messages: [{ role: "user", content: "hi" }] });
    expect(platformCalls(gw, "bedrock").at(-1)!.path).toBe("/model/anthropic.claude-opus-4-1-20250805-v1%3A0/invoke");
  });

  it("several regions, comma-separated, are one pool member each, all signed for their own region", async () => {
    const account = await testServiceAccount(TOKEN_URI);
    const gw = startGateway(
      { ANTHROPIC_API_KEYS: "", BEDROCK_REGION: "eu-west-1, us-east-1", BEDROCK_ACCESS_KEY_ID: BEDROCK_CREDS.accessKeyId, BEDROCK_SECRET_ACCESS_KEY: BEDROCK_CREDS.secretAccessKey, VERTEX_SERVICE_ACCOUNT: account.json, VERTEX_REGION: "global,us-east5", POOL_ORDER: "bedrock" },
      {
        bedrock: { credentials: [BEDROCK_CREDS], region: ["eu-west-1", "us-east-1"] },
        vertex: { serviceAccounts: [{ client_email: account.email, publicKey: account.publicKey, projects: [VERTEX_PROJECT] }] },
      },
    );
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) => gw.fetch(input instanceof Request ? input : String(input), init)) as typeof globalThis.fetch;
    const openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: "http://gateway.test/v1", fetch, maxRetries: 0 });
    for (let n = 0; n < 8; n++) await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: `region ${n} ${"x".repeat(n)}` }] });
    const scopes = platformCalls(gw, "bedrock").map((r) => /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(r.headers.get("authorization") ?? "")?.[1]);
    expect(new Set(scopes)).toEqual(new Set(["eu-west-1", "us-east-1"]));
    const status = await (await gw.fetch("/status", { headers: gw.admin() })).text();
    for (const id of ["bedrock:eu-west-1", "bedrock:us-east-1", `vertex:${VERTEX_PROJECT}@global`, `vertex:${VERTEX_PROJECT}@us-east5`]) expect(status).toContain(id);
  });

  it("a model no configured platform offers is a 404 before any call", async () => {
    const { gw } = await gateway({ platforms: ["bedrock", "vertex"] });
    const res = await gw.fetch("/v1/chat/completions", { method: "POST", headers: gw.auth(), body: JSON.stringify({ model: "claude-sonnet-4-2", messages: [{ role: "user", content: "hi" }] }) });
    expect(res.status).toBe(404);
    expect(gw.sim.received.filter((r) => r.method === "POST")).toHaveLength(0);
  });

});

describe("one pool: an Anthropic key, a Bedrock account and a Vertex project", () => {
  const members = { anthropic: UPSTREAM_KEYS[0]!, bedrock: BEDROCK_CREDS.accessKeyId } as const;
  const faultIdentity = (which: "anthropic" | "bedrock" | "vertex", account: TestServiceAccount) => (which === "vertex" ? account.email : members[which]);

  it("spreads load over all three members", async () => {
    const { gw, openai } = await gateway({ platforms: ["bedrock", "vertex"], anthropic: true });
    for (let n = 0; n < 9; n++) await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: `spread ${n} ${"x".repeat(n)}` }] });
    for (const p of ["anthropic", "bedrock", "vertex"] as const) expect(platformCalls(gw, p).length, p).toBeGreaterThan(0);
  });

  const FAULTS = {
    throttles: { status: 429, retryAfterSeconds: 60 },
    fails: { status: 500 },
    "refuses its credential": { status: 403 },
  } as const;
  const cases = (["anthropic", "bedrock", "vertex"] as const).flatMap((which) => (Object.keys(FAULTS) as Array<keyof typeof FAULTS>).map((kind) => [which, kind] as const));

  it.each(cases)("keeps answering while %s %s", async (which, kind) => {
    const { gw, openai, account } = await gateway({ platforms: ["bedrock", "vertex"], anthropic: true });
    const identity = faultIdentity(which, account);
    const calls = () => platformCalls(gw, which).length;
    gw.sim.fault(identity, FAULTS[kind]);
    for (let n = 0; n < 9; n++) {
      const prompt = `pool ${n} ${"·".repeat(n)}`;
      if (n % 2) {
        expect((await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: prompt }] })).choices[0]!.message.content).toContain(prompt);
      } else {
        let text = "";
        for await (const c of await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: prompt }], stream: true })) text += c.choices[0]?.delta.content ?? "";
        expect(text).toContain(prompt);
      }
    }
    // The faulty member was tried (so the fault was met) and then avoided.
    expect(calls()).toBeGreaterThanOrEqual(1);
    expect(calls()).toBeLessThanOrEqual(2);
    await gw.settle();
    const statusText = await (await gw.fetch("/status", { headers: gw.admin() })).text();
    const status = JSON.parse(statusText) as { keys: Array<{ key: string; state: string; disabledReason: string | null; lastError: string | null }> };
    const shown = status.keys.find((k) => (which === "anthropic" ? k.key.endsWith(UPSTREAM_KEYS[0]!.slice(-4)) : k.key === (which === "bedrock" ? BEDROCK_ID : VERTEX_ID)))!;
    if (kind === "refuses its credential") {
      expect(shown.state, statusText).toBe("disabled");
      // The reason names what to check, and no secret.
      expect(shown.disabledReason, statusText).toMatch(which === "bedrock" ? /BEDROCK_ACCESS_KEY_ID/ : which === "vertex" ? /VERTEX_SERVICE_ACCOUNT/ : /403/);
    } else if (kind === "throttles") {
      expect(shown.state, statusText).toBe("cooling");
    } else {
      expect(shown.lastError, statusText).toMatch(/500/);
    }
    for (const secret of [BEDROCK_CREDS.secretAccessKey, account.privateKeyPem.slice(30, 90), UPSTREAM_KEYS[0]!]) {
      expect(statusText).not.toContain(secret);
      expect(JSON.stringify(gw.logs)).not.toContain(secret);
    }
  });

  it("POOL_ORDER makes a priority: the first platform while it can, then down the list", async () => {
    const { gw, openai } = await gateway({ platforms: ["bedrock", "vertex"], anthropic: true, env: { POOL_ORDER: "vertex,bedrock,anthropic" } });
    for (let n = 0; n < 3; n++) await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: `ordered ${n}` }] });
    expect(platformCalls(gw, "vertex")).toHaveLength(3);
    expect(platformCalls(gw, "bedrock")).toHaveLength(0);
    gw.sim.fault("*", { status: 429, retryAfterSeconds: 60, times: 1 });
    await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "ordered after throttle" }] });
    expect(platformCalls(gw, "bedrock")).toHaveLength(1);
  });
});
