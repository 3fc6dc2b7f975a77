import type { ResponseOutputItem } from "openai/resources/responses/responses";
import type { ChatResult } from "../../core/chat/types";
import { newCompletionId } from "../../translate/ids";
import { translateMessage } from "../chat-completions/completion";
import { jsonHeaders, sseHeaders, type Rendered } from "../rendered";
import { fromChatCompletion, type ResponseObjectContext } from "./output";
import { responsesEvents } from "./stream";
import { webSearchCalls } from "../../translate/server-tools";

/**
 * The chat core's result as the Responses API: a Response object, or the Responses
 * event stream. `keep` receives the output items of an answer that completed (the
 * route stores message texts for later `item_reference`s).
 */
export function renderResponse(result: ChatResult, ctx: ResponseObjectContext, keep: (output: ResponseOutputItem[]) => void): Rendered {
  if (result.kind === "message") {
    // The chat completion object (never its serialized text) carries the same decisions
    // about reasoning, structured output and tool calls that Chat Completions clients see.
    const { completion, thinking } = translateMessage(result.message, {
      id: newCompletionId(),
      created: ctx.createdAt,
      model: result.requestModel,
      reasoningOutput: result.reasoningOutput,
      structuredOutput: result.structuredOutput,
      legacyFunctions: result.legacyFunctions,
    });
    result.end({ usage: result.message.usage ?? null, thinking, error: null });
    const response = fromChatCompletion(completion, ctx, webSearchCalls(result.message.content as never).map((c) => c.item));
    keep(response.output);
    return { headers: jsonHeaders(result.headers), body: JSON.stringify(response) };
  }
  const body = responsesEvents(result.events, ctx, result, {
    keepAliveMs: result.keepAliveMs,
    signal: result.signal,
    onComplete: (summary, output) => {
      if (!summary.error) keep(output);
      result.end({ usage: summary.anthropicUsage, thinking: summary.thinking, error: summary.error, outputChars: summary.outputChars });
    },
  });
  return { headers: sseHeaders(result.headers), body };
}
