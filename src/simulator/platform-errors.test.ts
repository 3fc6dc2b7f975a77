import { describe, expect, it } from "vitest";
import { ClaudeSimulator } from "./index";

/**
 * Errors of the Bedrock and Vertex fronts, in each platform's envelope and with the words
 * the real platforms were recorded using (sources beside each assertion).
 */
const BEDROCK_KEY = "ABSKdGVzdC1iZWRyb2NrLWtleQ==";
const PROJECT = "sim-project";
const EMAIL = "sim@sim-project.iam.gserviceaccount.com";
const TOKEN_URL = "https://oauth2.googleapis.com/token";

const b64url = (bytes: Uint8Array | string) => {
  const raw = typeof bytes === "string" ? bytes : String.fromCharCode(...bytes);
  return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

async function vertexSimulator(): Promise<{ sim: ClaudeSimulator; token: string }> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const sim = new ClaudeSimulator({ vertex: { serviceAccounts: [{ client_email: EMAIL, publicKey: pair.publicKey, projects: [PROJECT] }] } });
  const now = Math.floor(Date.now() / 1000);
  const head = b64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const claims = b64url(JSON.stringify({ iss: EMAIL, aud: TOKEN_URL, scope: "https://www.googleapis.com/auth/cloud-platform", iat: now, exp: now + 3600 }));
  const signature = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", pair.privateKey, new TextEncoder().encode(`${head}.${claims}`)));
  const form = new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: `${head}.${claims}.${b64url(signature)}` });
  const res = await sim.fetch(new Request(TOKEN_URL, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } }));
  const { access_token } = (await res.json()) as { access_token: string };
  return { sim, token: access_token };
}

async function rawPredict(sim: ClaudeSimulator, token: string, body: unknown) {
  const url = `https://aiplatform.googleapis.com/v1/projects/${PROJECT}/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`;
  const res = await sim.fetch(new Request(url, { method: "POST", body: JSON.stringify(body), headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }));
  return { status: res.status, json: (await res.json()) as any };
}

async function invoke(sim: ClaudeSimulator, body: unknown) {
  const url = `https://bedrock-runtime.us-east-1.amazonaws.com/model/${encodeURIComponent("global.anthropic.claude-sonnet-4-5-20250929-v1:0")}/invoke`;
  const res = await sim.fetch(new Request(url, { method: "POST", body: JSON.stringify(body), headers: { authorization: `Bearer ${BEDROCK_KEY}`, "content-type": "application/json" } }));
  return { status: res.status, errorType: res.headers.get("x-amzn-errortype"), json: (await res.json()) as any };
}

const fileDocument = { role: "user", content: [{ type: "document", source: { type: "file", file_id: "file_011CNha8iCJcU1wXNR6q4V8w" } }, { type: "text", text: "Summarise" }] };
// The schema's refusal of a tool type it lacks lists every other tag, sorted. The list is
// the one a real Vertex 400 gave (coder/xum#2922), without the web tools.
const OTHER_TAGS = "'bash_20250124', 'custom', 'memory_20250818', 'text_editor_20250124', 'text_editor_20250429', 'text_editor_20250728', 'tool_search_tool_bm25', 'tool_search_tool_bm25_20251119', 'tool_search_tool_regex', 'tool_search_tool_regex_20251119'";

describe("Vertex front errors", () => {
  it("keeps Anthropic's envelope for the model's own 400s, with a req_vrtx_ request_id in the body", async () => {
    const { sim, token } = await vertexSimulator();
    const { status, json } = await rawPredict(sim, token, { anthropic_version: "vertex-2023-10-16", max_tokens: 10, messages: [] });
    expect(status).toBe(400);
    expect(json).toEqual({ type: "error", error: { type: "invalid_request_error", message: "messages: at least one message is required" }, request_id: expect.stringMatching(/^req_vrtx_011C[0-9A-Za-z]{20}$/) });
  });

  it("has no Files API: a file source is refused by the schema's tagged union", async () => {
    const { sim, token } = await vertexSimulator();
    const { status, json } = await rawPredict(sim, token, { anthropic_version: "vertex-2023-10-16", max_tokens: 10, messages: [fileDocument] });
    expect(status).toBe(400);
    // Anthropic's own wording for a source type its schema lacks, with the block's path.
    expect(json.error.message).toBe("messages.0.content.0.document.source: Input tag 'file' found using 'type' does not match any of the expected tags: 'base64', 'content', 'text', 'url'");
  });
});

describe("Bedrock front errors", () => {
  const sim = new ClaudeSimulator({ bedrock: { apiKeys: [BEDROCK_KEY] } });
  const base = { anthropic_version: "bedrock-2023-05-31", max_tokens: 10 };

  it("refuses web search and web fetch with the schema's words, as a ValidationException", async () => {
    for (const type of ["web_search_20250305", "web_fetch_20250910"]) {
      const name = type.startsWith("web_search") ? "web_search" : "web_fetch";
      const res = await invoke(sim, { ...base, tools: [{ name: "t", input_schema: { type: "object" } }, { type, name }], messages: [{ role: "user", content: "hi" }] });
      expect(res.status).toBe(400);
      expect(res.errorType).toMatch(/^ValidationException:/);
      // AWS's body is {"message"} only; the message is Anthropic's (Bedrock passes the model's
      // validation through, e.g. anomalyco/opencode#15715).
      expect(res.json).toEqual({ message: `tools.1: Input tag '${type}' found using 'type' does not match any of the expected tags: ${OTHER_TAGS}` });
    }
  });

  it("has no Files API: a file source is refused by the schema's tagged union", async () => {
    const res = await invoke(sim, { ...base, messages: [fileDocument] });
    expect(res.status).toBe(400);
    expect(res.errorType).toMatch(/^ValidationException:/);
    expect(res.json.message).toBe("messages.0.content.0.document.source: Input tag 'file' found using 'type' does not match any of the expected tags: 'base64', 'content', 'text', 'url'");
  });

  it("refuses keys outside its closed schema with the JSON-schema validator's words", async () => {
    const res = await invoke(sim, { ...base, stream: true, messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(400);
    expect(res.errorType).toMatch(/^ValidationException:/);
    // Recorded for a Claude body on InvokeModel: sigoden/aichat#543 (same text, `stream`).
    expect(res.json).toEqual({ message: 'Malformed input request: #: subject must not be valid against schema {"required":["messages"]}#: extraneous key [stream] is not permitted, please reformat your input and try again.' });
    // Real (boto/boto3#4218): a version that is not Bedrock's.
    const version = await invoke(sim, { ...base, anthropic_version: "2023-06-01", messages: [{ role: "user", content: "hi" }] });
    expect(version.json).toEqual({ message: "Invalid API version: 2023-06-01" });
  });

  it("passes the Messages API's own 400s through verbatim", async () => {
    const res = await invoke(sim, { ...base, messages: [{ role: "user", content: [{ type: "text", text: "" }] }] });
    expect(res.status).toBe(400);
    // Recorded from Bedrock: anomalyco/opencode#15715, continuedev/continue#11045.
    expect(res.json).toEqual({ message: "messages: text content blocks must be non-empty" });
  });
});
