import { describe, expect, it } from "vitest";
import { postChat, startGateway } from "../helpers/gateway";
import { chat, NEWER, OLDER } from "../helpers/chat-calls";

// Reasoning controls in, through the HTTP surface: what the simulator received for each
// control on each model kind, and that it accepted it (chat() fails on anything but 200).
const ask = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: "user", content: "Think about it" }], ...extra });

describe("reasoning_effort", () => {
  it.each([
    ["minimal", 1024],
    ["low", 2048],
    ["medium", 8192],
    ["high", 16384],
    ["xhigh", 32000],
  ])("%s on the older model → enabled thinking with budget %i", async (effort, budget) => {
    const gw = startGateway();
    const { sent, json } = await chat(gw, ask(OLDER, { reasoning_effort: effort }));
    expect(sent.thinking).toEqual({ type: "enabled", budget_tokens: budget });
    expect(sent.max_tokens).toBeGreaterThan(budget);
    expect(sent.output_config?.effort).toBeUndefined();
    expect(json.choices[0].message.reasoning_content).toBeTruthy();
  });

  it.each([
    ["minimal", "low"],
    ["low", "low"],
    ["medium", "medium"],
    ["high", "high"],
    ["xhigh", "xhigh"],
    ["max", "max"],
  ])("%s on the newer model → adaptive thinking with effort %s", async (effort, level) => {
    const gw = startGateway();
    const { sent, json } = await chat(gw, ask(NEWER, { reasoning_effort: effort }));
    // The newer models default display to omitted; the gateway asks for the summary so there is something to show.
    expect(sent.thinking).toEqual({ type: "adaptive", display: "summarized" });
    expect(sent.output_config).toEqual({ effort: level });
    expect(json.choices[0].message.reasoning_content).toBeTruthy();
  });

  it.each([OLDER, NEWER])("none on %s → thinking disabled, no effort", async (model) => {
    const gw = startGateway();
    const { sent, json } = await chat(gw, ask(model, { reasoning_effort: "none" }));
    expect(sent.thinking).toEqual({ type: "disabled" });
    expect(sent.output_config).toBeUndefined();
    expect(json.choices[0].message.reasoning_content).toBeUndefined();
  });
});

describe("the -think model suffix", () => {
  it("turns budget thinking on for the older model, and the answer keeps the name asked for", async () => {
    const gw = startGateway();
    const { sent, json } = await chat(gw, ask(`${OLDER}-think`));
    expect(sent.model).toBe(OLDER);
    expect(sent.thinking).toEqual({ type: "enabled", budget_tokens: 16384 });
    expect(json.model).toBe(`${OLDER}-think`);
  });

  it("turns adaptive thinking on for the newer model, at the model's default effort", async () => {
    const gw = startGateway();
    const { sent } = await chat(gw, ask(`${NEWER}-think`));
    expect(sent.model).toBe(NEWER);
    expect(sent.thinking).toEqual({ type: "adaptive", display: "summarized" });
    expect(sent.output_config).toBeUndefined();
  });

  it("wins over a body that says none (the user picked a thinking model; the body is often a client default), which may still tune the amount", async () => {
    const gw = startGateway();
    const none = await chat(gw, ask(`${OLDER}-think`, { reasoning_effort: "none" }));
    expect(none.sent.thinking).toEqual({ type: "enabled", budget_tokens: 16384 });
    const low = await chat(gw, ask(`${NEWER}-think`, { reasoning_effort: "low" }));
    expect(low.sent.thinking.type).toBe("adaptive");
    expect(low.sent.output_config).toEqual({ effort: "low" });
  });
});

describe("a raw Anthropic thinking object", () => {
  it("keeps an enabled budget on the older model and turns it into an effort on the newer one", async () => {
    const gw = startGateway();
    const older = await chat(gw, ask(OLDER, { thinking: { type: "enabled", budget_tokens: 5000 } }));
    expect(older.sent.thinking).toEqual({ type: "enabled", budget_tokens: 5000 });
    // budget_tokens is refused by adaptive-only models: never sent to them.
    const newer = await chat(gw, ask(NEWER, { thinking: { type: "enabled", budget_tokens: 5000 } }));
    expect(newer.sent.thinking).toEqual({ type: "adaptive", display: "summarized" });
    expect(newer.sent.output_config).toEqual({ effort: "medium" });
  });

  it("{type: adaptive} on the older model becomes an enabled budget", async () => {
    const gw = startGateway();
    const { sent } = await chat(gw, ask(OLDER, { thinking: { type: "adaptive" } }));
    expect(sent.thinking).toEqual({ type: "enabled", budget_tokens: 16384 });
  });

  it.each([OLDER, NEWER])("LobeChat's {type: disabled, budget_tokens: 0} turns thinking off on %s", async (model) => {
    const gw = startGateway();
    const { sent } = await chat(gw, ask(model, { thinking: { type: "disabled", budget_tokens: 0 } }));
    expect(sent.thinking).toEqual({ type: "disabled" });
  });
});

