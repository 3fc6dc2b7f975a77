import type { ChatResult } from "../../core/chat/types";
import { newCompletionId } from "../../translate/ids";
import { jsonHeaders, sseHeaders, type Rendered } from "../rendered";
import { translateMessage, type ChatCompletionContext } from "./completion";
import { chatCompletionChunks } from "./stream";

/** The chat core's result as Chat Completions: a chat.completion object, or chat.completion.chunk events. */
export function renderChatCompletion(result: ChatResult): Rendered {
  const ctx: ChatCompletionContext = {
    id: newCompletionId(),
    created: Math.floor(Date.now() / 1000),
    model: result.requestModel,
    reasoningOutput: result.reasoningOutput,
    structuredOutput: result.structuredOutput,
    legacyFunctions: result.legacyFunctions,
    reasoningDetails: result.reasoningDetails,
  };
  if (result.kind === "message") {
    const { completion, thinking } = translateMessage(result.message, ctx);
    result.end({ usage: result.message.usage ?? null, thinking, error: null });
    return { headers: jsonHeaders(result.headers), body: JSON.stringify(completion) };
  }
  const body = chatCompletionChunks(result.events, {
    ...ctx,
    includeUsage: result.includeUsage,
    keepAliveMs: result.keepAliveMs,
    signal: result.signal,
    onComplete: (summary) => result.end({ usage: summary.anthropicUsage, thinking: summary.thinking, error: summary.error, outputChars: summary.outputChars }),
  });
  return { headers: sseHeaders(result.headers), body };
}
