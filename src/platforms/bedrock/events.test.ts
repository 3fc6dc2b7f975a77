import { describe, expect, it } from "vitest";
import type { ChunkReader } from "../upstream";
import { anthropicSseEvents, type AnthropicEventSource, type AnthropicStreamEvent, type StreamError } from "../anthropic/events";
import { bedrockStreamToSse } from "./event-stream";
import { bedrockEvents } from "./events";
import { chunk, chunkOf, concat, EVENTS, exception, otherEvent, readerOver, splitEvery } from "./test-support";

type Call = { event: AnthropicStreamEvent } | { fail: StreamError } | { end: true };

/** Every sink call of a source pulled until it says the answer is over, and how many pulls it took. */
async function record(source: AnthropicEventSource): Promise<{ calls: Call[]; pulls: number }> {
  const calls: Call[] = [];
  const sink = { event: (event: AnthropicStreamEvent) => void calls.push({ event }), fail: (fail: StreamError) => void calls.push({ fail }), end: () => void calls.push({ end: true as const }) };
  let pulls = 0;
  while (!(await source.pull(sink))) if (++pulls > 10_000) throw new Error("the source never ended");
  return { calls, pulls: pulls + 1 };
}

/** What the chat core read before: the frames re-framed as SSE, then parsed by the SSE decoder. */
const viaSse = (reader: ChunkReader) => anthropicSseEvents(bedrockStreamToSse(reader, "Amazon Bedrock"));
const direct = (reader: ChunkReader) => bedrockEvents(reader, "Amazon Bedrock");

/**
 * Calls up to the first `fail`: after malformed data the SSE path kept reading the body to its
 * end (and then called `end`, which a failed consumer ignores); the new path stops and releases it.
 */
const untilFail = (calls: Call[]) => {
  const at = calls.findIndex((c) => "fail" in c);
  return at < 0 ? calls : calls.slice(0, at + 1);
};

const errorEvent = (calls: Call[]) => calls.map((c) => ("event" in c && c.event.type === "error" ? c.event.error : null)).find(Boolean);

