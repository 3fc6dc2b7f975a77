import { describe, expect, it } from "vitest";
import type { AnthropicContentBlockParam, AnthropicMessageParam, AnthropicRequest, AnthropicTextBlockParam } from "../platforms/anthropic/types";
import { ClaudeSimulator } from "../simulator";
import { applyCacheBreakpoints, MAX_CACHE_BREAKPOINTS } from "./cache-breakpoints";

/** Every cache_control in render order, as "where:ttl". */
function breakpoints(body: AnthropicRequest): string[] {
  const out: string[] = [];
  const see = (where: string, b: unknown) => {
    const cc = (b as { cache_control?: { ttl?: string } }).cache_control;
    if (cc) out.push(`${where}:${cc.ttl ?? "5m"}`);
  };
  (body.tools ?? []).forEach((t, i) => see(`tool${i}`, t));
  if (Array.isArray(body.system)) body.system.forEach((b, i) => see(`system${i}`, b));
  body.messages.forEach((m, i) => {
    if (typeof m.content === "string") return;
    m.content.forEach((b, j) => {
      see(`m${i}.${j}`, b);
      if (b.type === "tool_result" && Array.isArray(b.content)) b.content.forEach((x, k) => see(`m${i}.${j}.${k}`, x));
    });
  });
  return out;
}

const tool = (name: string) => ({ name, input_schema: { type: "object" as const } });
const text = (t: string, cc?: { ttl?: "5m" | "1h" }): AnthropicTextBlockParam => ({ type: "text", text: t, ...(cc ? { cache_control: { type: "ephemeral" as const, ...cc } } : {}) });

function chat(turns: number): AnthropicMessageParam[] {
  const messages: AnthropicMessageParam[] = [];
  for (let t = 0; t < turns; t++) {
    if (t) messages.push({ role: "assistant", content: `answer ${t}` });
    messages.push({ role: "user", content: `question ${t + 1}` });
  }
  return messages;
}

describe("applyCacheBreakpoints", () => {
  it("marks tools, system, the previous user turn and the end of the conversation", () => {
    const body: AnthropicRequest = { model: "m", max_tokens: 5, tools: [tool("a"), tool("b")], system: "You are helpful.", messages: chat(3) };
    const out = applyCacheBreakpoints(body, { enabled: true });
    expect(breakpoints(out)).toEqual(["tool1:5m", "system0:5m", "m2.0:5m", "m4.0:5m"]);
    // String content became one text block; the input is not modified.
    expect(out.messages[4]!.content).toEqual([{ type: "text", text: "question 3", cache_control: { type: "ephemeral" } }]);
    expect(body.messages[4]!.content).toBe("question 3");
    expect(out.messages[1]).toBe(body.messages[1]);
  });

  it("adds nothing when disabled and returns the same body", () => {
    const body: AnthropicRequest = { model: "m", max_tokens: 5, system: "s", messages: chat(2) };
    expect(applyCacheBreakpoints(body, { enabled: false })).toBe(body);
  });

  it("keeps client breakpoints with their ttl and counts them against the limit", () => {
    const body: AnthropicRequest = {
      model: "m", max_tokens: 5, tools: [tool("a")],
      system: [text("sys", { ttl: "1h" })],
      messages: [{ role: "user", content: [text("q1", {})] }, { role: "assistant", content: "a1" }, { role: "user", content: [text("q2", {})] }],
    };
    const out = applyCacheBreakpoints(body, { enabled: true });
    // Roo-style: system + last two user turns from the client; one slot left, for the tools.
    // A breakpoint before a client 1h one must be 1h too.
    expect(breakpoints(out)).toEqual(["tool0:1h", "system0:1h", "m0.0:5m", "m2.0:5m"]);
  });

  it("never exceeds four: extra client breakpoints are dropped from the earliest", () => {
    const body: AnthropicRequest = {
      model: "m", max_tokens: 5,
      system: [text("s1", {}), text("s2", {})],
      messages: [{ role: "user", content: [text("a", {}), text("b", {}), text("c", {}), text("d", {})] }],
    };
    for (const enabled of [true, false]) {
      const out = applyCacheBreakpoints(body, { enabled });
      expect(breakpoints(out)).toEqual(["m0.0:5m", "m0.1:5m", "m0.2:5m", "m0.3:5m"]);
    }
  });

  it("skips blocks that cannot carry cache_control: thinking and empty text", () => {
    const body: AnthropicRequest = {
      model: "m", max_tokens: 5,
      messages: [
        { role: "user", content: "q" },
        { role: "assistant", content: [{ type: "thinking", thinking: "hmm", signature: "sig" }, { type: "tool_use", id: "t1", name: "f", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "ok" }, { type: "text", text: " " }] },
      ],
    };
    const out = applyCacheBreakpoints(body, { enabled: true });
    expect(breakpoints(out)).toEqual(["m0.0:5m", "m2.0:5m"]);
  });

  it("uses the configured 1h ttl, but not after a client 5m breakpoint", () => {
    const plain: AnthropicRequest = { model: "m", max_tokens: 5, system: "s", messages: chat(1) };
    expect(breakpoints(applyCacheBreakpoints(plain, { enabled: true, ttl: "1h" }))).toEqual(["system0:1h", "m0.0:1h"]);
    const withClient: AnthropicRequest = { model: "m", max_tokens: 5, system: [text("s", {})], messages: chat(1) };
    expect(breakpoints(applyCacheBreakpoints(withClient, { enabled: true, ttl: "1h" }))).toEqual(["system0:5m", "m0.0:5m"]);
  });

  it("respects a top-level cache_control as one breakpoint on the last block", () => {
    const body: AnthropicRequest = { model: "m", max_tokens: 5, system: "s", messages: chat(2), cache_control: { type: "ephemeral" } };
    const out = applyCacheBreakpoints(body, { enabled: true });
    expect(breakpoints(out)).toEqual(["system0:5m", "m0.0:5m"]);
    expect(breakpoints(out).length + 1).toBeLessThanOrEqual(MAX_CACHE_BREAKPOINTS);
  });
});

