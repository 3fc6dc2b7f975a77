import { describe, expect, it } from "vitest";
import { ClaudeSimulator } from "../../simulator";
import { BEDROCK_API_KEY, BEDROCK_CREDS, BEDROCK_REGION, BEDROCK_TEMP_CREDS } from "../../../test/helpers/platforms";
import { createBedrockAdapter, type BedrockCredentials } from "./adapter";

const BASE = "https://bedrock-runtime.eu-west-1.amazonaws.com";

function setup(credentials: BedrockCredentials = { kind: "sigv4", ...BEDROCK_CREDS }) {
  const sim = new ClaudeSimulator({ bedrock: { credentials: [BEDROCK_CREDS, BEDROCK_TEMP_CREDS], apiKeys: [BEDROCK_API_KEY], region: BEDROCK_REGION } });
  const adapter = createBedrockAdapter({ region: BEDROCK_REGION, credentials, baseUrl: BASE }, sim.fetch);
  return { sim, adapter };
}

const hello = (extra: Record<string, unknown> = {}) => ({ model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user", content: "Hello Bedrock" }], ...extra });

async function sseEvents(text: string): Promise<Array<{ event: string; data: any }>> {
  return text
    .split("\n\n")
    .filter(Boolean)
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)![1]!;
      const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!);
      return { event, data };
    });
}

