import type { ChunkReader } from "../upstream";
import type { AnthropicErrorType } from "../anthropic-shaped";
import { LOST, MALFORMED, type AnthropicEventSink, type AnthropicEventSource, type AnthropicStreamEvent } from "../anthropic/events";
import { latin1, readFrame, splitFrames, truncatedMessage, undecodableMessage, utf8Decoder } from "./frames";
import { concatBytes } from "../../bytes";

/**
 * Bedrock's streaming answer as Anthropic stream events, for the chat renderers: frame →
 * AWS codec (CRC checked) → base64 → one JSON.parse → the sink. The same events, in the
 * same order, with the same errors, as its re-framing as SSE (event-stream.ts) read by
 * anthropicSseEvents, without writing SSE text only to split and parse it again.
 *
 * A failure Bedrock reports in the stream (an exception frame: throttlingException →
 * rate_limit_error, …), a frame that fails its checks, or a body that ends mid-frame, is
 * delivered as Anthropic's `error` event, as the SSE path delivers it; a lost connection
 * or an event that is not JSON fails the sink, as anthropicSseEvents does. Pull-based: one
 * upstream read per pull, when the consumer asks.
 */
export function bedrockEvents(source: ChunkReader, label: string): AnthropicEventSource {
  let pending: Uint8Array | null = null;
  let finished = false;

  /** The answer ends with Bedrock's (or the decoder's) error, as Anthropic's error event. */
  const failWith = (sink: AnthropicEventSink, type: AnthropicErrorType, message: string): true => {
    finished = true;
    source.cancel().catch(() => {});
    sink.event({ type: "error", error: { type, message } });
    sink.end();
    return true;
  };

  return {
    async pull(sink) {
      if (finished) {
        sink.end();
        return true;
      }
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await source.read();
      } catch {
        finished = true;
        sink.fail(LOST);
        return true;
      }
      if (result.done) {
        finished = true;
        if (pending) {
          pending = null;
          return failWith(sink, "api_error", truncatedMessage(label));
        }
        sink.end();
        return true;
      }

      // Frames are decoded first and the events handed over after, so that a fault of the
      // consumer is never reported as an undecodable stream.
      const buf = pending ? concatBytes([pending, result.value]) : result.value;
      const chunks: string[] = [];
      let stop = null as { type: AnthropicErrorType; message: string } | null;
      try {
        pending = splitFrames(buf, (frame) => {
          const what = readFrame(frame, label);
          if (what.kind === "chunk") chunks.push(what.json);
          else if (what.kind === "error") stop = what;
          return stop === null;
        });
      } catch (error) {
        pending = null;
        stop = { type: "api_error", message: undecodableMessage(label, error) };
      }

      for (const json of chunks) {
        const ev = parseEvent(json);
        if (ev === undefined) {
          // A lost fragment could be any part of the answer: better an error than a silent gap.
          finished = true;
          source.cancel().catch(() => {});
          sink.fail(MALFORMED);
          return true;
        }
        if (ev !== null) sink.event(ev);
      }
      if (stop) return failWith(sink, stop.type, stop.message);
      return false;
    },
    cancel(reason) {
      finished = true;
      source.cancel(reason).catch(() => {});
    },
  };
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * One event's JSON (a latin1 string of its UTF-8 bytes) as the event: undefined when it is
 * not JSON, null when it is JSON but no event (skipped, as the SSE path skips it).
 */
function parseEvent(json: string): AnthropicStreamEvent | null | undefined {
  let ev: unknown;
  try {
    // Mostly ASCII (JSON escapes nothing else, but Claude's text is often ASCII): parse as is.
    ev = JSON.parse(NON_ASCII.test(json) ? utf8Decoder.decode(latin1(json)) : json);
  } catch {
    return undefined;
  }
  if (ev === null || typeof ev !== "object") return null;
  const event = ev as AnthropicStreamEvent;
  // The SSE path names an event without `type` "message" (its SSE event name), and the parser adopts it.
  if (typeof event.type !== "string") event.type = "message";
  return event;
}
