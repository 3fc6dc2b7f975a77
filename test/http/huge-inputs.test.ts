import { describe, expect, it } from "vitest";
import { startGateway, type Gateway } from "../helpers/gateway";

/**
 * No body ever gets a 500. The class behind `{"messages":[1,1,1,…]}` (half a million
 * elements answered 500): a validator that collected one issue per bad element and then
 * copied them with push(...issues), which overflows the call stack, and code that spread
 * a client's array into push(...) or copied a growing list per element. Every array the
 * endpoints validate is tried here with half a million bad elements, and the arrays that
 * may legitimately be long with hundreds of thousands of good ones: a 4xx naming the first
 * bad element (or the upstream's answer), quickly, never a 5xx.
 */

const MODEL = "claude-sonnet-4-5";
const HALF_MILLION = 500_000;
type Json = Record<string, unknown>;

const user = { role: "user", content: "hi" };
const chat = (extra: Json): Json => ({ model: MODEL, max_tokens: 16, messages: [user], ...extra });
const responses = (extra: Json): Json => ({ model: MODEL, max_output_tokens: 16, input: "hi", ...extra });

async function send(gw: Gateway, path: string, body: Json): Promise<{ status: number; text: string; ms: number }> {
  const started = Date.now();
  const res = await gw.fetch(path, { method: "POST", headers: gw.auth(), body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, ms: Date.now() - started };
}

const many = (value: unknown, n = HALF_MILLION) => new Array<unknown>(n).fill(value);

describe("half a million bad elements in any array is a 400 naming the first", () => {
  it.each<[string, string, Json, string]>([
    ["messages of numbers", "/v1/chat/completions", { model: MODEL, messages: many(1) }, "messages[0]"],
    ["messages of empty objects", "/v1/chat/completions", { model: MODEL, messages: many({}) }, "messages[0].role"],
    ["messages of unknown roles", "/v1/chat/completions", { model: MODEL, messages: many({ role: "x" }) }, "messages[0].role"],
    ["messages, the last one bad", "/v1/chat/completions", { model: MODEL, messages: [...many(user, 200_000), 1] }, "messages[200000]"],
    ["content parts of numbers", "/v1/chat/completions", chat({ messages: [{ role: "user", content: many(1) }] }), "messages[0].content[0]"],
    ["tool_calls of numbers", "/v1/chat/completions", chat({ messages: [user, { role: "assistant", content: null, tool_calls: many(1) }] }), "messages[1].tool_calls[0]"],
    ["tools of numbers", "/v1/chat/completions", chat({ tools: many(1) }), "tools[0]"],
    ["functions of numbers", "/v1/chat/completions", chat({ functions: many(1) }), "functions[0]"],
    ["stop of numbers", "/v1/chat/completions", chat({ stop: many(1) }), "stop[0]"],
    ["modalities of numbers", "/v1/chat/completions", chat({ modalities: many(1) }), "modalities[0]"],
    ["input of numbers", "/v1/responses", { model: MODEL, input: many(1) }, "input[0]"],
    ["input of empty objects", "/v1/responses", { model: MODEL, input: many({}) }, "input[0].role"],
    ["input content parts of numbers", "/v1/responses", responses({ input: [{ role: "user", content: many(1) }] }), "input[0].content[0]"],
    ["tools of numbers", "/v1/responses", responses({ tools: many(1) }), "tools[0]"],
  ])("%s on %s", async (_, path, body, param) => {
    const gw = startGateway();
    const { status, text, ms } = await send(gw, path, body);
    expect(status, text.slice(0, 300)).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ error: { type: "invalid_request_error", param } });
    expect(ms).toBeLessThan(5_000);
    expect(gw.sim.received.filter((r) => r.method === "POST")).toEqual([]);
  });

  it.each(["/v1/messages", "/v1/messages/count_tokens"])("messages of numbers on %s: the upstream's 400, passed through", async (path) => {
    const gw = startGateway();
    const { status, text } = await send(gw, path, { model: MODEL, max_tokens: 16, messages: many(1) });
    expect(status, text.slice(0, 300)).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });
});

describe("hundreds of thousands of good elements are no 5xx", () => {
  const parts = (type: string) => many({ type, text: "a" }, 300_000);
  it.each<[string, string, Json]>([
    ["300,000 user content parts", "/v1/chat/completions", chat({ messages: [{ role: "user", content: parts("text") }] })],
    ["300,000 system content parts", "/v1/chat/completions", chat({ messages: [{ role: "system", content: parts("text") }, user] })],
    ["300,000 assistant content parts", "/v1/chat/completions", chat({ messages: [user, { role: "assistant", content: parts("text") }, user] })],
    ["300,000 echoed reasoning_details", "/v1/chat/completions", chat({ messages: [user, { role: "assistant", content: "x", reasoning_details: many({ type: "reasoning.text", text: "t", signature: "s" }, 300_000) }, user] })],
    ["200,000 function_call items", "/v1/responses", responses({ input: [user, ...Array.from({ length: 200_000 }, (_, i) => ({ type: "function_call", call_id: `c${i}`, name: "f", arguments: "{}" }))] })],
    ["300,000 input content parts", "/v1/responses", responses({ input: [{ role: "user", content: parts("input_text") }] })],
  ])("%s on %s", async (_, path, body) => {
    const gw = startGateway();
    const { status, text, ms } = await send(gw, path, body);
    // The simulator refuses a prompt this long or these unanswered calls (a 400 passed on); what matters is no 5xx.
    expect(status, text.slice(0, 300)).toBeLessThan(500);
    expect(JSON.parse(text)).toBeTypeOf("object");
    expect(ms).toBeLessThan(20_000);
  }, 30_000);
});
