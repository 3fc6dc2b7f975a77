import { describe, expect, it } from "vitest";
import { ClaudeSimulator } from "./index";
import { send } from "./test-support";

const tools = [{ name: "get_weather", input_schema: { type: "object", properties: { location: { type: "string" } }, required: ["location"] } }];
const first = { role: "user", content: "Use get_weather for Paris" };

async function toolTurn(sim: ClaudeSimulator, model: string, thinking: Record<string, unknown>) {
  const { json } = await send(sim, { model, max_tokens: 4000, thinking, tools, messages: [first] });
  expect(json.stop_reason).toBe("tool_use");
  return json;
}

function continuation(model: string, thinking: Record<string, unknown>, assistantContent: any[]) {
  const toolUse = assistantContent.find((b) => b.type === "tool_use");
  return {
    model, max_tokens: 4000, thinking, tools,
    messages: [first, { role: "assistant", content: assistantContent }, { role: "user", content: [{ type: "tool_result", tool_use_id: toolUse.id, content: "18°C" }] }],
  };
}

describe("signed thinking round trip", () => {
  for (const [model, thinking] of [["claude-sonnet-4-5", { type: "enabled", budget_tokens: 1024 }], ["claude-opus-4-8", { type: "adaptive" }]] as const) {
    it(`${model}: the blocks as returned are accepted`, async () => {
      const sim = new ClaudeSimulator();
      const answer = await toolTurn(sim, model, thinking);
      expect(answer.content[0].type).toBe("thinking");
      const { status, json } = await send(sim, continuation(model, thinking, answer.content));
      expect(status).toBe(200);
      expect(json.content.at(-1).text).toBe("The tool get_weather returned: 18°C");
    });
  }

  it("thinks again after a tool result only when thinking is interleaved", async () => {
    const sim = new ClaudeSimulator();
    const enabled = { type: "enabled", budget_tokens: 1024 };
    const answer = await toolTurn(sim, "claude-sonnet-4-5", enabled);
    const plain = await send(sim, continuation("claude-sonnet-4-5", enabled, answer.content));
    expect(plain.json.content.map((b: any) => b.type)).toEqual(["text"]);
    const interleaved = await send(sim, continuation("claude-sonnet-4-5", enabled, answer.content), { "anthropic-beta": "interleaved-thinking-2025-05-14" });
    expect(interleaved.json.content.map((b: any) => b.type)).toEqual(["thinking", "text"]);
  });

  it("altered thinking text in the latest assistant message is refused as modified", async () => {
    const sim = new ClaudeSimulator();
    const answer = await toolTurn(sim, "claude-sonnet-4-5", { type: "enabled", budget_tokens: 1024 });
    answer.content[0].thinking += " (edited)";
    const { status, json } = await send(sim, continuation("claude-sonnet-4-5", { type: "enabled", budget_tokens: 1024 }, answer.content));
    expect(status).toBe(400);
    // Real wording: anthropics/claude-code#63404, #13007 (recorded bodies with their request_id).
    expect(json.error).toEqual({
      type: "invalid_request_error",
      message: "messages.1.content.0: `thinking` or `redacted_thinking` blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.",
    });
  });

  it("a signature that was never issued is an invalid signature", async () => {
    const sim = new ClaudeSimulator();
    const answer = await toolTurn(sim, "claude-sonnet-4-5", { type: "enabled", budget_tokens: 1024 });
    answer.content[0].signature = "RXZJRENrWUlCaEdDc2lnbmF0dXJlLW5vdC1pc3N1ZWQ=";
    const { status, json } = await send(sim, continuation("claude-sonnet-4-5", { type: "enabled", budget_tokens: 1024 }, answer.content));
    expect(status).toBe(400);
    // Real wording: ding113/claude-code-hub#518 (a recorded 400 with its request_id).
    expect(json.error).toEqual({ type: "invalid_request_error", message: "messages.1.content.0: Invalid `signature` in `thinking` block" });
  });

  it("a signature from another simulator (a forgery) fails", async () => {
    const other = await toolTurn(new ClaudeSimulator(), "claude-sonnet-4-5", { type: "enabled", budget_tokens: 1024 });
    const { status } = await send(new ClaudeSimulator(), continuation("claude-sonnet-4-5", { type: "enabled", budget_tokens: 1024 }, other.content));
    expect(status).toBe(400);
  });

  it("a tool loop without the thinking block fails with the documented message", async () => {
    const sim = new ClaudeSimulator();
    const answer = await toolTurn(sim, "claude-opus-4-8", { type: "adaptive" });
    const withoutThinking = answer.content.filter((b: any) => b.type !== "thinking");
    const { status, json } = await send(sim, continuation("claude-opus-4-8", { type: "adaptive" }, withoutThinking));
    expect(status).toBe(400);
    expect(json.error.message).toBe(
      "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `text`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking",
    );
    const onlyToolUse = answer.content.filter((b: any) => b.type === "tool_use");
    const second = await send(sim, continuation("claude-opus-4-8", { type: "adaptive" }, onlyToolUse));
    expect(second.json.error.message).toMatch(/^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`\./);
  });

  it("the same loop without thinking turned on needs no thinking block", async () => {
    const sim = new ClaudeSimulator();
    const answer = await toolTurn(sim, "claude-opus-4-8", { type: "adaptive" });
    const withoutThinking = answer.content.filter((b: any) => b.type !== "thinking");
    const { status } = await send(sim, { ...continuation("claude-opus-4-8", { type: "adaptive" }, withoutThinking), thinking: undefined });
    expect(status).toBe(200);
  });

  it("omitted thinking round-trips with its empty text", async () => {
    const sim = new ClaudeSimulator();
    const thinking = { type: "adaptive", display: "omitted" };
    const answer = await toolTurn(sim, "claude-opus-4-8", thinking);
    expect(answer.content[0]).toMatchObject({ type: "thinking", thinking: "" });
    expect((await send(sim, continuation("claude-opus-4-8", thinking, answer.content))).status).toBe(200);
  });

  it("scripted redacted thinking is accepted back, invented redacted data is not", async () => {
    const sim = new ClaudeSimulator();
    sim.script({ content: [{ type: "redacted_thinking" }, { type: "tool_use", name: "get_weather", input: { location: "Paris" } }] });
    const answer = await toolTurn(sim, "claude-opus-4-8", { type: "adaptive" });
    expect(answer.content[0].data).toEqual(expect.any(String));
    expect((await send(sim, continuation("claude-opus-4-8", { type: "adaptive" }, answer.content))).status).toBe(200);
    answer.content[0].data = "Zm9yZ2Vk";
    expect((await send(sim, continuation("claude-opus-4-8", { type: "adaptive" }, answer.content))).status).toBe(400);
  });
});