describe("a 20-turn chat on the simulator", () => {
  const SYSTEM = Array.from({ length: 600 }, (_, i) => `Rule ${i}: be precise and kind.`).join("\n"); // ~4,000 tokens

  async function run(enabled: boolean) {
    const sim = new ClaudeSimulator();
    const messages: AnthropicMessageParam[] = [];
    let read = 0, written = 0, uncached = 0;
    for (let turn = 1; turn <= 20; turn++) {
      messages.push({ role: "user", content: `Question ${turn}: ${"tell me more about the rules. ".repeat(20)}` });
      const body = applyCacheBreakpoints({ model: "claude-sonnet-4-5", max_tokens: 50, system: SYSTEM, messages: [...messages] }, { enabled });
      const res = await sim.fetch(new Request("https://api.anthropic.test/v1/messages", {
        method: "POST",
        headers: { "x-api-key": "sk-ant-cache-test", "anthropic-version": "2023-06-01", "content-type": "application/json" },
        body: JSON.stringify(body),
      }));
      expect(res.status).toBe(200);
      const answer = (await res.json()) as { content: { type: string; text?: string }[]; usage: { input_tokens: number; cache_read_input_tokens: number | null; cache_creation_input_tokens: number | null } };
      read += answer.usage.cache_read_input_tokens ?? 0;
      written += answer.usage.cache_creation_input_tokens ?? 0;
      uncached += answer.usage.input_tokens;
      messages.push({ role: "assistant", content: answer.content.filter((b) => b.type === "text").map((b) => b.text).join("") || "ok" });
    }
    return { read, written, uncached, billed: uncached + 0.1 * read + 1.25 * written, total: read + written + uncached };
  }

  it("is billed mostly at cache-read rates with automatic breakpoints", async () => {
    const cached = await run(true);
    const plain = await run(false);
    expect(cached.read / cached.total).toBeGreaterThan(0.8);
    expect(plain.read).toBe(0);
    expect(cached.billed).toBeLessThan(0.2 * plain.billed);
  });
});