describe("OpenRouter's reasoning object", () => {
  it.each([
    [{ effort: "high" }, { type: "enabled", budget_tokens: 16384 }, { effort: "high" }],
    [{ max_tokens: 3000 }, { type: "enabled", budget_tokens: 3000 }, { effort: "low" }],
    [{ enabled: true }, { type: "enabled", budget_tokens: 16384 }, undefined],
  ])("%j → older %j, newer adaptive with output_config %j", async (reasoning, olderThinking, newerConfig) => {
    const gw = startGateway();
    expect((await chat(gw, ask(OLDER, { reasoning }))).sent.thinking).toEqual(olderThinking);
    const newer = await chat(gw, ask(NEWER, { reasoning }));
    expect(newer.sent.thinking).toEqual({ type: "adaptive", display: "summarized" });
    expect(newer.sent.output_config).toEqual(newerConfig);
  });

  it("{enabled: false} and {effort: none} turn thinking off", async () => {
    const gw = startGateway();
    expect((await chat(gw, ask(NEWER, { reasoning: { enabled: false } }))).sent.thinking).toEqual({ type: "disabled" });
    expect((await chat(gw, ask(OLDER, { reasoning: { effort: "none" } }))).sent.thinking).toEqual({ type: "disabled" });
  });

  it("exclude: true thinks but shows nothing, and lets the newer model omit the summary", async () => {
    const gw = startGateway();
    const newer = await chat(gw, ask(NEWER, { reasoning: { effort: "low", exclude: true } }));
    expect(newer.sent.thinking).toEqual({ type: "adaptive", display: "omitted" });
    expect(newer.json.choices[0].message.reasoning_content).toBeUndefined();
    const older = await chat(gw, ask(OLDER, { reasoning: { effort: "low", exclude: true } }));
    expect(older.sent.thinking.type).toBe("enabled");
    expect(older.json.choices[0].message.reasoning_content).toBeUndefined();
    expect(older.json.choices[0].message.content).not.toContain("<think>");
  });
});

describe("max_tokens and the thinking budget", () => {
  it("shrinks the budget under a client's small max_tokens, and keeps the client's limit", async () => {
    const gw = startGateway();
    const { sent } = await chat(gw, ask(OLDER, { reasoning_effort: "high", max_tokens: 2000 }));
    expect(sent.max_tokens).toBe(2000);
    expect(sent.thinking).toEqual({ type: "enabled", budget_tokens: 1500 });
  });

  it("turns thinking off, with a header, when the limit leaves no room for the 1024 minimum", async () => {
    const gw = startGateway();
    const { sent, res } = await chat(gw, ask(OLDER, { reasoning_effort: "high", max_completion_tokens: 1000 }));
    expect(sent.thinking).toEqual({ type: "disabled" });
    expect(sent.max_tokens).toBe(1000);
    expect(res.headers.get("x-claude2api-thinking")).toBe("off-this-turn");
  });
});

describe("sampling is shaped to what the model accepts", () => {
  const sampling = { temperature: 0.5, top_p: 0.9, top_k: 40 };

  it("older model, no thinking: temperature and top_k kept, top_p dropped (temperature OR top_p)", async () => {
    const gw = startGateway();
    const { sent } = await chat(gw, ask(OLDER, sampling));
    expect(sent).toMatchObject({ temperature: 0.5, top_k: 40 });
    expect(sent.top_p).toBeUndefined();
  });

  it("older model: OpenAI's temperature 2 is clamped to Claude's 1", async () => {
    const gw = startGateway();
    expect((await chat(gw, ask(OLDER, { temperature: 2 }))).sent.temperature).toBe(1);
  });

  it("older model, thinking: temperature, top_k and a low top_p dropped; a top_p ≥ 0.95 kept", async () => {
    const gw = startGateway();
    const low = await chat(gw, ask(OLDER, { ...sampling, reasoning_effort: "low" }));
    for (const f of ["temperature", "top_p", "top_k"]) expect(low.sent).not.toHaveProperty(f);
    const high = await chat(gw, ask(OLDER, { top_p: 0.97, top_k: 5, reasoning_effort: "low" }));
    expect(high.sent.top_p).toBe(0.97);
    expect(high.sent).not.toHaveProperty("top_k");
  });

  it.each([{}, { reasoning_effort: "high" }])("newer model %j: no sampling field is ever sent", async (extra) => {
    const gw = startGateway();
    const { sent } = await chat(gw, ask(NEWER, { ...sampling, temperature: 0.2, ...extra }));
    for (const f of ["temperature", "top_p", "top_k"]) expect(sent).not.toHaveProperty(f);
  });

  it("NextChat's temperature + top_p 1 on every request is accepted by both kinds, thinking or not", async () => {
    const gw = startGateway();
    for (const model of [OLDER, NEWER, `${OLDER}-think`, `${NEWER}-think`]) {
      expect((await postChat(gw, ask(model, { temperature: 0.7, top_p: 1 }))).status).toBe(200);
    }
  });
});

describe("a forced tool_choice with thinking", () => {
  const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } } }];

  it.each([
    [OLDER, "required", { type: "any" }],
    [NEWER, "required", { type: "any" }],
    [OLDER, { type: "function", function: { name: "lookup" } }, { type: "tool", name: "lookup" }],
    [NEWER, { type: "function", function: { name: "lookup" } }, { type: "tool", name: "lookup" }],
  ])("%s, tool_choice %j: the forced call wins, thinking is off for the turn and the header says so", async (model, toolChoice, anthropicChoice) => {
    const gw = startGateway();
    const { sent, res, json } = await chat(gw, ask(model, { tools, tool_choice: toolChoice, reasoning_effort: "high" }));
    expect(sent.tool_choice).toEqual(anthropicChoice);
    expect(sent.thinking).toEqual({ type: "disabled" });
    expect(sent.output_config).toBeUndefined();
    expect(res.headers.get("x-claude2api-thinking")).toBe("off-this-turn");
    expect(json.choices[0].finish_reason).toBe("tool_calls");
  });

  it("tool_choice auto keeps thinking on", async () => {
    const gw = startGateway();
    const { sent, res } = await chat(gw, ask(NEWER, { tools, tool_choice: "auto", reasoning_effort: "high" }));
    expect(sent.thinking.type).toBe("adaptive");
    expect(res.headers.get("x-claude2api-thinking")).toBeNull();
  });
});
