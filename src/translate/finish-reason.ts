import type { FinishReason } from "../openai/types";

/**
 * Anthropic stop_reason → OpenAI finish_reason. Unknown or missing reasons map to
 * "stop": the API may add new ones, and "stop" is the value every client handles.
 * tool_use maps to "tool_calls" here; chatFinishReason corrects it by what the client
 * actually received.
 */
export function toFinishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      // end_turn, stop_sequence, pause_turn (a server tool loop paused: the answer so far is whole)
      return "stop";
  }
}

/**
 * The finish_reason of a chat completion, streamed or not: a tool call the client received
 * makes it "tool_calls" ("function_call" for a legacy `functions` request), whatever the stop
 * reason; tool_use without one (structured output through a forced tool) is "stop", since
 * "tool_calls" with no tool call breaks clients' tool loops.
 */
export function chatFinishReason(stopReason: string | null | undefined, emittedToolCall: boolean, legacyFunctions = false): FinishReason {
  if (emittedToolCall) return legacyFunctions ? "function_call" : "tool_calls";
  const finish = toFinishReason(stopReason);
  return finish === "tool_calls" ? "stop" : finish;
}

export interface RefusalDetails {
  category?: string | null;
  explanation?: string | null;
}

/**
 * The text for OpenAI's `message.refusal` / `delta.refusal`. Clients show it instead of
 * an empty answer, so it is never empty, and it uses Anthropic's own explanation when given.
 */
export function refusalText(details: RefusalDetails | null | undefined): string {
  const explanation = details?.explanation?.trim();
  const category = details?.category;
  if (explanation) return category ? `${explanation} (category: ${category})` : explanation;
  if (category) return `Claude declined to answer this request (category: ${category}).`;
  return "Claude declined to answer this request.";
}
