import { describe, expect, it } from "vitest";
import type { AnthropicMessageParam, AnthropicRequest } from "../platforms/anthropic/types";
import { ClaudeSimulator } from "../simulator";
import { parseContextOverflow, trimForContext } from "./context-trim";

const words = (n: number, seed: number) => Array.from({ length: n }, (_, i) => `w${seed}-${i}`).join(" ");

function conversation(turns: number): AnthropicMessageParam[] {
  const out: AnthropicMessageParam[] = [];
  for (let t = 1; t <= turns; t++) {
    out.push({ role: "user", content: `question ${t}: ${words(100, t)}` });
    if (t % 3 === 0) {
      out.push({ role: "assistant", content: [{ type: "tool_use", id: `toolu_${t}`, name: "lookup", input: { q: t } }] });
      out.push({ role: "user", content: [{ type: "tool_result", tool_use_id: `toolu_${t}`, content: words(100, t) }] });
    }
    out.push({ role: "assistant", content: `answer ${t}: ${words(100, -t)}` });
  }
  out.push({ role: "user", content: "and now?" });
  return out;
}

describe("parseContextOverflow", () => {
  it("reads Anthropic's message, with or without thousands separators", () => {
    expect(parseContextOverflow("prompt is too long: 205000 tokens > 200000 maximum")).toEqual({ promptTokens: 205000, maxTokens: 200000 });
    expect(parseContextOverflow("prompt is too long: 1,205,000 tokens > 1,000,000 maximum")).toEqual({ promptTokens: 1205000, maxTokens: 1000000 });
    expect(parseContextOverflow("max_tokens: 100000 > 64000")).toBeUndefined();
  });
});

describe("trimForContext", () => {
  const body: AnthropicRequest = { model: "m", max_tokens: 10, system: "keep me", messages: conversation(30) };

  it("keeps system, the first turn and the latest turn, and never orphans a tool pair", () => {
    const out = trimForContext(body, { promptTokens: 30000, maxTokens: 15000 })!;
    expect(out.removedMessages).toBeGreaterThan(0);
    expect(out.body.system).toBe("keep me");
    expect(out.body.messages[0]).toBe(body.messages[0]);
    expect(out.body.messages.at(-1)).toEqual({ role: "user", content: "and now?" });
    expect(out.body.messages.length).toBe(body.messages.length - out.removedMessages);
    const ids = (kind: "tool_use" | "tool_result") =>
      out.body.messages.flatMap((m) => (typeof m.content === "string" ? [] : m.content)).flatMap((b) => (b.type === kind ? [b.type === "tool_use" ? b.id : b.tool_use_id] : []));
    expect(ids("tool_use").sort()).toEqual(ids("tool_result").sort());
    // The gap is announced to the model where it happens.
    expect(JSON.stringify(out.body.messages)).toContain(`${out.removedMessages} earlier messages were left out`);
  });

  it("removes more when the overflow is larger, and roughly enough", () => {
    const small = trimForContext(body, { promptTokens: 21000, maxTokens: 20000 })!;
    const large = trimForContext(body, { promptTokens: 40000, maxTokens: 20000 })!;
    expect(large.removedMessages).toBeGreaterThan(small.removedMessages);
    const share = (b: AnthropicRequest) => JSON.stringify(b.messages).length;
    expect(share(large.body) / share(body)).toBeLessThan(0.5);
  });

  it("gives up when only the first and the latest turn are left", () => {
    const tiny: AnthropicRequest = { model: "m", max_tokens: 10, messages: [{ role: "user", content: "a" }, { role: "assistant", content: "b" }, { role: "user", content: "c" }] };
    expect(trimForContext(tiny, { promptTokens: 300000, maxTokens: 200000 })).toBeUndefined();
  });

  it("produces a body the simulator accepts", async () => {
    const out = trimForContext({ ...body, model: "claude-sonnet-4-5" }, { promptTokens: 30000, maxTokens: 15000 })!;
    const res = await new ClaudeSimulator().fetch(new Request("https://api.anthropic.test/v1/messages", {
      method: "POST",
      headers: { "x-api-key": "sk-ant-trim", "anthropic-version": "2023-06-01", "content-type": "application/json" },
      body: JSON.stringify(out.body),
    }));
    expect(res.status).toBe(200);
  });
});
