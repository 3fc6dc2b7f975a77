import { describe, expect, it } from "vitest";
import { postChat, readSse, startGateway, UPSTREAM_KEYS, type Gateway } from "../helpers/gateway";
import { chat, messagesBodies, NEWER, OLDER } from "../helpers/chat-calls";
import { TieredThinkingStore } from "../../src/thinking/store";

// Signed thinking across turns when the gateway's store cannot help: lost entries
// degrade to one turn without thinking; blocks echoed by the client are used.
const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
const question = { role: "user", content: "Weather in Paris? Use get_weather." };

/** Another deployment, or an isolate that restarted: the store no longer has this gateway's entries. */
function loseStore(gw: Gateway) {
  gw.deps.thinking = new TieredThinkingStore(undefined);
}

async function firstTurn(gw: Gateway, model: string) {
  const { json } = await chat(gw, { model, messages: [question], tools, reasoning_effort: "high" });
  const message = json.choices[0].message;
  expect(message.tool_calls).toHaveLength(1);
  const call = message.tool_calls[0];
  return [question, { role: "assistant", content: message.content, tool_calls: message.tool_calls }, { role: "tool", tool_call_id: call.id, content: "Sunny" }];
}

describe("the store lost its entry: thinking off for that turn, never a 400", () => {
  it.each([OLDER, NEWER])("non-stream on %s", async (model) => {
    const gw = startGateway();
    const history = await firstTurn(gw, model);
    loseStore(gw);
    const { res, json, sent } = await chat(gw, { model, messages: history, tools, reasoning_effort: "high" });
    expect(res.headers.get("x-claude2api-thinking")).toBe("off-this-turn");
    expect(sent.thinking).toEqual({ type: "disabled" });
    expect(sent.output_config).toBeUndefined();
    expect(sent.messages[1].content.some((b: any) => b.type === "thinking")).toBe(false);
    expect(json.choices[0].message.content).toContain("Sunny");
    expect(gw.logs.some((l) => l.event === "thinking_dropped")).toBe(true);
  });

  it("stream: the header is on the stream response, and the stream completes", async () => {
    const gw = startGateway();
    const history = await firstTurn(gw, NEWER);
    loseStore(gw);
    const res = await postChat(gw, { model: NEWER, messages: history, tools, reasoning_effort: "high", stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-claude2api-thinking")).toBe("off-this-turn");
    const { events } = await readSse(res);
    expect(events[events.length - 1]).toBe("[DONE]");
    expect(JSON.stringify(events)).toContain("Sunny");
  });

  it("a history from elsewhere (unknown ids, only unsigned reasoning_content) degrades the same way", async () => {
    const gw = startGateway();
    const { res, sent } = await chat(gw, {
      model: `${OLDER}-think`,
      tools,
      messages: [
        question,
        { role: "assistant", content: null, reasoning_content: "I should call the tool.", tool_calls: [{ id: "call_from_elsewhere", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
        { role: "tool", tool_call_id: "call_from_elsewhere", content: "Sunny" },
      ],
    });
    expect(res.headers.get("x-claude2api-thinking")).toBe("off-this-turn");
    expect(sent.thinking).toEqual({ type: "disabled" });
  });

  it("the next user turn starts a new loop with thinking back on", async () => {
    const gw = startGateway();
    const history = await firstTurn(gw, OLDER);
    loseStore(gw);
    const { json } = await chat(gw, { model: OLDER, messages: history, tools, reasoning_effort: "high" });
    const next = [...history, { role: "assistant", content: json.choices[0].message.content }, { role: "user", content: "Thanks! And tomorrow?" }];
    const { res, sent } = await chat(gw, { model: OLDER, messages: next, tools, reasoning_effort: "high" });
    expect(res.headers.get("x-claude2api-thinking")).toBeNull();
    expect(sent.thinking).toEqual({ type: "enabled", budget_tokens: 16384 });
  });
});

describe("signed thinking echoed by the client is used", () => {
  /** A tool-calling answer with signed thinking, straight from the simulator (as another gateway would have relayed it). */
  async function signedTurn(gw: Gateway, redacted = false) {
    if (redacted) gw.sim.script({ content: [{ type: "redacted_thinking" }, { type: "tool_use", name: "get_weather", input: { city: "Paris" } }] });
    const res = await gw.sim.fetch(
      new Request("http://sim.test/v1/messages", {
        method: "POST",
        headers: { "x-api-key": UPSTREAM_KEYS[0]!, "anthropic-version": "2023-06-01", "content-type": "application/json" },
        body: JSON.stringify({
          model: NEWER,
          max_tokens: 4000,
          thinking: { type: "adaptive" },
          tools: [{ name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
          messages: [{ role: "user", content: "Weather in Paris? Use get_weather." }],
        }),
      }),
    );
    expect(res.status).toBe(200);
    const msg = (await res.json()) as any;
    const use = msg.content.find((b: any) => b.type === "tool_use");
    const thinking = msg.content.filter((b: any) => b.type === "thinking" || b.type === "redacted_thinking");
    expect(thinking.length).toBeGreaterThan(0);
    return { use, thinking };
  }

  const history = (use: any, echo: Record<string, unknown>) => [
    question,
    { role: "assistant", content: null, tool_calls: [{ id: use.id, type: "function", function: { name: use.name, arguments: JSON.stringify(use.input) } }], ...echo },
    { role: "tool", tool_call_id: use.id, content: "Sunny" },
  ];

  it.each([
    ["reasoning_details (OpenRouter)", (t: any[]) => ({ reasoning_details: t.map((b) => ({ type: "reasoning.text", text: b.thinking, signature: b.signature })) })],
    ["thinking_blocks (LiteLLM)", (t: any[]) => ({ thinking_blocks: t })],
  ])("%s", async (_name, echo) => {
    const gw = startGateway();
    const { use, thinking } = await signedTurn(gw);
    const { res, sent } = await chat(gw, { model: NEWER, tools, reasoning_effort: "high", messages: history(use, echo(thinking)) });
    expect(res.headers.get("x-claude2api-thinking")).toBeNull();
    expect(sent.thinking.type).toBe("adaptive");
    expect(sent.messages[1].content[0]).toEqual(thinking[0]);
  });

  it("redacted thinking echoed as reasoning.encrypted", async () => {
    const gw = startGateway();
    const { use, thinking } = await signedTurn(gw, true);
    const echo = { reasoning_details: [{ type: "reasoning.encrypted", data: thinking[0].data }] };
    const { res, sent } = await chat(gw, { model: NEWER, tools, reasoning_effort: "high", messages: history(use, echo) });
    expect(res.headers.get("x-claude2api-thinking")).toBeNull();
    expect(sent.messages[1].content[0]).toEqual({ type: "redacted_thinking", data: thinking[0].data });
  });
});
