/**
 * The simulator's Bedrock and Vertex fronts, proved faithful with the platforms' own
 * clients, as the Anthropic front is proved with @anthropic-ai/sdk: AWS's
 * BedrockRuntimeClient (its SigV4 signer, its event-stream decoder with CRC checks, its
 * error parsing), Anthropic's Bedrock and Vertex SDKs, and google-auth-library's JWT
 * client for the token endpoint. The simulator is served over real HTTP.
 */
import AnthropicBedrock from "@anthropic-ai/bedrock-sdk";
import { AnthropicVertex } from "@anthropic-ai/vertex-sdk";
import { BedrockRuntimeClient, InvokeModelCommand, InvokeModelWithResponseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { getRequestListener } from "@hono/node-server";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Gaxios } from "gaxios";
import { JWT } from "google-auth-library";
import http, { type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClaudeSimulator } from "../../src/simulator";
import { BEDROCK_API_KEY, BEDROCK_CREDS, BEDROCK_REGION, testServiceAccount, VERTEX_PROJECT, type TestServiceAccount } from "../helpers/platforms";

const GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
const MODEL = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";
let sim: ClaudeSimulator;
let account: TestServiceAccount;
let server: Server;
let base: string;

beforeAll(async () => {
  account = await testServiceAccount(GOOGLE_TOKEN_URI);
  sim = new ClaudeSimulator({
    bedrock: { credentials: [BEDROCK_CREDS], apiKeys: [BEDROCK_API_KEY], region: BEDROCK_REGION },
    vertex: { serviceAccounts: [{ client_email: account.email, publicKey: account.publicKey, projects: [VERTEX_PROJECT] }] },
  });
  server = http.createServer(getRequestListener((req) => sim.fetch(req)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const awsClient = (secretAccessKey = BEDROCK_CREDS.secretAccessKey) =>
  new BedrockRuntimeClient({ region: BEDROCK_REGION, endpoint: base, credentials: { accessKeyId: BEDROCK_CREDS.accessKeyId, secretAccessKey }, maxAttempts: 1, requestHandler: new NodeHttpHandler() });

const invokeBody = (text: string) => JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 200, messages: [{ role: "user", content: text }] });

describe("Bedrock front, through AWS's own BedrockRuntimeClient", () => {
  it("InvokeModel: SigV4 accepted, the Message comes back", async () => {
    const out = await awsClient().send(new InvokeModelCommand({ modelId: MODEL, contentType: "application/json", accept: "application/json", body: invokeBody("Hi from AWS") }));
    const message = JSON.parse(new TextDecoder().decode(out.body));
    expect(message.id).toMatch(/^msg_bdrk_/);
    expect(message.content[0].text).toContain("Hi from AWS");
  });

  it("InvokeModelWithResponseStream: AWS's decoder accepts every frame (CRCs, headers) and yields the Anthropic events", async () => {
    const out = await awsClient().send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL, contentType: "application/json", body: invokeBody("Stream from AWS") }));
    const events: any[] = [];
    for await (const part of out.body!) {
      if (part.chunk?.bytes) events.push(JSON.parse(new TextDecoder().decode(part.chunk.bytes)));
    }
    expect(events[0].type).toBe("message_start");
    expect(events.at(-1).type).toBe("message_stop");
    expect(events.at(-1)["amazon-bedrock-invocationMetrics"].inputTokenCount).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === "content_block_delta").map((e) => e.delta.text).join("")).toContain("Stream from AWS");
  });

  it("errors arrive as AWS's modelled exceptions: throttling over HTTP and inside the stream, a bad signature, a validation error", async () => {
    sim.fault(BEDROCK_CREDS.accessKeyId, { status: 429, times: 1 });
    await expect(awsClient().send(new InvokeModelCommand({ modelId: MODEL, body: invokeBody("x") }))).rejects.toMatchObject({ name: "ThrottlingException", $metadata: { httpStatusCode: 429 } });

    sim.fault(BEDROCK_CREDS.accessKeyId, { kind: "error-mid-stream", afterEvents: 3, errorType: "rate_limit_error", times: 1 });
    const out = await awsClient().send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL, body: invokeBody("x") }));
    const drain = async () => {
      for await (const _ of out.body!) void _;
    };
    await expect(drain()).rejects.toMatchObject({ name: "ThrottlingException" });

    await expect(awsClient("not-the-secret").send(new InvokeModelCommand({ modelId: MODEL, body: invokeBody("x") }))).rejects.toMatchObject({ name: "InvalidSignatureException", $metadata: { httpStatusCode: 403 } });

    const withModel = JSON.stringify({ ...JSON.parse(invokeBody("x")), model: "claude-sonnet-4-5" });
    await expect(awsClient().send(new InvokeModelCommand({ modelId: MODEL, body: withModel }))).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("extraneous key [model]") });
  });
});

