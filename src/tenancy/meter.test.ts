import { describe, expect, it } from "vitest";
import { ClaudeSimulator } from "../simulator";
import { meterBody, type Metered } from "./meter";

const sim = new ClaudeSimulator({ streamDelayMs: 1 });
const ask = (stream: boolean, text = "Tell me a story about metering, at some length.") =>
  sim.fetch("https://api.anthropic.com/v1/messages", {
    method: "POST",
    headers: { "x-api-key": "sk-ant-meter-test", "anthropic-version": "2023-06-01", "content-type": "application/json" },
    body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 400, stream, messages: [{ role: "user", content: text }] }),
  });

function metered(res: Response, kind: "json" | "sse") {
  let result: Metered | undefined;
  let calls = 0;
  const body = meterBody(res.body!, kind, 200, (m) => {
    calls++;
    result = m;
  });
  return { body, get result() {
    return result;
  }, get calls() {
    return calls;
  } };
}

describe("meterBody", () => {
  it("passes a stream through byte for byte and reports the upstream's final usage", async () => {
    const [a, b] = (await ask(true)).body!.tee();
    const m = metered(new Response(a), "sse");
    const [out, plain] = await Promise.all([new Response(m.body).text(), new Response(b).text()]);
    expect(out).toBe(plain);
    const finalUsage = JSON.parse(plain.split("\n").filter((l) => l.startsWith("data:") && l.includes('"message_delta"')).at(-1)!.slice(5)).usage;
    expect(m.calls).toBe(1);
    expect(m.result).toMatchObject({ end: "complete", estimated: false, model: "claude-sonnet-4-5" });
    expect(m.result!.usage.output_tokens).toBe(finalUsage.output_tokens);
    expect(m.result!.usage.input_tokens).toBeGreaterThan(0);
  });

  it("reports a JSON message's usage", async () => {
    const res = await ask(false);
    const m = metered(res, "json");
    const msg = (await new Response(m.body).json()) as { usage: { input_tokens: number; output_tokens: number } };
    expect(m.result).toMatchObject({ end: "complete", estimated: false, usage: { input_tokens: msg.usage.input_tokens, output_tokens: msg.usage.output_tokens } });
  });

  it("settles an aborted stream once, with the input the upstream reported and an estimated output", async () => {
    const m = metered(await ask(true, "Write a long story. ".repeat(20)), "sse");
    const reader = m.body.getReader();
    let seen = "";
    while (!seen.includes("content_block_delta") || seen.split("content_block_delta").length < 4) seen += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel("client gone");
    expect(m.calls).toBe(1);
    expect(m.result).toMatchObject({ end: "aborted", estimated: true });
    expect(m.result!.usage.input_tokens).toBeGreaterThan(0);
    expect(m.result!.usage.output_tokens).toBeGreaterThan(0);
  });

  it("estimates from the request when the stream broke before the upstream said anything", async () => {
    const broken = new ReadableStream<Uint8Array>({
      pull(c) {
        c.error(new Error("connection reset"));
      },
    });
    let result: Metered | undefined;
    const body = meterBody(broken, "sse", 400, (m) => void (result = m));
    await expect(new Response(body).text()).rejects.toThrow();
    expect(result).toEqual({ end: "failed", estimated: true, model: undefined, usage: { input_tokens: 100, output_tokens: 0 } });
  });
});
