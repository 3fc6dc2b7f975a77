import { SseDecoder } from "./sse";
import type { ChunkReader } from "../upstream";

/** A failure that ends an answer, in Anthropic's error vocabulary (`type`) with a message for the user. */
export interface StreamError {
  type: string;
  message: string;
}

/**
 * One Anthropic stream event (message_start, content_block_delta, …, message_stop, error),
 * parsed once. Typed loosely on purpose: the consumers switch on `type` and read only the
 * fields they know, so event types newer than this code pass through harmlessly.
 */
export type AnthropicStreamEvent = { type: string; [field: string]: any };

/** What consumes an answer's events: a renderer's translator. */
export interface AnthropicEventSink {
  /** One event, in upstream order. */
  event(ev: AnthropicStreamEvent): void;
  /** The answer cannot continue (lost connection, malformed data); no event follows. */
  fail(error: StreamError): void;
  /** The upstream body ended; without message_stop before it, the answer is cut off. */
  end(): void;
}

/**
 * An answer's events, pulled one upstream read at a time: the consumer decides when to
 * read (its client's pace), and every complete event of that read is handed to its sink
 * synchronously, in the same pass as the SSE decoding and the JSON parse. Platforms other
 * than Anthropic's API (Bedrock's event stream, say) produce the same events behind this
 * interface.
 */
export interface AnthropicEventSource {
  /**
   * Reads once from the upstream and delivers what it held. Resolves true when the answer
   * is over for this source (body ended, read failed); the sink has then had `end` or `fail`.
   */
  pull(sink: AnthropicEventSink): Promise<boolean>;
  /** Stops reading and releases the upstream connection. */
  cancel(reason?: string): void;
}

export const LOST: StreamError = {
  type: "upstream_error",
  message: "The upstream connection was lost mid-answer; the response is incomplete.",
};

export const MALFORMED: StreamError = { type: "upstream_error", message: "The upstream sent malformed data mid-answer; the response is incomplete." };

/** The Anthropic Messages API's SSE body as an event source. */
export function anthropicSseEvents(body: ReadableStream<Uint8Array> | ChunkReader): AnthropicEventSource {
  const reader: ChunkReader = body instanceof ReadableStream ? body.getReader() : body;
  let sink: AnthropicEventSink | null = null;
  let malformed = false;
  const sse = new SseDecoder((event, data) => {
    if (data === "" || malformed || sink === null) return;
    let ev: any;
    try {
      ev = JSON.parse(data);
    } catch {
      // A lost fragment could be any part of the answer: better an error than a silent gap.
      malformed = true;
      sink.fail(MALFORMED);
      return;
    }
    if (ev === null || typeof ev !== "object") return;
    if (typeof ev.type !== "string" && event) ev.type = event;
    sink.event(ev);
  });
  return {
    async pull(to) {
      sink = to;
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch {
        to.fail(LOST);
        return true;
      }
      if (result.done) {
        sse.end();
        to.end();
        return true;
      }
      sse.feed(result.value);
      return false;
    },
    cancel(reason) {
      reader.cancel(reason).catch(() => {});
    },
  };
}
