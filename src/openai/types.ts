// OpenAI Chat Completions wire types, imported type-only from the official SDK.
export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionCreateParamsBase,
  ChatCompletionTool,
  ChatCompletionMessageToolCall,
} from "openai/resources/chat/completions/completions";
export type { CompletionUsage } from "openai/resources/completions";

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call";
