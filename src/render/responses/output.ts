import type {
  Response as OpenAIResponse,
  ResponseFunctionToolCall,
  ResponseOutputItem,
  ResponseOutputMessage,
  ResponseReasoningItem,
  ResponseUsage,
} from "openai/resources/responses/responses";
import type { ResponsesRequest } from "../../openai/responses-schema";
import { REASONING_ID_PREFIX } from "../../translate/responses-to-chat";
import { responsesFromChat, type ChatUrlCitation } from "../../translate/citations";
import type { WebSearchCall } from "../../translate/server-tools";

/** A chat completion object as translateMessage builds it (src/render/chat-completions/completion.ts), the fields read here. */
export interface ChatCompletionLike {
  choices: Array<{
    message: {
      content?: string | null;
      refusal?: string | null;
      reasoning_content?: string;
      annotations?: ChatUrlCitation[] | Array<{ type: "url_citation"; url_citation: ChatUrlCitation["url_citation"] }>;
      tool_calls?: Array<{ id: string; function?: { name: string; arguments: string } }>;
    };
    finish_reason: string | null;
  }>;
  usage?: ChatUsageLike | null;
}

export interface ChatUsageLike {
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
  server_tool_use?: { web_search_requests: number; web_fetch_requests: number };
}

/** What every rendering of one response shares: its id, time, and the request it echoes. */
export interface ResponseObjectContext {
  id: string;
  createdAt: number;
  req: ResponsesRequest;
}

let counter = 0;
/** `<prefix>` + 32 random hex characters (+ a counter, so ids of one response never collide). */
export function newId(prefix: string): string {
  return `${prefix}${crypto.randomUUID().replace(/-/g, "")}${(counter++ % 1296).toString(36)}`;
}

export const newResponseId = () => newId("resp_");
export const newMessageId = () => newId("msg_");
export const newReasoningId = () => newId(REASONING_ID_PREFIX);
export const newFunctionCallId = () => newId("fc_");

export function toResponsesUsage(u: ChatUsageLike | null | undefined): ResponseUsage | null {
  if (!u) return null;
  return {
    input_tokens: u.prompt_tokens,
    input_tokens_details: { cached_tokens: u.prompt_tokens_details?.cached_tokens ?? 0, cache_write_tokens: u.prompt_tokens_details?.cache_write_tokens ?? 0 },
    output_tokens: u.completion_tokens,
    output_tokens_details: { reasoning_tokens: u.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: u.prompt_tokens + u.completion_tokens,
    // Claude's searches and fetches: an extra field, as in chat completions.
    ...(u.server_tool_use ? { server_tool_use: u.server_tool_use } : {}),
  };
}

export type Status = "in_progress" | "completed" | "incomplete" | "failed";

/** A finished answer's status by its chat finish_reason: cut by max_output_tokens ("length") is `incomplete`. */
export function finishedStatus(finishReason: string | null | undefined): "completed" | "incomplete" {
  return finishReason === "length" ? "incomplete" : "completed";
}

/**
 * The Response object. `length` (max_output_tokens reached) is `incomplete` with
 * `incomplete_details.reason: "max_output_tokens"`; a refusal stays `completed` with a
 * refusal part, as OpenAI answers one.
 */
export function buildResponse(
  ctx: ResponseObjectContext,
  status: Status,
  output: ResponseOutputItem[],
  usage: ResponseUsage | null,
  error: { code: string; message: string } | null = null,
): OpenAIResponse {
  const { req } = ctx;
  const tools = (req.tools ?? []).map((t) =>
    t.type === "function"
      ? { type: "function" as const, name: t.name, description: t.description ?? null, parameters: t.parameters ?? null, strict: t.strict ?? null }
      : { type: t.type, search_context_size: t.search_context_size ?? "medium", user_location: t.user_location ?? null, ...(t.filters ? { filters: t.filters } : {}) },
  );
  const toolChoice = req.tool_choice == null ? "auto" : typeof req.tool_choice === "string" ? req.tool_choice : { type: "function" as const, name: req.tool_choice.name };
  const format = req.text?.format;
  return {
    id: ctx.id,
    object: "response",
    created_at: ctx.createdAt,
    status,
    error: error as OpenAIResponse["error"],
    incomplete_details: status === "incomplete" ? { reason: "max_output_tokens" } : null,
    instructions: req.instructions ?? null,
    max_output_tokens: req.max_output_tokens ?? null,
    model: req.model,
    output,
    output_text: outputText(output),
    parallel_tool_calls: req.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: (req.reasoning?.effort ?? null) as never, summary: (req.reasoning?.summary ?? null) as never },
    store: req.store !== false,
    temperature: req.temperature ?? null,
    text: { format: (format ?? { type: "text" }) as never },
    tool_choice: toolChoice,
    tools,
    top_p: req.top_p ?? null,
    truncation: "disabled",
    usage: usage ?? undefined,
    metadata: (req.metadata ?? {}) as OpenAIResponse["metadata"],
    user: req.user ?? undefined,
  } as unknown as OpenAIResponse;
}

/** The SDK's `output_text` convenience, also sent on the wire (other clients read it). */
function outputText(output: ResponseOutputItem[]): string {
  let text = "";
  for (const item of output) {
    if (item.type !== "message") continue;
    for (const part of item.content) if (part.type === "output_text") text += part.text;
  }
  return text;
}

export const reasoningItem = (id: string, text: string): ResponseReasoningItem => ({ type: "reasoning", id, summary: text ? [{ type: "summary_text", text }] : [] });

export function messageItem(id: string, status: "in_progress" | "completed", content: ResponseOutputMessage["content"]): ResponseOutputMessage {
  return { type: "message", id, status, role: "assistant", content };
}

export const functionCallItem = (id: string, callId: string, name: string, args: string, status: "in_progress" | "completed"): ResponseFunctionToolCall => ({
  type: "function_call",
  id,
  call_id: callId,
  name,
  arguments: args,
  status,
});

/** A non-streamed answer, as its chat completion object → the Response object. */
export function fromChatCompletion(completion: ChatCompletionLike, ctx: ResponseObjectContext, searches: readonly WebSearchCall[] = []): OpenAIResponse {
  const choice = completion.choices[0];
  const output: ResponseOutputItem[] = [];
  const message = choice?.message;
  if (message?.reasoning_content) output.push(reasoningItem(newReasoningId(), message.reasoning_content));
  // The answer's web_search_call items (translate/server-tools.ts), which the chat shape has no place for.
  output.push(...(searches as unknown as ResponseOutputItem[]));
  const content: ResponseOutputMessage["content"] = [];
  const annotations = (message?.annotations ?? []).map((a) => responsesFromChat(a as ChatUrlCitation));
  if (message?.content) content.push({ type: "output_text", text: message.content, annotations: annotations as never, logprobs: [] });
  if (message?.refusal) content.push({ type: "refusal", refusal: message.refusal });
  if (content.length) output.push(messageItem(newMessageId(), "completed", content));
  for (const call of message?.tool_calls ?? []) if (call.function) output.push(functionCallItem(newFunctionCallId(), call.id, call.function.name, call.function.arguments, "completed"));
  const status = finishedStatus(choice?.finish_reason);
  return buildResponse(ctx, status, output, toResponsesUsage(completion.usage));
}

/** Message texts of a response, by item id: what a later `item_reference` may name. */
export function messageTexts(output: ResponseOutputItem[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const item of output) {
    if (item.type !== "message") continue;
    const text = item.content.map((p) => (p.type === "output_text" ? p.text : p.refusal)).join("");
    out.push([item.id, text]);
  }
  return out;
}
