import { describe, expect, it } from "vitest";
import { parseChatRequest, formatPath } from "./schema";
import { GatewayError } from "../errors";

function badRequest(body: unknown): GatewayError {
  try {
    parseChatRequest(body);
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError);
    return e as GatewayError;
  }
  throw new Error("expected a 400");
}

const ok = { model: "claude-sonnet-4-5", messages: [{ role: "user", content: "hi" }] };

describe("parseChatRequest", () => {
  it("accepts a minimal request", () => {
    const req = parseChatRequest(ok);
    expect(req.model).toBe("claude-sonnet-4-5");
    expect(req.messages).toEqual([{ role: "user", content: "hi" }]);
  });

  it("ignores unknown top-level fields and unknown keys on messages and parts (Open WebUI custom params)", () => {
    const req = parseChatRequest({
      ...ok,
      min_p: 0.05,
      seed: 42,
      presence_penalty: 0.5,
      frequency_penalty: 0.1,
      logit_bias: { "50256": -100 },
      service_tier: "auto",
      store: true,
      metadata: { a: "b" },
      verbosity: "low",
      prompt_cache_key: "k",
      extra_body: { x: 1 },
      enabledContextCaching: true,
      custom_thing: { nested: [1, 2] },
      prediction: { type: "content", content: "x" },
      messages: [{ role: "user", content: [{ type: "text", text: "hi", prompt_cache_breakpoint: { mode: "explicit" } }], foo: 1 }],
    });
    expect(req.messages[0]).toEqual({ role: "user", content: [{ type: "text", text: "hi" }] });
    expect("min_p" in req).toBe(false);
  });

  it("treats null as absent for optional fields", () => {
    const req = parseChatRequest({ ...ok, max_tokens: null, stop: null, tools: null, temperature: null, n: null });
    expect(req.max_tokens).toBeNull();
  });

  it("accepts NextChat's assistant tool_calls without content and a tool message with name", () => {
    const req = parseChatRequest({
      model: "claude-sonnet-4-5",
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", tool_calls: [{ id: "call_1", type: "function", function: { name: "w", arguments: "{}" } }] },
        { name: "w", role: "tool", content: "sunny", tool_call_id: "call_1" },
      ],
    });
    expect(req.messages).toHaveLength(3);
  });

  it("keeps cache_control on parts and echoed reasoning on assistant messages", () => {
    const req = parseChatRequest({
      model: "m",
      messages: [
        { role: "system", content: [{ type: "text", text: "sys", cache_control: { type: "ephemeral", ttl: "1h" } }] },
        { role: "assistant", content: "x", reasoning_details: [{ type: "reasoning.text", text: "t", signature: "s" }] },
        { role: "user", content: "y" },
      ],
    });
    expect(req.messages[0]).toMatchObject({ content: [{ cache_control: { type: "ephemeral", ttl: "1h" } }] });
    expect(req.messages[1]).toMatchObject({ reasoning_details: [{ signature: "s" }] });
  });

  it("does not fail on malformed echoed reasoning_details (ignored)", () => {
    const req = parseChatRequest({ model: "m", messages: [{ role: "assistant", content: "x", reasoning_details: "junk" }, { role: "user", content: "y" }] });
    expect(req.messages[0]).not.toHaveProperty("reasoning_details", "junk");
  });

  it.each([
    [{ messages: ok.messages }, "model", "model: is required"],
    [{ model: 5, messages: ok.messages }, "model", "model: expected a string, got number 5"],
    [{ model: "m" }, "messages", "messages: is required"],
    [{ model: "m", messages: [] }, "messages", "messages: must contain at least 1 item"],
    [{ model: "m", messages: "hi" }, "messages", "messages: expected an array, got string \"hi\""],
    [
      { model: "m", messages: [{ role: "user", content: "a" }, { role: "bot", content: "b" }] },
      "messages[1].role",
      'messages[1].role: unknown role "bot"; expected system, developer, user, assistant or tool',
    ],
    [{ model: "m", messages: [{ content: "b" }] }, "messages[0].role", "messages[0].role: role is required; expected system, developer, user, assistant or tool"],
    [
      { model: "m", messages: [{ role: "user", content: [{ type: "text", text: "a" }, { type: "audio" }] }] },
      "messages[0].content[1].type",
      'messages[0].content[1].type: unknown type "audio"; expected text, image_url, file, refusal, input_audio or video_url',
    ],
    [
      { model: "m", messages: [{ role: "user", content: [{ type: "text", text: 3 }] }] },
      "messages[0].content[0].text",
      "messages[0].content[0].text: expected a string, got number 3",
    ],
    [
      { model: "m", messages: [{ role: "user", content: 5 }] },
      "messages[0].content",
      "messages[0].content: expected a string, null or an array, got number 5",
    ],
    [
      { model: "m", messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "x", format: "wav" } }] }] },
      "messages[0].content[0].type",
      "messages[0].content[0].type: input_audio parts are not supported: Claude does not accept audio input",
    ],
    [
      { model: "m", messages: [{ role: "tool", content: "r" }] },
      "messages[0].tool_call_id",
      "messages[0].tool_call_id: is required",
    ],
    [{ ...ok, n: 2 }, "n", "n: only n=1 is supported (Claude returns one choice), got 2"],
    [{ ...ok, logprobs: true }, "logprobs", "logprobs: Claude does not return log probabilities"],
    [{ ...ok, top_logprobs: 3 }, "top_logprobs", "top_logprobs: Claude does not return log probabilities"],
    [{ ...ok, modalities: ["text", "audio"] }, "modalities", 'modalities: "audio" output is not supported; Claude answers with text only'],
    [{ ...ok, temperature: "hot" }, "temperature", 'temperature: expected a number, got string "hot"'],
    [{ ...ok, reasoning_effort: "extreme" }, "reasoning_effort", "reasoning_effort"],
    [{ ...ok, tool_choice: "sometimes" }, "tool_choice", "tool_choice"],
  ])("rejects %j with param %s", (body, param, message) => {
    const e = badRequest(body);
    expect(e.status).toBe(400);
    expect(e.param).toBe(param);
    expect(e.message.startsWith(message)).toBe(true);
  });

  it("rejects a body that is not an object", () => {
    expect(badRequest([1, 2]).message).toMatch(/JSON object/);
    expect(badRequest("x").status).toBe(400);
  });

  it("accepts n=1, logprobs false and text-only modalities", () => {
    expect(() => parseChatRequest({ ...ok, n: 1, logprobs: false, top_logprobs: 0, modalities: ["text"] })).not.toThrow();
  });

  it("quotes a huge value by its opening and length, not whole", () => {
    const huge = "x".repeat(1_000_000);
    for (const [body, param] of [
      [{ ...ok, temperature: huge }, "temperature"],
      [{ model: "m", messages: [{ role: huge, content: "a" }] }, "messages[0].role"],
      [{ model: "m", messages: [{ role: "user", content: [{ type: huge }] }] }, "messages[0].content[0].type"],
    ] as const) {
      const e = badRequest(body);
      expect(e.param).toBe(param);
      expect(e.message.length).toBeLessThan(400);
      expect(e.message).toContain("(1000000 characters)");
    }
  });

  it("bounds the model id at 256 characters", () => {
    expect(() => parseChatRequest({ ...ok, model: "m".repeat(256) })).not.toThrow();
    const e = badRequest({ ...ok, model: "m".repeat(257) });
    expect(e.param).toBe("model");
    expect(e.message).toBe("model: must be at most 256 characters, got 257");
  });

  it("calls a record an object", () => {
    const e = badRequest({ ...ok, tools: [{ type: "function", function: { name: "f", parameters: "{}" } }] });
    expect(e.message).toBe('tools[0].function.parameters: expected an object, got string "{}"');
  });
});

describe("formatPath", () => {
  it("renders array indexes in brackets", () => {
    expect(formatPath(["messages", 2, "content", 0, "image_url", "url"])).toBe("messages[2].content[0].image_url.url");
    expect(formatPath([])).toBe("");
  });
});