// The SDK writes its `anthropic-version` header into the body; its default (2026-10-21) is refused
// by InvokeModel's legacy models (reference §9.3), so clients of InvokeModel pin Bedrock's own.
const LEGACY = { "anthropic-version": "bedrock-2023-05-31" };

describe("Bedrock front, through @anthropic-ai/bedrock-sdk", () => {
  it("messages.create and messages.stream with IAM credentials", async () => {
    const client = new AnthropicBedrock({ awsAccessKey: BEDROCK_CREDS.accessKeyId, awsSecretKey: BEDROCK_CREDS.secretAccessKey, awsRegion: BEDROCK_REGION, baseURL: base, maxRetries: 0, defaultHeaders: LEGACY });
    const message = await client.messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: "user", content: "Hello SDK" }] });
    expect(message.content[0]).toMatchObject({ type: "text", text: expect.stringContaining("Hello SDK") });
    const final = await client.messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: "user", content: "Streamed SDK" }] }).finalMessage();
    expect(final.content[0]).toMatchObject({ type: "text", text: expect.stringContaining("Streamed SDK") });

    const latest = new AnthropicBedrock({ awsAccessKey: BEDROCK_CREDS.accessKeyId, awsSecretKey: BEDROCK_CREDS.secretAccessKey, awsRegion: BEDROCK_REGION, baseURL: base, maxRetries: 0 });
    await expect(latest.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 400 });
  });

  it("with a Bedrock API key", async () => {
    const client = new AnthropicBedrock({ apiKey: BEDROCK_API_KEY, awsRegion: BEDROCK_REGION, baseURL: base, maxRetries: 0, defaultHeaders: LEGACY });
    const message = await client.messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: "user", content: "Key auth" }] });
    expect(message.content[0]).toMatchObject({ type: "text" });
  });
});

describe("Vertex front, through google-auth-library and @anthropic-ai/vertex-sdk", () => {
  it("Google's JWT client gets a token from the front's token endpoint; the Vertex SDK calls rawPredict and streamRawPredict with it", async () => {
    // The token request keeps Google's own URL (the assertion's audience) and is answered in-process by the simulator.
    const transporter = new Gaxios({ fetchImplementation: ((input: any, init: any) => sim.fetch(new Request(input, init))) as typeof fetch });
    const jwt = new JWT({ email: account.email, key: account.privateKeyPem, scopes: ["https://www.googleapis.com/auth/cloud-platform"], transporter });
    const { token } = await jwt.getAccessToken();
    expect(token).toMatch(/^ya29\./);
    expect(sim.received.at(-1)!.path).toBe("/token");

    const client = new AnthropicVertex({ region: "global", projectId: VERTEX_PROJECT, authClient: jwt, baseURL: `${base}/v1`, maxRetries: 0 });
    const message = await client.messages.create({ model: "claude-sonnet-4-5@20250929", max_tokens: 100, messages: [{ role: "user", content: "Hello Vertex SDK" }] });
    expect(message.id).toMatch(/^msg_vrtx_/);
    expect(message.content[0]).toMatchObject({ type: "text", text: expect.stringContaining("Hello Vertex SDK") });
    const final = await client.messages.stream({ model: "claude-sonnet-4-5@20250929", max_tokens: 100, messages: [{ role: "user", content: "Vertex stream" }] }).finalMessage();
    expect(final.content[0]).toMatchObject({ type: "text", text: expect.stringContaining("Vertex stream") });
    expect(sim.received.at(-1)!.path).toMatch(/:streamRawPredict$/);

    const stranger = new AnthropicVertex({ region: "global", projectId: "not-my-project", authClient: jwt, baseURL: `${base}/v1`, maxRetries: 0 });
    await expect(stranger.messages.create({ model: "claude-sonnet-4-5@20250929", max_tokens: 10, messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 403 });
  });

  it("the token endpoint refuses an assertion signed with another key", async () => {
    const other = await testServiceAccount(GOOGLE_TOKEN_URI, account.email);
    const transporter = new Gaxios({ fetchImplementation: ((input: any, init: any) => sim.fetch(new Request(input, init))) as typeof fetch });
    const jwt = new JWT({ email: account.email, key: other.privateKeyPem, scopes: ["https://www.googleapis.com/auth/cloud-platform"], transporter });
    await expect(jwt.getAccessToken()).rejects.toThrow(/Invalid JWT Signature/);
  });
});
