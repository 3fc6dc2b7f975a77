import { describe, expect, it } from "vitest";
import { ClaudeSimulator } from "./index";
import { BASE, send, userTurn } from "./test-support";

async function errorOf(body: unknown, headers: Record<string, string> = {}, sim = new ClaudeSimulator()) {
  const { status, json, res } = await send(sim, body, headers);
  return { status, type: json.error?.type, message: json.error?.message, json, res };
}

const ok = userTurn("hi");

describe("header checks", () => {
  it("requires an API key, then a known one", async () => {
    const sim = new ClaudeSimulator({ apiKeys: ["sk-ant-good"] });
    const missing = await sim.fetch(new Request(`${BASE}/v1/messages`, { method: "POST", headers: { "anthropic-version": "2023-06-01" }, body: JSON.stringify(ok) }));
    expect(missing.status).toBe(401);
    const body = await missing.json<any>();
    expect(body).toMatchObject({ type: "error", error: { type: "authentication_error", message: "x-api-key header is required" } });
    expect(body.request_id).toBe(missing.headers.get("request-id"));
    expect(missing.headers.get("x-should-retry")).toBe("false");
    expect((await errorOf(ok, { "x-api-key": "sk-ant-bad" }, sim)).message).toBe("invalid x-api-key");
    expect((await errorOf(ok, { "x-api-key": "", authorization: "Bearer sk-ant-good" }, sim)).status).toBe(200);
  });

  it("accepts any sk-ant- key by default and rejects others", async () => {
    expect((await errorOf(ok, { "x-api-key": "not-a-key" })).status).toBe(401);
    expect((await errorOf(ok, { "x-api-key": "sk-ant-whatever" })).status).toBe(200);
  });

  it("checks anthropic-version", async () => {
    const sim = new ClaudeSimulator();
    const res = await sim.fetch(new Request(`${BASE}/v1/messages`, { method: "POST", headers: { "x-api-key": "sk-ant-x" }, body: JSON.stringify(ok) }));
    expect(await res.json()).toMatchObject({ error: { type: "invalid_request_error", message: "anthropic-version: header is required" } });
    expect((await errorOf(ok, { "anthropic-version": "2024-01-01" })).message).toBe('anthropic-version: "2024-01-01" is not a valid version');
    expect((await errorOf(ok, { "anthropic-version": "2026-10-21" })).status).toBe(200);
  });

  it("rejects a body that is not JSON", async () => {
    const res = await new ClaudeSimulator().fetch(new Request(`${BASE}/v1/messages`, { method: "POST", headers: { "x-api-key": "sk-ant-x", "anthropic-version": "2023-06-01", "content-type": "application/json" }, body: "{nope" }));
    expect(res.status).toBe(400);
    expect((await res.json<any>()).error.type).toBe("invalid_request_error");
  });

  it("answers unknown paths with not_found_error", async () => {
    const res = await new ClaudeSimulator().fetch(new Request(`${BASE}/v1/complete`, { method: "POST" }));
    expect(res.status).toBe(404);
    expect((await res.json<any>()).error.type).toBe("not_found_error");
  });
});

