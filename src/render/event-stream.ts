import type { AnthropicEventSink, AnthropicEventSource, StreamError } from "../platforms/anthropic/events";
import { Utf8Pool } from "./utf8-pool";

/** A renderer's translator as the byte stream drives it: events in, wire text out. */
export interface RenderingSink<Summary extends { error: StreamError | null }> extends AnthropicEventSink {
  /** The wire text produced since the last take(). */
  take(): string;
  /** True once the stream's last text is produced. */
  readonly done: boolean;
  summary(): Summary;
}

export interface EventStreamOptions<Summary> {
  keepAliveMs: number; // SSE comment `: keep-alive` after this long without output (0 = off)
  signal?: AbortSignal; // client gone → stop
  /** Called exactly once, when the stream ends for any reason. */
  onComplete?(summary: Summary): void;
}

/** A comment, not a data chunk: clients skip it, proxies see bytes flowing. Not ": ping" (Continue). */
export const KEEP_ALIVE = ": keep-alive\n\n";

// Shared by all streams of the isolate: views into it are never rewritten (see Utf8Pool).
const utf8 = new Utf8Pool();
const INTERNAL: StreamError = { type: "api_error", message: "The gateway failed to translate the upstream answer; the response is incomplete." };
export const CLIENT_GONE: StreamError = { type: "client_disconnected", message: "The client closed the connection before the answer was complete." };

/**
 * An answer's Anthropic events → the client's bytes, in one pass: each upstream read is
 * decoded, parsed and translated synchronously and its output enqueued as one byte chunk.
 * A pull-based ReadableStream rather than a TransformStream, because this stream must
 * still speak after its input fails (an error and the end when the upstream body
 * errors), and must speak while its input is silent (keep-alive comments). Upstream is
 * read only as fast as the client reads, so a slow client applies backpressure.
 * Text the sink holds before the first event (the Responses preamble) goes out at once.
 */
export function renderEventStream<Summary extends { error: StreamError | null }>(
  source: AnthropicEventSource,
  sink: RenderingSink<Summary>,
  opts: EventStreamOptions<Summary>,
): ReadableStream<Uint8Array> {
  const keepAliveMs = opts.keepAliveMs > 0 ? opts.keepAliveMs : 0;
  const signal = opts.signal;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let lastSent = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const finish = (reason?: StreamError) => {
    if (closed) return;
    closed = true;
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    // After the last event nothing more is worth reading; before it, the reason is passed on.
    source.cancel(sink.done ? undefined : reason?.message);
    const summary = sink.summary();
    if (reason && !summary.error) summary.error = reason;
    try {
      opts.onComplete?.(summary);
    } catch {
      // a failing observer must not break the client's stream
    }
  };

  /** Enqueues what the sink produced; true when something was enqueued. */
  const flush = (): boolean => {
    const text = sink.take();
    if (text) {
      controller.enqueue(utf8.encode(text));
      lastSent = Date.now();
    }
    if (sink.done) {
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
        if (signal?.aborted) {
          onAbort();
          return;
        }
        signal?.addEventListener("abort", onAbort);
        const head = sink.take();
        if (head) controller.enqueue(utf8.encode(head));
        if (keepAliveMs > 0) timer = setTimeout(tick, keepAliveMs);
      },
      // A pull that enqueues nothing leaves the client's read pending forever (the
      // stream only calls pull again after an enqueue), so read until there is output.
      async pull() {
        while (!closed) {
          try {
            await source.pull(sink);
          } catch {
            // A bug here must still end the client's stream in the documented way.
            if (closed) return;
            sink.fail(INTERNAL);
          }
          if (closed) return;
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
