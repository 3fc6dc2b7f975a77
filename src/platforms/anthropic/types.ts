// Anthropic Messages API wire types, imported type-only from the official SDK so that
// the shapes stay exact. The SDK (>= 1.0) removed the sampling fields that the API
// still accepts under anthropic-version 2023-06-01, so the request type adds them back.
import type {
  MessageCreateParamsBase,
  Message,
  RawMessageStreamEvent,
  ContentBlock,
  ContentBlockParam,
  MessageParam,
  TextBlockParam,
  Tool,
  ToolChoice,
  ThinkingConfigParam,
  Usage,
} from "@anthropic-ai/sdk/resources/messages/messages";

export type {
  Message as AnthropicMessage,
  RawMessageStreamEvent as AnthropicStreamEvent,
  ContentBlock as AnthropicContentBlock,
  ContentBlockParam as AnthropicContentBlockParam,
  MessageParam as AnthropicMessageParam,
  TextBlockParam as AnthropicTextBlockParam,
  Tool as AnthropicTool,
  ToolChoice as AnthropicToolChoice,
  ThinkingConfigParam as AnthropicThinking,
  Usage as AnthropicUsage,
};

export type AnthropicRequest = Omit<MessageCreateParamsBase, "stream"> & {
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  top_k?: number;
};

/** The `{type:"error", error:{type, message}}` body of every non-2xx Anthropic answer. */
export interface AnthropicErrorBody {
  type: "error";
  error: { type: string; message: string; details?: Record<string, unknown> };
  request_id?: string;
}
