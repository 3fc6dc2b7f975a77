import { SseDecoder } from "../../platforms/anthropic/sse";
import { KEEP_ALIVE, type StreamError } from "./chunk-writer";
import type { ResponseContext } from "./completion";
import { LOST, StreamTranslator, type StreamSummary } from "./stream-translator";
import { Utf8Pool } from "./utf8-pool";
import type { ChunkReader } from "../../platforms/upstream";

export interface StreamContext extends ResponseContext {
  includeUsage: boolean; // stream_options.include_usage
  keepAliveMs: number; // SSE comment `: keep-alive` after this long without output (0 = off)
  signal?: AbortSignal; // client gone → stop
  onComplete?(summary: StreamSummary): void;
}

// Shared by all streams of the isolate: views into it are never rewritten (see Utf8Pool).
const utf8 = new Utf8Pool();
const INTERNAL: StreamError = { type: "api_error", message: "The gateway failed to translate the upstream answer; the response is incomplete." };
export const CLIENT_GONE: StreamError = { type: "client_disconnected", message: "The client closed the connection before the answer was complete." };

/**
 * Upstream Anthropic SSE bytes → OpenAI chunk bytes, in one pass: each upstream read is
 * decoded, parsed and translated synchronously and its output enqueued as one byte chunk.
 * A pull-based ReadableStream rather than a TransformStream, because this stream must
 * still speak after its input fails (an error chunk and [DONE] when the upstream body
 * errors), and must speak while its input is silent (keep-alive comments). Upstream is
 * read only as fast as the client reads, so a slow client applies backpressure.
 */
export function createChatCompletionStream(upstreamBody: ReadableStream<Uint8Array> | ChunkReader, ctx: StreamContext): ReadableStream<Uint8Array> {
  const translator = new StreamTranslator(ctx, ctx.includeUsage);
  const sse = new SseDecoder((event, data) => translator.data(event, data));
  const reader: ChunkReader = upstreamBody instanceof ReadableStream ? upstreamBody.getReader() : upstreamBody;
  const keepAliveMs = ctx.keepAliveMs > 0 ? ctx.keepAliveMs : 0;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let lastSent = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const finish = (reason?: StreamError) => {
    if (closed) return;
    closed = true;
    if (timer !== undefined) clearTimeout(timer);
    ctx.signal?.removeEventListener("abort", onAbort);
    if (!translator.done) reader.cancel(reason?.message).catch(() => {});
    else reader.cancel().catch(() => {}); // message_stop seen: nothing more worth reading
    const summary = translator.summary();
    if (reason && !summary.error) summary.error = reason;
    try {
      ctx.onComplete?.(summary);
    } catch {
      // a failing observer must not break the client's stream
    }
  };

  /** Enqueues what the translator produced; true when something was enqueued. */
  const flush = (): boolean => {
    const text = translator.take();
    if (text) {
      controller.enqueue(utf8.encode(text));
      lastSent = Date.now();
    }
    if (translator.done) {
      finish();
      controller.close();
      return true;
    }
    return text !== "";
  };

  // One timer re-armed for the remaining idle time, not per chunk: chunks only stamp lastSent.
  const tick = () => {
    timer = undefined;
    if (closed) return;
    const idle = Date.now() - lastSent;
    if (idle >= keepAliveMs) {
      try {
        controller.enqueue(utf8.encode(KEEP_ALIVE));
      } catch {
        return;
      }
      lastSent = Date.now();
      timer = setTimeout(tick, keepAliveMs);
    } else {
      timer = setTimeout(tick, keepAliveMs - idle);
    }
  };

  function onAbort() {
    if (closed) return;
    finish(CLIENT_GONE);
    try {
      controller.close();
    } catch {
      // already errored or closed by the consumer
    }
  }

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        if (ctx.signal?.aborted) {
          onAbort();
          return;
        }
        ctx.signal?.addEventListener("abort", onAbort);
        if (keepAliveMs > 0) timer = setTimeout(tick, keepAliveMs);
      },
      // A pull that enqueues nothing leaves the client's read pending forever (the
      // stream only calls pull again after an enqueue), so read until there is output.
      async pull() {
        while (!closed) {
          let result: ReadableStreamReadResult<Uint8Array>;
          try {
            result = await reader.read();
          } catch {
            if (closed) return;
            translator.fail(LOST);
            flush();
            return;
          }
          if (closed) return;
          try {
            if (result.done) {
              sse.end();
              translator.end();
            } else {
              sse.feed(result.value);
            }
          } catch {
            // A bug here must still end the client's stream in the documented way.
            translator.fail(INTERNAL);
          }
          if (flush()) return;
        }
      },
      cancel() {
        finish(CLIENT_GONE);
      },
    },
    { highWaterMark: 0 },
  );
}
