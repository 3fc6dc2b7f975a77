import { EventStreamCodec } from "@smithy/eventstream-codec";
import { describe, expect, it } from "vitest";
import type { ChunkReader } from "../upstream";
import { bedrockStreamToSse } from "./event-stream";

// Frames made with AWS's own codec, so this test does not lean on the simulator's encoder.
const codec = new EventStreamCodec(
  (b) => new TextDecoder().decode(b),
  (s) => new TextEncoder().encode(s),
);
const str = (value: string) => ({ type: "string" as const, value });

function chunk(event: unknown): Uint8Array {
  const bytes = new TextEncoder().encode(JSON.stringify(event));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return codec.encode({
    headers: { ":event-type": str("chunk"), ":content-type": str("application/json"), ":message-type": str("event") },
    body: new TextEncoder().encode(JSON.stringify({ bytes: btoa(bin), p: "abcdefgh" })),
  });
}

function exception(name: string, message: string): Uint8Array {
  return codec.encode({
    headers: { ":exception-type": str(name), ":content-type": str("application/json"), ":message-type": str("exception") },
    body: new TextEncoder().encode(JSON.stringify({ message })),
  });
}

function readerOver(chunks: Uint8Array[]): ChunkReader & { cancelled: boolean } {
  let i = 0;
  const r = {
    cancelled: false,
    read: async () => (i < chunks.length ? { done: false as const, value: chunks[i++]! } : { done: true as const, value: undefined }),
    cancel: async () => void (r.cancelled = true),
  };
  return r;
}

async function drain(reader: ChunkReader): Promise<string> {
  const decoder = new TextDecoder();
  let out = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out + decoder.decode();
    out += decoder.decode(value, { stream: true });
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const EVENTS = [
  { type: "message_start", message: { id: "msg_bdrk_01", type: "message", role: "assistant", content: [], usage: { input_tokens: 16, output_tokens: 5 } } },
  { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
  { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Olá! ✓" } },
  { type: "content_block_stop", index: 0 },
  { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 7 } },
  { type: "message_stop", "amazon-bedrock-invocationMetrics": { inputTokenCount: 16, outputTokenCount: 7, invocationLatency: 451, firstByteLatency: 433 } },
];

const expectedSse = EVENTS.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join("");

describe("Bedrock event stream → Anthropic SSE", () => {
  it("re-frames each chunk as one SSE event, whatever the read boundaries (split inside frames and inside UTF-8)", async () => {
    const whole = concat(EVENTS.map(chunk));
    for (const size of [1, 7, 64, whole.length]) {
      const parts: Uint8Array[] = [];
      for (let at = 0; at < whole.length; at += size) parts.push(whole.slice(at, at + size));
      expect(await drain(bedrockStreamToSse(readerOver(parts), "Amazon Bedrock"))).toBe(expectedSse);
    }
  });

  it("turns an exception frame into Anthropic's error event and stops reading", async () => {
    const source = readerOver([concat([chunk(EVENTS[0]), exception("throttlingException", "Too many tokens, please wait before trying again.")]), chunk(EVENTS[1])]);
    const out = await drain(bedrockStreamToSse(source, "Amazon Bedrock"));
    const last = out.trim().split("\n\n").at(-1)!;
    expect(last).toMatch(/^event: error\ndata: /);
    const error = JSON.parse(last.split("\ndata: ")[1]!).error;
    expect(error).toEqual({ type: "rate_limit_error", message: "Amazon Bedrock stream failed: throttlingException: Too many tokens, please wait before trying again." });
    expect(out).not.toContain("content_block_start");
    expect(source.cancelled).toBe(true);
  });

  it("a corrupted frame (bad CRC) or a truncated one ends the stream with an error, never with silent garbage", async () => {
    const bad = chunk(EVENTS[2]);
    bad[bad.length - 10] = bad[bad.length - 10]! ^ 0xff;
    const corrupted = await drain(bedrockStreamToSse(readerOver([chunk(EVENTS[0]), bad]), "Amazon Bedrock"));
    expect(corrupted).toContain("event: message_start");
    expect(corrupted).toMatch(/event: error\ndata: .*could not be decoded.*checksum/);

    const truncated = chunk(EVENTS[2]).slice(0, 30);
    const cut = await drain(bedrockStreamToSse(readerOver([chunk(EVENTS[0]), truncated]), "Amazon Bedrock"));
    expect(cut).toMatch(/event: error\ndata: .*ended inside an event-stream frame/);
  });
});
