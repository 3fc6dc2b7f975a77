import type { AnthropicContentBlock, AnthropicMessage } from "../../platforms/anthropic/types";
import type { ChatCompletion, ChatCompletionMessageToolCall, FinishReason } from "../../openai/types";
import type { ChatCompletionMessage } from "openai/resources/chat/completions/completions";
import { chatFinishReason, refusalText } from "../../translate/finish-reason";
import type { ThinkingCapture } from "../../translate/reasoning";
import { toOpenAIUsage, type OpenAIUsage, type UpstreamUsage } from "../../translate/usage";
import { annotateBlocks, chatAnnotation } from "../../translate/citations";
import { reasoningDetails, type ReasoningDetail } from "../../translate/reasoning-details";
import { isServerToolBlock, resultError, serverToolErrorText } from "../../translate/server-tools";

/** One chat completion being rendered: its id, time and model as the client named it, and the request's rendering choices. */
export interface ChatCompletionContext {
  id: string; // "chatcmpl-…", one per request/stream
  created: number; // unix seconds
  model: string; // the model name AS THE CLIENT ASKED (e.g. "claude-sonnet-4-5-think")
  reasoningOutput: "reasoning_content" | "think_tags" | "hidden";
  /** When structured output was emulated with a forced tool: its input becomes the message content. */
  structuredOutput?: { mode: "native" } | { mode: "tool"; toolName: string };
  /** The request used legacy `functions`: a call is answered as `function_call` (one), as OpenAI does. */
  legacyFunctions?: boolean;
  /** REASONING_DETAILS: signed thinking also as OpenRouter's `reasoning_details`. */
  reasoningDetails?: boolean;
}

export type { ThinkingCapture } from "../../translate/reasoning";

export type AssistantMessage = ChatCompletionMessage & { reasoning_content?: string; reasoning_details?: ReasoningDetail[] };
export type ChatCompletionResult = Omit<ChatCompletion, "choices" | "usage"> & {
  choices: [{ index: 0; message: AssistantMessage; logprobs: null; finish_reason: FinishReason }];
  usage: OpenAIUsage;
};

/**
 * How reasoning is shown. `<think>` tags inside a structured-output answer would make
 * the JSON unparseable, so think_tags falls back to hidden there.
 */
export function reasoningMode(ctx: Pick<ChatCompletionContext, "reasoningOutput" | "structuredOutput">): ChatCompletionContext["reasoningOutput"] {
  return ctx.reasoningOutput === "think_tags" && ctx.structuredOutput ? "hidden" : ctx.reasoningOutput;
}

/** Thinking blocks are separate passes of reasoning; a blank line keeps them readable when joined. */
export const THINKING_SEPARATOR = "\n\n";

/** A non-streamed Anthropic Message → an OpenAI chat.completion, plus what to remember for the next turn. */
export function translateMessage(
  msg: AnthropicMessage,
  ctx: ChatCompletionContext,
): { completion: ChatCompletionResult; thinking: ThinkingCapture | null } {
  const mode = reasoningMode(ctx);
  const forcedTool = ctx.structuredOutput?.mode === "tool" ? ctx.structuredOutput.toolName : null;

  let text = "";
  let reasoning: string | null = null;
  let structured: string | null = null;
  const toolCalls: ChatCompletionMessageToolCall[] = [];
  const signed: AnthropicContentBlock[] = [];
  // What the next request of a tool loop sends back before its text: signed thinking and
  // the searches of this turn, in their order.
  const kept: AnthropicContentBlock[] = [];
  const annotations: NonNullable<ChatCompletionMessage["annotations"]> = [];

  for (const block of (msg.content ?? []) as AnthropicContentBlock[]) {
    switch (block.type) {
      case "text":
        text += block.text ?? "";
        break;
      case "thinking":
        signed.push(block);
        kept.push(block);
        // display:"omitted" gives an empty thinking with a signature: nothing to show.
        if (block.thinking) reasoning = reasoning === null ? block.thinking : reasoning + THINKING_SEPARATOR + block.thinking;
        break;
      case "redacted_thinking":
        signed.push(block);
        kept.push(block);
        break;
      case "tool_use":
        if (forcedTool !== null && block.name === forcedTool && structured === null) {
          structured = JSON.stringify(block.input ?? {});
        } else {
          toolCalls.push({ id: block.id, type: "function", function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
        }
        break;
      default:
        // server_tool_use, *_tool_result, fallback, container_upload…: work done on
        // Anthropic's side, not calls the client could execute; the text carries the answer.
        if (isServerToolBlock(block)) kept.push(block);
        break;
    }
  }

  const blocks = (msg.content ?? []) as AnthropicContentBlock[];
  // A search or fetch that failed, in an answer with no words of Claude's: say so rather than answer nothing.
  let serverErrors = "";
  if (text === "" && toolCalls.length === 0 && structured === null) {
    const uses = new Map(blocks.filter((b) => b.type === "server_tool_use").map((b) => [(b as { id: string }).id, b]));
    for (const b of blocks) {
      const code = "tool_use_id" in b ? resultError(b as never) : null;
      if (code) serverErrors += (serverErrors ? " " : "") + serverToolErrorText(uses.get((b as { tool_use_id: string }).tool_use_id) as never, code);
    }
  }

  // The forced tool's input is the answer; any preamble text around it would break the JSON.
  let content: string | null = structured ?? (text || serverErrors);
  let offset = 0;
  if (mode === "think_tags" && reasoning !== null) {
    const tagged = `<think>${reasoning}</think>`;
    content = tagged + content;
    offset = tagged.length;
  }
  // Citations: OpenAI's url_citation spans into the content (translate/citations.ts).
  annotations.push(...(annotateBlocks(blocks as never, chatAnnotation, offset) as typeof annotations));
  if (content === "" && toolCalls.length > 0) content = null;

  const finish = chatFinishReason(msg.stop_reason, toolCalls.length > 0, ctx.legacyFunctions);

  const message: AssistantMessage = {
    role: "assistant",
    content,
    refusal: msg.stop_reason === "refusal" ? refusalText(msg.stop_details) : null,
  };
  if (mode === "reasoning_content" && reasoning !== null) message.reasoning_content = reasoning;
  if (ctx.reasoningDetails && mode !== "hidden" && signed.length > 0) message.reasoning_details = reasoningDetails(signed as never);
  if (toolCalls.length > 0 && ctx.legacyFunctions) {
    message.function_call = (toolCalls[0] as Extract<ChatCompletionMessageToolCall, { type: "function" }>).function;
  } else if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (annotations.length > 0 && structured === null) message.annotations = annotations;

  const completion: ChatCompletionResult = {
    id: ctx.id,
    object: "chat.completion",
    created: ctx.created,
    model: ctx.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage: toOpenAIUsage(msg.usage as UpstreamUsage),
  };
  const thinking = toolCalls.length > 0 && kept.length > 0 ? { toolCallIds: toolCalls.map((t) => t.id), blocks: kept } : null;
  return { completion, thinking };
}
