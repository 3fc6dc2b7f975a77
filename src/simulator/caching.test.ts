import { describe, expect, it } from "vitest";
import { ClaudeSimulator } from "./index";
import { send } from "./test-support";

const longSystem = "You are a meticulous assistant. ".repeat(200); // ~1600 tokens

function request(model: string, question: string, ttl?: "1h") {
  return {
    model, max_tokens: 100,
    system: [{ type: "text", text: longSystem, cache_control: ttl ? { type: "ephemeral", ttl } : { type: "ephemeral" } }],
    messages: [{ role: "user", content: question }],
  };
}

describe("prompt caching", () => {
  it("writes the prefix once, then reads it, leaving only the rest as input_tokens", async () => {
    const sim = new ClaudeSimulator();
    const first = (await send(sim, request("claude-sonnet-4-5", "first question"))).json.usage;
    expect(first.cache_creation_input_tokens).toBeGreaterThan(1024);
    expect(first.cache_read_input_tokens).toBe(0);
    expect(first.cache_creation).toEqual({ ephemeral_5m_input_tokens: first.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 });
    const second = (await send(sim, request("claude-sonnet-4-5", "a different question"))).json.usage;
    expect(second.cache_read_input_tokens).toBe(first.cache_creation_input_tokens);
    expect(second.cache_creation_input_tokens).toBe(0);
    expect(second.input_tokens).toBeLessThan(20);
    const total = (u: any) => u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens;
    expect(total(second)).toBe(total(first) + Math.ceil("a different question".length / 4) - Math.ceil("first question".length / 4));
  });

  it("keeps caches per API key and bills 1h writes separately", async () => {
    const sim = new ClaudeSimulator();
    await send(sim, request("claude-sonnet-4-5", "q", "1h"));
    const other = (await send(sim, request("claude-sonnet-4-5", "q", "1h"), { "x-api-key": "sk-ant-other" })).json.usage;
    expect(other.cache_read_input_tokens).toBe(0);
    expect(other.cache_creation.ephemeral_1h_input_tokens).toBe(other.cache_creation_input_tokens);
    expect(other.cache_creation_input_tokens).toBeGreaterThan(0);
  });

  it("does not cache a prefix shorter than the model's minimum", async () => {
    const sim = new ClaudeSimulator();
    // ~1600 tokens: enough for Sonnet 4.5 (1024) but not for Haiku 4.5 (4096).
    const usage = (await send(sim, request("claude-haiku-4-5", "q"))).json.usage;
    expect(usage.cache_creation_input_tokens).toBe(0);
    expect((await send(sim, request("claude-haiku-4-5", "q"))).json.usage.cache_read_input_tokens).toBe(0);
  });

  it("a changed prefix misses", async () => {
    const sim = new ClaudeSimulator();
    await send(sim, request("claude-sonnet-4-5", "q"));
    const changed = request("claude-sonnet-4-5", "q");
    changed.system[0]!.text += " Also be brief.";
    expect((await send(sim, changed)).json.usage.cache_read_input_tokens).toBe(0);
  });
});
