import type { z } from "zod";
import { invalidRequest } from "../errors";
import type { chatRequestSchema } from "../openai/schema";
import type { ResponsesContentPart, ResponsesRequest, ResponsesWebSearchTool } from "../openai/responses-schema";

/** The chat completions body the chat core validates (src/openai/schema.ts), before parsing. */
export type ChatBody = z.input<typeof chatRequestSchema>;
type ChatMessageIn = ChatBody["messages"][number];
type ChatPartIn = Exclude<Extract<ChatMessageIn, { role: "user" }>["content"], string | null | undefined>[number];

/** Ids that an `item_reference` may name: reasoning of earlier turns, and stored message text. */
export const REASONING_ID_PREFIX = "rs_";
/** `web_search_call` items (translate/server-tools.ts webSearchCallId): echoes of Claude's own searches. */
export const WEB_SEARCH_ID_PREFIX = "ws_";

/**
 * A Responses request → the chat completions request the core already serves, so the
 * whole pipeline (model capabilities, thinking, tools, caching, key pool, failover,
 * attachments) is the same. `storedText` holds the text of `item_reference`d messages
 * (looked up by the route); earlier reasoning is not sent on: Claude does not need it
 * outside a tool loop, and inside one the core restores the signed thinking by call id.
 */
export function toChatRequest(req: ResponsesRequest, storedText: ReadonlyMap<string, string>): ChatBody {
  const messages: ChatMessageIn[] = [];
  if (req.instructions) messages.push({ role: "system", content: req.instructions });

  const items = typeof req.input === "string" ? [{ role: "user" as const, content: req.input }] : req.input;
  items.forEach((item, i) => {
    const at = `input[${i}]`;
    if (!("type" in item) || item.type === undefined || item.type === "message") {
      const m = item as Extract<typeof item, { role: string }>;
      if (m.role === "assistant") {
        pushAssistantText(messages, typeof m.content === "string" ? m.content : m.content.map((p, j) => assistantText(p, `${at}.content[${j}]`)).join(""));
      } else {
        messages.push({ role: m.role, content: typeof m.content === "string" ? m.content : m.content.map((p, j) => chatPart(p, `${at}.content[${j}]`)) } as ChatMessageIn);
      }
      return;
    }
    switch (item.type) {
      case "function_call": {
        const call = { id: item.call_id, type: "function" as const, function: { name: item.name, arguments: item.arguments ?? "" } };
        const last = messages[messages.length - 1];
        // Calls of one turn follow its text (and each other): one assistant message, as Claude needs.
        // Appended in place: copying the list per call made 200,000 calls take minutes.
        if (last?.role === "assistant") (last.tool_calls ??= []).push(call);
        else messages.push({ role: "assistant", content: null, tool_calls: [call] });
        return;
      }
      case "function_call_output":
        messages.push({
          role: "tool",
          tool_call_id: item.call_id,
          content: typeof item.output === "string" ? item.output : item.output.map((p, j) => chatPart(p, `${at}.output[${j}]`)),
        });
        return;
      case "reasoning":
      case "web_search_call":
        return;
      case "item_reference": {
        if (item.id.startsWith(REASONING_ID_PREFIX) || item.id.startsWith(WEB_SEARCH_ID_PREFIX)) return;
        const text = storedText.get(item.id);
        if (text === undefined) {
          throw invalidRequest(
            `${at}: item_reference ${JSON.stringify(item.id)} is not known here: this gateway keeps the text of its answers for a while only and cannot resolve other ids. Send the item itself (AI SDK: providerOptions.openai.store = false).`,
            `${at}.id`,
            "item_not_found",
          );
        }
        pushAssistantText(messages, text);
        return;
      }
    }
  });

  const body: ChatBody = { model: req.model, messages };
  if (req.stream) body.stream = true;
  const functions = (req.tools ?? []).filter((t) => t.type === "function");
  if (functions.length) {
    body.tools = functions.map((t) => ({ type: "function", function: { name: t.name, description: t.description, parameters: t.parameters, strict: t.strict } }));
  }
  const search = (req.tools ?? []).find((t): t is ResponsesWebSearchTool => t.type !== "function");
  if (search) {
    const { type: _type, ...approximate } = search.user_location ?? {};
    body.web_search_options = {
      search_context_size: search.search_context_size ?? null,
      user_location: search.user_location ? { type: "approximate", approximate } : null,
      filters: search.filters?.allowed_domains?.length ? { allowed_domains: search.filters.allowed_domains } : null,
    };
  }
  if (req.tool_choice != null) {
    body.tool_choice = typeof req.tool_choice === "string" ? req.tool_choice : { type: "function", function: { name: req.tool_choice.name } };
  }
  if (req.parallel_tool_calls != null) body.parallel_tool_calls = req.parallel_tool_calls;
  if (req.max_output_tokens != null) body.max_completion_tokens = req.max_output_tokens;
  if (req.temperature != null) body.temperature = req.temperature;
  if (req.top_p != null) body.top_p = req.top_p;
  if (req.reasoning?.effort) body.reasoning_effort = req.reasoning.effort;
  const format = req.text?.format;
  if (format?.type === "json_schema") {
    body.response_format = { type: "json_schema", json_schema: { name: format.name, description: format.description, schema: format.schema, strict: format.strict } };
  } else if (format?.type === "json_object") body.response_format = { type: "json_object" };
  const user = req.safety_identifier ?? req.user;
  if (user) body.user = user;
  return body;
}

function pushAssistantText(messages: ChatMessageIn[], text: string): void {
  const last = messages[messages.length - 1];
  // Text after this turn's calls would reorder the turn; a new assistant message keeps the order.
  if (last?.role === "assistant" && !last.tool_calls?.length && typeof last.content === "string") last.content += text;
  else messages.push({ role: "assistant", content: text });
}

function assistantText(part: ResponsesContentPart, at: string): string {
  if (part.type === "output_text" || part.type === "input_text") return part.text;
  if (part.type === "refusal") return part.refusal;
  throw invalidRequest(`${at}.type: ${part.type} is not allowed in an assistant message`, `${at}.type`);
}

function chatPart(part: ResponsesContentPart, at: string): ChatPartIn {
  switch (part.type) {
    case "input_text":
    case "output_text":
      return { type: "text", text: part.text };
    case "refusal":
      return { type: "text", text: part.refusal };
    case "input_image":
      if (part.image_url) return { type: "image_url", image_url: { url: part.image_url } };
      if (part.file_id) return { type: "file", file: { file_id: part.file_id } };
      throw invalidRequest(`${at}: input_image needs image_url or file_id`, `${at}.image_url`);
    case "input_file":
      if (part.file_data || part.file_id) return { type: "file", file: { file_data: part.file_data, file_id: part.file_id, filename: part.filename } };
      if (part.file_url) throw invalidRequest(`${at}.file_url: file URLs are not supported; send file_data (a data URL) or a file_id from POST /v1/files`, `${at}.file_url`);
      throw invalidRequest(`${at}: input_file needs file_data or file_id`, `${at}.file_data`);
  }
}
