import { anthropicSseEvents, type AnthropicEventSource } from "../../platforms/anthropic/events";
import type { ChunkReader } from "../../platforms/upstream";
import { renderEventStream } from "../event-stream";
import { ChunkWriter } from "./chunk-writer";
import type { ChatCompletionContext } from "./completion";
import { StreamTranslator, type StreamSummary } from "./stream-translator";

export { CLIENT_GONE } from "../event-stream";

export interface StreamContext extends ChatCompletionContext {
  includeUsage: boolean; // stream_options.include_usage
  keepAliveMs: number; // SSE comment `: keep-alive` after this long without output (0 = off)
  signal?: AbortSignal; // client gone → stop
  onComplete?(summary: StreamSummary): void;
}

/** An answer's Anthropic events → the chat.completion.chunk SSE stream (one pass, pulled: see renderEventStream). */
export function chatCompletionChunks(events: AnthropicEventSource, ctx: StreamContext): ReadableStream<Uint8Array> {
  const translator = new StreamTranslator(ctx, new ChunkWriter(ctx.id, ctx.created, ctx.model), ctx.includeUsage);
  return renderEventStream(events, translator, ctx);
}

/** Upstream Anthropic SSE bytes → OpenAI chunk bytes: the tests' and the translator benchmark's entry. */
export function createChatCompletionStream(upstreamBody: ReadableStream<Uint8Array> | ChunkReader, ctx: StreamContext): ReadableStream<Uint8Array> {
  return chatCompletionChunks(anthropicSseEvents(upstreamBody), ctx);
}