describe("Bedrock adapter against the simulator's Bedrock front", () => {
  it("signs with SigV4, sends Bedrock's body and URL, and answers Anthropic's Message JSON", async () => {
    const { sim, adapter } = setup();
    const res = await adapter.messages({ body: JSON.stringify(hello()), betas: ["interleaved-thinking-2025-05-14"] });
    expect(res.status).toBe(200);
    const message = (await res.json()) as any;
    expect(message.type).toBe("message");
    expect(message.id).toMatch(/^msg_bdrk_/);
    expect(message.content[0].text).toContain("Hello Bedrock");
    const seen = sim.received.at(-1)!;
    expect(seen.path).toBe("/model/global.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke");
    expect(seen.apiKey).toBe(BEDROCK_CREDS.accessKeyId);
    expect(seen.body.model).toBeUndefined();
    expect(seen.body.stream).toBeUndefined();
    expect(seen.body.anthropic_version).toBe("bedrock-2023-05-31");
    expect(seen.body.anthropic_beta).toEqual(["interleaved-thinking-2025-05-14"]);
    expect(seen.headers.get("authorization")).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIATESTBEDROCK00001\/\d{8}\/eu-west-1\/bedrock\/aws4_request/);
  });

  it("decodes the binary event stream into Anthropic's SSE events, in order", async () => {
    const { adapter } = setup();
    const res = await adapter.messages({ body: JSON.stringify(hello({ stream: true })), betas: [] });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = await sseEvents(await res.text());
    const names = events.map((e) => e.event);
    expect(names.slice(0, 2)).toEqual(["message_start", "content_block_start"]);
    expect(names.slice(-3)).toEqual(["content_block_stop", "message_delta", "message_stop"]);
    expect(new Set(names.slice(2, -3))).toEqual(new Set(["content_block_delta"]));
    expect(events[0]!.data.message.id).toMatch(/^msg_bdrk_/);
    const text = events.filter((e) => e.event === "content_block_delta").map((e) => e.data.delta.text).join("");
    expect(text).toContain("Hello Bedrock");
    expect(events.at(-1)!.data["amazon-bedrock-invocationMetrics"].outputTokenCount).toBeGreaterThan(0);
  });

  it("offers the stream's events decoded straight for the chat core, the same ones the SSE carries; one reader only", async () => {
    const { sim, adapter } = setup();
    sim.script({ content: [{ type: "text", text: "Olá! 你好 — 🚀 fin" }] });
    const res = await adapter.messages({ body: JSON.stringify(hello({ stream: true })), betas: [] });
    const source = res.anthropicEvents!();
    const got: any[] = [];
    const sink = { event: (ev: any) => void got.push(ev), fail: (e: unknown) => void got.push({ failed: e }), end: () => void got.push("end") };
    while (!(await source.pull(sink)));
    expect(got.at(-1)).toBe("end");
    const events = got.slice(0, -1);
    expect(events.map((e) => e.type).slice(0, 2)).toEqual(["message_start", "content_block_start"]);
    expect(events.at(-1).type).toBe("message_stop");
    expect(events.filter((e) => e.type === "content_block_delta").map((e) => e.delta.text).join("")).toBe("Olá! 你好 — 🚀 fin");
    expect(() => res.body).toThrow(/already read/);

    sim.script({ content: [{ type: "text", text: "Olá! 你好 — 🚀 fin" }] });
    const again = await adapter.messages({ body: JSON.stringify(hello({ stream: true })), betas: [] });
    const sse = await sseEvents(await again.text());
    expect(sse.map((e) => e.data.type)).toEqual(events.map((e) => e.type));
    expect(() => again.anthropicEvents!()).toThrow(/already read/);
  });

  it("carries non-ASCII text intact through base64 and the frames", async () => {
    const { sim, adapter } = setup();
    sim.script({ content: [{ type: "text", text: "Olá! 你好 — 🚀 fin" }] });
    const res = await adapter.messages({ body: JSON.stringify(hello({ stream: true })), betas: [] });
    const events = await sseEvents(await res.text());
    expect(events.filter((e) => e.event === "content_block_delta").map((e) => e.data.delta.text).join("")).toBe("Olá! 你好 — 🚀 fin");
  });

  it("works with temporary credentials (session token) and with a Bedrock API key", async () => {
    const temp = setup({ kind: "sigv4", ...BEDROCK_TEMP_CREDS });
    expect((await temp.adapter.messages({ body: JSON.stringify(hello()), betas: [] })).status).toBe(200);
    const key = setup({ kind: "api_key", apiKey: BEDROCK_API_KEY });
    expect((await key.adapter.messages({ body: JSON.stringify(hello()), betas: [] })).status).toBe(200);
    expect(key.sim.received.at(-1)!.headers.get("authorization")).toBe(`Bearer ${BEDROCK_API_KEY}`);
  });

  it("a wrong secret is refused by the front's own signature check and becomes a 401 naming the settings", async () => {
    const { adapter } = setup({ kind: "sigv4", accessKeyId: BEDROCK_CREDS.accessKeyId, secretAccessKey: "wrong-secret" });
    const res = await adapter.messages({ body: JSON.stringify(hello()), betas: [] });
    expect(res.status).toBe(401);
    const body = (await res.json()) as any;
    expect(body.error.type).toBe("authentication_error");
    expect(body.error.message).toContain("InvalidSignatureException");
    expect(body.error.message).toContain("BEDROCK_ACCESS_KEY_ID");
    expect(body.error.message).not.toContain("wrong-secret");
  });

  it("maps throttling to 429 and unavailability to 529, before and inside the stream", async () => {
    const { sim, adapter } = setup();
    sim.fault(BEDROCK_CREDS.accessKeyId, { status: 429, times: 1 });
    const throttled = await adapter.messages({ body: JSON.stringify(hello()), betas: [] });
    expect(throttled.status).toBe(429);
    expect(((await throttled.json()) as any).error.message).toContain("ThrottlingException");
    sim.fault(BEDROCK_CREDS.accessKeyId, { status: 529, times: 1 });
    expect((await adapter.messages({ body: JSON.stringify(hello()), betas: [] })).status).toBe(529);

    sim.fault(BEDROCK_CREDS.accessKeyId, { kind: "error-mid-stream", afterEvents: 3, errorType: "rate_limit_error", times: 1 });
    const stream = await adapter.messages({ body: JSON.stringify(hello({ stream: true })), betas: [] });
    expect(stream.status).toBe(200);
    const events = await sseEvents(await stream.text());
    const last = events.at(-1)!;
    expect(last.event).toBe("error");
    expect(last.data.error.type).toBe("rate_limit_error");
    expect(last.data.error.message).toContain("throttlingException");
  });

  it("keeps the model's validation message verbatim (400) and names the Bedrock id of an unknown model", async () => {
    const { adapter } = setup();
    const bad = await adapter.messages({ body: JSON.stringify(hello({ messages: [] })), betas: [] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toMatch(/messages/);
    const unknown = await adapter.messages({ body: JSON.stringify(hello({ model: "gpt-4o" })), betas: [] });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.message).toContain("MODEL_MAP");
  });

  it("an access denial names the credential settings (403 → the pool takes the member out)", async () => {
    const { sim, adapter } = setup();
    sim.fault(BEDROCK_CREDS.accessKeyId, { status: 403, times: 1 });
    const res = await adapter.messages({ body: JSON.stringify(hello()), betas: [] });
    expect(res.status).toBe(403);
    const message = ((await res.json()) as any).error.message as string;
    expect(message).toContain("AccessDeniedException");
    expect(message).toContain("global.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(message).toContain("BEDROCK_ACCESS_KEY_ID");
  });
});