describe("body validation messages", () => {
  const cases: Array<[string, unknown, string, number?]> = [
    ["model required", { max_tokens: 10, messages: [{ role: "user", content: "x" }] }, "model: Field required"],
    ["max_tokens required", { model: "claude-sonnet-4-5", messages: [{ role: "user", content: "x" }] }, "max_tokens: Field required"],
    ["messages required", { model: "claude-sonnet-4-5", max_tokens: 10 }, "messages: Field required"],
    ["empty messages", { model: "claude-sonnet-4-5", max_tokens: 10, messages: [] }, "messages: at least one message is required"],
    ["empty text block", { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: [{ type: "text", text: "" }] }] }, "messages: text content blocks must be non-empty"],
    ["empty message content", { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "" }] }, "messages.0: all messages must have non-empty content except for the optional final assistant message"],
    ["whitespace-only text", { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "  \n" }] }, "messages: text content blocks must contain non-whitespace text"],
    ["tool_result without tool_use", { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_X", content: "x" }] }] }, "messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_X. Each `tool_result` block must have a corresponding `tool_use` block in the previous message."],
    ["unknown model", userTurn("x", "claude-3-5-haiku-20241022"), "model: claude-3-5-haiku-20241022", 404],
    ["max_tokens cap", userTurn("x", "claude-sonnet-4-5", { max_tokens: 100000 }), "max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5"],
    ["budget too small", userTurn("x", "claude-sonnet-4-5", { thinking: { type: "enabled", budget_tokens: 500 } }), "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"],
    ["budget not below max_tokens", userTurn("x", "claude-sonnet-4-5", { max_tokens: 2000, thinking: { type: "enabled", budget_tokens: 2000 } }), "`max_tokens` must be greater than `thinking.budget_tokens`."],
    ["forced tool with thinking", userTurn("x", "claude-sonnet-4-5", { max_tokens: 4000, thinking: { type: "enabled", budget_tokens: 1024 }, tools: [{ name: "t", input_schema: { type: "object" } }], tool_choice: { type: "any" } }), "Thinking may not be enabled when tool_choice forces tool use."],
    ["temperature with thinking", userTurn("x", "claude-sonnet-4-5", { max_tokens: 4000, thinking: { type: "enabled", budget_tokens: 1024 }, temperature: 0.5 }), "`temperature` may only be set to 1 when thinking is enabled"],
    // Real wording: quarkiverse/quarkus-langchain4j#1812 (a 2025-09 response body with its request_id).
    ["top_k with thinking", userTurn("x", "claude-sonnet-4-5", { max_tokens: 4000, thinking: { type: "enabled", budget_tokens: 1024 }, top_k: 5 }), "`top_k` must be unset when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#important-considerations-when-using-extended-thinking"],
    ["tool name pattern", userTurn("x", "claude-sonnet-4-5", { tools: [{ name: "ok" , input_schema: {} }, { name: "bad name!", input_schema: {} }] }), "tools.1.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'"],
    ["image media type", { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: [{ type: "text", text: "x" }, { type: "image", source: { type: "base64", media_type: "image/bmp", data: "AAAA" } }] }] }, "messages.0.content.1.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"],
    ["image too large", { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: [{ type: "text", text: "x" }, { type: "text", text: "y" }, { type: "image", source: { type: "base64", media_type: "image/png", data: "A".repeat(5242884) } }] }] }, "messages.0.content.2.image.source.base64: image exceeds 5 MB maximum: 5242884 bytes > 5242880 bytes"],
    ["tool_use without tool_result", { model: "claude-sonnet-4-5", max_tokens: 10, messages: [
      { role: "user", content: "x" },
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_A", name: "t", input: {} }, { type: "tool_use", id: "toolu_B", name: "t", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_A", content: "ok" }] },
    ] }, "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_B. Each `tool_use` block must have a corresponding `tool_result` block in the next message."],
    ["system as a number", { model: "claude-sonnet-4-5", max_tokens: 10, system: 5, messages: [{ role: "user", content: "x" }] }, "system: Input should be a valid string or a valid list"],
    ["system nested 100,000 deep", { model: "claude-sonnet-4-5", max_tokens: 10, system: JSON.parse("[".repeat(100_000) + "]".repeat(100_000)), messages: [{ role: "user", content: "x" }] }, "system.0: Input should be a valid dictionary or object to extract fields from"],
    ["a system block that is not text", { model: "claude-sonnet-4-5", max_tokens: 10, system: [{ type: "image" }], messages: [{ role: "user", content: "x" }] }, "system.0.type: Input should be 'text'"],
    ["a system text block without text", { model: "claude-sonnet-4-5", max_tokens: 10, system: [{ type: "text" }], messages: [{ role: "user", content: "x" }] }, "system.0.text: Field required"],
    ["a content block that is null", { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: [null] }] }, "messages.0.content.0: Input should be a valid dictionary or object to extract fields from"],
    ["a tool that is a number", { model: "claude-sonnet-4-5", max_tokens: 10, tools: [5], messages: [{ role: "user", content: "x" }] }, "tools.0: Input should be a valid dictionary or object to extract fields from"],
    ["too many cache breakpoints", { model: "claude-sonnet-4-5", max_tokens: 10, system: [1, 2, 3].map((i) => ({ type: "text", text: `s${i}`, cache_control: { type: "ephemeral" } })), messages: [{ role: "user", content: [{ type: "text", text: "a", cache_control: { type: "ephemeral" } }, { type: "text", text: "b", cache_control: { type: "ephemeral" } }] }] }, "A maximum of 4 blocks with cache_control may be provided. Found 5."],
  ];
  for (const [name, body, message, status = 400] of cases) {
    it(name, async () => {
      const err = await errorOf(body);
      expect(err.status).toBe(status);
      expect(err.type).toBe(status === 404 ? "not_found_error" : "invalid_request_error");
      expect(err.message).toBe(message);
      expect(err.res.headers.get("x-should-retry")).toBe("false");
    });
  }

  it("rejects sampling parameters under 2026-10-21, even at their defaults", async () => {
    const err = await errorOf(userTurn("x", "claude-sonnet-4-5", { temperature: 1 }), { "anthropic-version": "2026-10-21" });
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^temperature: /);
  });

  it("applies the other 2026-10-21 rules: no documents from the assistant, no citations from the user", async () => {
    const v2026 = { "anthropic-version": "2026-10-21" };
    const doc = { type: "document", source: { type: "text", media_type: "text/plain", data: "d" } };
    const fromAssistant = { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "x" }, { role: "assistant", content: [doc] }, { role: "user", content: "y" }] };
    expect((await errorOf(fromAssistant)).status).toBe(200);
    expect((await errorOf(fromAssistant, v2026)).status).toBe(400);
    const cited = { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: [{ type: "text", text: "x", citations: [{ type: "char_location", cited_text: "x" }] }] }] };
    expect((await errorOf(cited)).status).toBe(200);
    expect((await errorOf(cited, v2026)).status).toBe(400);
  });

  it("checks effort levels against the model", async () => {
    expect((await errorOf(userTurn("x", "claude-opus-4-8", { output_config: { effort: "xhigh" } }))).status).toBe(200);
    expect((await errorOf(userTurn("x", "claude-opus-4-6", { output_config: { effort: "xhigh" } }))).status).toBe(400);
    expect((await errorOf(userTurn("x", "claude-opus-4-8", { output_config: { effort: "extreme" } }))).status).toBe(400);
  });

  it("rejects a prompt longer than the context window", async () => {
    const err = await errorOf(userTurn("x".repeat(900_000), "claude-haiku-4-5"));
    expect(err.message).toMatch(/^prompt is too long: \d+ tokens > 200000 maximum$/);
  });

  it("needs the files beta header under 2023-06-01 to reference a file", async () => {
    const body = { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: [{ type: "document", source: { type: "file", file_id: "file_nope" } }, { type: "text", text: "x" }] }] };
    expect((await errorOf(body)).message).toMatch(/^messages\.0\.content\.0\.document\.source: Input tag 'file'/);
    expect((await errorOf(body, { "anthropic-beta": "files-api-2025-04-14" })).message).toBe("messages.0.content.0.document.source.file_id: File not found: file_nope");
  });
});
