import { describe, expect, it } from "vitest";
import type { ChunkReader } from "../upstream";
import { bedrockStreamToSse } from "./event-stream";
import { chunk, concat, EVENTS, exception, readerOver } from "./test-support";

async function drain(reader: ChunkReader): Promise<string> {
  const decoder = new TextDecoder();
  let out = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out + decoder.decode();
    out += decoder.decode(value, { stream: true });
  }
}

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
