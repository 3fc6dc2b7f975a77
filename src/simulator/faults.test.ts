import { describe, expect, it } from "vitest";
import { ClaudeSimulator } from "./index";
import { messagesRequest, parseSse, send, userTurn } from "./test-support";

const body = userTurn("hello");

describe("fault injection", () => {
  it("429 carries retry-after, x-should-retry and the rate_limit_error body; times counts down", async () => {
    const sim = new ClaudeSimulator();
    sim.fault("*", { status: 429, retryAfterSeconds: 7, times: 2 });
    for (let i = 0; i < 2; i++) {
      const { status, json, res } = await send(sim, body);
      expect(status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("7");
      expect(res.headers.get("x-should-retry")).toBe("true");
      expect(json).toMatchObject({ type: "error", error: { type: "rate_limit_error" }, request_id: res.headers.get("request-id") });
      // The real message (reference §4), naming the organization of anthropic-organization-id.
      const org = res.headers.get("anthropic-organization-id");
      expect(json.error.message).toBe(
        `This request would exceed the rate limit for your organization (${org}) of 80,000 input tokens per minute. For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.`,
      );
    }
    expect((await send(sim, body)).status).toBe(200);
  });

  it("applies to one key only, before validation, until cleared", async () => {
    const sim = new ClaudeSimulator();
    sim.fault("sk-ant-bad", { status: 529 });
    const other = await send(sim, body);
    expect(other.status).toBe(200);
    const hit = await send(sim, { nonsense: true }, { "x-api-key": "sk-ant-bad" });
    expect(hit.status).toBe(529);
    expect(hit.json.error).toEqual({ type: "overloaded_error", message: "Overloaded" });
    expect((await send(sim, body, { "x-api-key": "sk-ant-bad" })).status).toBe(529);
    sim.clearFaults();
    expect((await send(sim, body, { "x-api-key": "sk-ant-bad" })).status).toBe(200);
  });

  it("maps statuses to Anthropic error types", async () => {
    const sim = new ClaudeSimulator();
    const expected: Array<[500 | 504 | 403 | 413, string, string]> = [[500, "api_error", "true"], [504, "timeout_error", "true"], [403, "permission_error", "false"], [413, "request_too_large", "false"]];
    for (const [status, type, retry] of expected) {
      sim.fault("*", { status, message: "custom", times: 1 });
      const res = await send(sim, body);
      expect([res.status, res.json.error.type, res.json.error.message, res.res.headers.get("x-should-retry")]).toEqual([status, type, "custom", retry]);
    }
  });

  it("auth still comes first", async () => {
    const sim = new ClaudeSimulator();
    sim.fault("*", { status: 500 });
    expect((await send(sim, body, { "x-api-key": "nope" })).status).toBe(401);
  });

  it("network: fetch rejects with a TypeError", async () => {
    const sim = new ClaudeSimulator();
    sim.fault("*", { kind: "network", times: 1 });
    await expect(sim.fetch(messagesRequest(body))).rejects.toBeInstanceOf(TypeError);
    expect((await send(sim, body)).status).toBe(200);
  });

  it("error-mid-stream: an error event after N events and no message_stop", async () => {
    const sim = new ClaudeSimulator();
    sim.fault("*", { kind: "error-mid-stream", afterEvents: 3, times: 1 });
    const res = await sim.fetch(messagesRequest({ ...body, stream: true }));
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual(["message_start", "content_block_start", "ping", "error"]);
    // The shape of real mid-stream errors: anthropics/claude-code#302, nick1udwig/kibitz#145.
    expect(events[3]!.data).toEqual({ type: "error", error: { details: null, type: "overloaded_error", message: "Overloaded" } });
  });

  it("mid-stream faults wait for a streaming request", async () => {
    const sim = new ClaudeSimulator();
    sim.fault("*", { kind: "drop-mid-stream", afterEvents: 2, times: 1 });
    expect((await send(sim, body)).status).toBe(200);
    const res = await sim.fetch(messagesRequest({ ...body, stream: true }));
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    await expect((async () => { for (;;) { const r = await reader.read(); if (r.done) return; text += decoder.decode(r.value); } })()).rejects.toBeInstanceOf(TypeError);
    expect(parseSse(text).map((e) => e.event)).toEqual(["message_start", "content_block_start"]);
  });

  it("delay waits before answering and honours the abort signal", async () => {
    const sim = new ClaudeSimulator();
    sim.fault("*", { kind: "delay", ms: 40, times: 1 });
    const started = Date.now();
    expect((await send(sim, body)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    sim.fault("*", { kind: "delay", ms: 10_000, times: 1 });
    const controller = new AbortController();
    const pending = sim.fetch(new Request(messagesRequest(body), { signal: controller.signal }));
    setTimeout(() => controller.abort(), 10);
    const aborted = Date.now();
    await expect(pending).rejects.toBeDefined();
    expect(Date.now() - aborted).toBeLessThan(1000);
  });
});