describe("Bedrock event stream → Anthropic events", () => {
  it("hands over each chunk's event once, in order, whatever the read boundaries (split inside frames and inside UTF-8)", async () => {
    const whole = concat(EVENTS.map(chunk));
    for (const size of [1, 2, 3, 7, 64, whole.length]) {
      const { calls } = await record(direct(readerOver(splitEvery(whole, size))));
      expect(calls).toEqual([...EVENTS.map((event) => ({ event })), { end: true }]);
    }
    // One frame per read, as Bedrock mostly sends them.
    expect((await record(direct(readerOver(EVENTS.map(chunk))))).calls).toEqual([...EVENTS.map((event) => ({ event })), { end: true }]);
  });

  it("decodes UTF-8 that the base64 split across frames' read boundaries (2-, 3- and 4-byte characters)", async () => {
    const text = "é✓🎉".repeat(40);
    const events = [0, 1, 2].map((index) => ({ type: "content_block_delta", index, delta: { type: "text_delta", text: text.slice(index) } }));
    const whole = concat(events.map(chunk));
    for (const size of [1, 5, 11, 333]) {
      const { calls } = await record(direct(readerOver(splitEvery(whole, size))));
      expect(calls.slice(0, 3).map((c) => ("event" in c ? c.event.delta.text : null))).toEqual(events.map((e) => e.delta.text));
    }
  });

  it("is pull-based: one upstream read per pull, none before the first", async () => {
    const source = readerOver(EVENTS.map(chunk));
    const events = direct(source);
    expect(source.reads).toBe(0);
    const { pulls } = await record(events);
    expect(source.reads).toBe(pulls);
  });

  it("turns an exception frame into Anthropic's error event (throttlingException → rate_limit_error) and stops reading", async () => {
    const source = readerOver([concat([chunk(EVENTS[0]), exception("throttlingException", "Too many tokens, please wait before trying again.")]), chunk(EVENTS[1])]);
    const { calls } = await record(direct(source));
    expect(calls).toEqual([
      { event: EVENTS[0] },
      { event: { type: "error", error: { type: "rate_limit_error", message: "Amazon Bedrock stream failed: throttlingException: Too many tokens, please wait before trying again." } } },
      { end: true },
    ]);
    expect(source.cancelled).toBe(true);
    expect(source.reads).toBe(1);
  });

  it("maps each of Bedrock's stream exceptions to Anthropic's error type", async () => {
    const expected = { serviceUnavailableException: "overloaded_error", modelTimeoutException: "timeout_error", validationException: "invalid_request_error", internalServerException: "api_error", modelStreamErrorException: "api_error", somethingNewException: "api_error" };
    for (const [name, type] of Object.entries(expected)) {
      const { calls } = await record(direct(readerOver([exception(name, "why")])));
      expect(errorEvent(calls)).toEqual({ type, message: `Amazon Bedrock stream failed: ${name}: why` });
    }
  });

  it("a corrupted frame (bad CRC) ends the answer with an error after the events before it, never with silent garbage", async () => {
    const bad = chunk(EVENTS[2]);
    bad[bad.length - 10] = bad[bad.length - 10]! ^ 0xff;
    const source = readerOver([concat([chunk(EVENTS[0]), bad]), chunk(EVENTS[3])]);
    const { calls } = await record(direct(source));
    expect(calls[0]).toEqual({ event: EVENTS[0] });
    expect(errorEvent(calls)).toMatchObject({ type: "api_error", message: expect.stringMatching(/^The Amazon Bedrock stream could not be decoded \(.*checksum.*\); the answer is incomplete\.$/) });
    expect(calls.at(-1)).toEqual({ end: true });
    expect(source.cancelled).toBe(true);
  });

  it("a body that ends inside a frame ends the answer with an error", async () => {
    const { calls } = await record(direct(readerOver([chunk(EVENTS[0]), chunk(EVENTS[2]).slice(0, 30)])));
    expect(calls).toEqual([
      { event: EVENTS[0] },
      { event: { type: "error", error: { type: "api_error", message: "The Amazon Bedrock stream ended inside an event-stream frame; the answer is incomplete." } } },
      { end: true },
    ]);
  });

  it("a lost connection fails the answer; an event that is not JSON fails it as malformed", async () => {
    const broken: ChunkReader = { read: async () => Promise.reject(new Error("socket hang up")), cancel: async () => {} };
    expect((await record(direct(broken))).calls).toEqual([{ fail: expect.objectContaining({ type: "upstream_error", message: expect.stringContaining("connection was lost") }) }]);
    const { calls } = await record(direct(readerOver([chunk(EVENTS[0]), chunkOf(new TextEncoder().encode('{"type":"content_block_del')), chunk(EVENTS[3])])));
    expect(calls).toEqual([{ event: EVENTS[0] }, { fail: expect.objectContaining({ type: "upstream_error", message: expect.stringContaining("malformed") }) }]);
  });

  it("delivers exactly what the SSE re-framing delivered to the chat core, in every case", async () => {
    const bad = chunk(EVENTS[1]);
    bad[20] = bad[20]! ^ 0x01;
    const cases: Uint8Array[][] = [
      EVENTS.map(chunk),
      splitEvery(concat(EVENTS.map(chunk)), 5),
      [chunk(EVENTS[0]), otherEvent("metadata"), chunk(EVENTS[1])],
      [concat([chunk(EVENTS[0]), exception("modelStreamErrorException", "boom"), chunk(EVENTS[1])])],
      [chunk(EVENTS[0]), bad, chunk(EVENTS[2])],
      [chunk(EVENTS[0]), chunk(EVENTS[1]).slice(0, 40)],
      [chunk(EVENTS[0]), chunk("[1,2]"), chunk('{"index":0}'), chunk("  {\n  \"type\": \"ping\"\n}")],
      [chunk(EVENTS[0]), chunkOf(new TextEncoder().encode("not json"))],
      [],
    ];
    for (const reads of cases) {
      const before = await record(viaSse(readerOver(reads)));
      const now = await record(direct(readerOver(reads)));
      expect(now.calls).toEqual(untilFail(before.calls));
    }
  });

  it("cancel releases the upstream body", async () => {
    const source = readerOver(EVENTS.map(chunk));
    const events = direct(source);
    events.cancel("client gone");
    expect(source.cancelled).toBe(true);
  });
});
