import { z } from "zod";
import { clip, invalidRequest } from "../errors";
import { parseBody } from "./schema";
import { arrayOf } from "./array-of";
import { assertModelId } from "../models/model-id";
import { checkBound, OUTPUT_TOKENS, TEMPERATURE, TOP_P } from "./ranges";

/**
 * Validation of POST /v1/responses bodies: the subset of the Responses API that maps onto
 * Claude through the chat core. Unknown fields (include, truncation, service_tier,
 * prompt_cache_key…) are dropped; `null` means "not given". A 400 names the field.
 */

const inputText = z.object({ type: z.literal("input_text"), text: z.string() });
// Earlier assistant turns echoed back by clients carry their output parts.
const outputText = z.object({ type: z.literal("output_text"), text: z.string() });
const refusal = z.object({ type: z.literal("refusal"), refusal: z.string() });
const inputImage = z.object({
  type: z.literal("input_image"),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.string().nullish(),
});
const inputFile = z.object({
  type: z.literal("input_file"),
  file_data: z.string().nullish(),
  file_id: z.string().nullish(),
  file_url: z.string().nullish(),
  filename: z.string().nullish(),
});

const contentPart = z.discriminatedUnion("type", [inputText, outputText, refusal, inputImage, inputFile]);
export type ResponsesContentPart = z.output<typeof contentPart>;

const messageItem = z.object({
  type: z.literal("message").optional(),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([z.string(), arrayOf(contentPart)]),
});

const functionCallItem = z.object({
  type: z.literal("function_call"),
  call_id: z.string(),
  name: z.string(),
  arguments: z.string().nullish(),
});

const functionCallOutputItem = z.object({
  type: z.literal("function_call_output"),
  call_id: z.string(),
  output: z.union([z.string(), arrayOf(contentPart)]),
});

/** Reasoning of an earlier turn: not sent on (see translate/responses-to-chat.ts), accepted so echoes are harmless. */
const reasoningItem = z.object({ type: z.literal("reasoning") });
const itemReference = z.object({ type: z.literal("item_reference"), id: z.string() });
/** A web search of an earlier answer, echoed back: Claude ran it on its side; nothing to send on. */
const webSearchCallItem = z.object({ type: z.literal("web_search_call") });

/**
 * Items are told apart by `type`; a message may omit it (its `type` is optional, so a missing
 * one picks it). One discriminated union, so an unknown type is reported as such, not as
 * "expected message".
 */
const inputItem = z.discriminatedUnion("type", [messageItem, functionCallItem, functionCallOutputItem, reasoningItem, itemReference, webSearchCallItem]);
export type ResponsesInputItem = z.output<typeof inputItem>;

const functionTool = z.object({
  type: z.literal("function"),
  name: z.string(),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const location = z
  .object({ type: z.literal("approximate").nullish(), city: z.string().nullish(), region: z.string().nullish(), country: z.string().nullish(), timezone: z.string().nullish() })
  .nullish();

/** OpenAI's built-in web search tools → Claude's web search server tool (through `web_search_options`). */
const webSearchTool = z.object({
  type: z.enum(["web_search", "web_search_2025_08_26", "web_search_preview", "web_search_preview_2025_03_11"]),
  search_context_size: z.enum(["low", "medium", "high"]).nullish(),
  user_location: location,
  filters: z.object({ allowed_domains: arrayOf(z.string()).nullish() }).nullish(),
});
export type ResponsesWebSearchTool = z.output<typeof webSearchTool>;

const tool = z.discriminatedUnion("type", [functionTool, webSearchTool]);

const toolChoice = z.union([
  z.enum(["auto", "none", "required"]),
  z.object({ type: z.literal("function"), name: z.string() }),
]);

const effort = z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"]);

const textFormat = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    name: z.string().nullish(),
    description: z.string().nullish(),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullish(),
  }),
]);

export const responsesRequestSchema = z.object({
  model: z.string(), // checked by assertModelId
  input: z.union([z.string(), arrayOf(inputItem, { min: 1 })]),
  instructions: z.string().nullish(),
  tools: arrayOf(tool).nullish(),
  tool_choice: toolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  // Bounds are checked after parsing, with OpenAI's own wording (src/openai/ranges.ts).
  max_output_tokens: z.number().int().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  reasoning: z.object({ effort: effort.nullish(), summary: z.string().nullish() }).nullish(),
  text: z.object({ format: textFormat.nullish() }).nullish(),
  stream: z.boolean().nullish(),
  store: z.boolean().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  previous_response_id: z.string().nullish(),
  conversation: z.unknown().optional(),
  background: z.boolean().nullish(),
});

export type ResponsesRequest = z.output<typeof responsesRequestSchema>;

/** Parses and validates a Responses body; throws GatewayError 400 naming the first bad field. */
export function parseResponsesRequest(body: unknown): ResponsesRequest {
  const req = parseBody(responsesRequestSchema, body);
  assertModelId(req.model);
  checkBound("temperature", req.temperature, TEMPERATURE);
  checkBound("top_p", req.top_p, TOP_P);
  checkBound("max_output_tokens", req.max_output_tokens, OUTPUT_TOKENS);
  // Stateless: there is no earlier response to continue from, and pretending would drop the history.
  if (req.previous_response_id) {
    throw invalidRequest("previous_response_id is not supported: this gateway keeps no conversation state. Send the whole conversation in `input` (the AI SDK does so with providerOptions.openai.store = false).", "previous_response_id", "unsupported_parameter");
  }
  if (req.conversation != null) {
    throw invalidRequest("conversation is not supported: this gateway keeps no conversation state. Send the whole conversation in `input`.", "conversation", "unsupported_parameter");
  }
  if (req.background === true) {
    throw invalidRequest("background: true is not supported: responses are not stored, so there would be nothing to poll. Use stream: true for long answers.", "background", "unsupported_parameter");
  }
  return req;
}

