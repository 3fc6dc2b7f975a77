import { z } from "zod";
import { clip, invalidRequest, type GatewayError } from "../errors";
import { arrayOf } from "./array-of";
import { assertModelId } from "../models/model-id";
import { checkBound, OUTPUT_TOKENS, PENALTY, TEMPERATURE, TOP_P } from "./ranges";

/**
 * Validation of POST /v1/chat/completions bodies.
 *
 * Liberal where clients differ: unknown top-level fields and unknown keys on messages
 * and parts are dropped without a word (min_p, seed, penalties, logit_bias, store,
 * service_tier, prediction, verbosity, extra_body, custom params…), and `null` means
 * "not given" for every optional field. Strict where meaning matters: a wrong type, an
 * unknown role or part type, `n` other than 1, or audio is a 400 whose `param` names
 * the exact field path (`messages[1].content[0].type`).
 */

const cacheControl = z
  .object({ type: z.string(), ttl: z.string().nullish() })
  .nullish();

const textPart = z.object({ type: z.literal("text"), text: z.string(), cache_control: cacheControl });
const imageUrlPart = z.object({
  type: z.literal("image_url"),
  // Some clients send the URL as a bare string instead of `{url}`.
  image_url: z.union([z.object({ url: z.string(), detail: z.string().nullish() }), z.string()]),
  cache_control: cacheControl,
});
const filePart = z.object({
  type: z.literal("file"),
  file: z.object({
    file_data: z.string().nullish(),
    file_id: z.string().nullish(),
    filename: z.string().nullish(),
  }),
  /** Ask Claude to cite this document (PDF or text); see CITATIONS for all documents. */
  citations: z.boolean().nullish(),
  cache_control: cacheControl,
});
const refusalPart = z.object({ type: z.literal("refusal"), refusal: z.string() });
// Recognised so that the error says "not supported" rather than "unknown type".
const unsupportedPart = <T extends string>(type: T, why: string) =>
  z.object({ type: z.literal(type) }).check((ctx) => {
    ctx.issues.push({ code: "custom", message: why, input: ctx.value, path: ["type"] });
  });

const contentPart = z.discriminatedUnion("type", [
  textPart,
  imageUrlPart,
  filePart,
  refusalPart,
  unsupportedPart("input_audio", "input_audio parts are not supported: Claude does not accept audio input"),
  unsupportedPart("video_url", "video_url parts are not supported: Claude does not accept video input"),
]);

const content = z.union([z.string(), z.null(), arrayOf(contentPart)]).optional();

const toolCall = z.object({
  id: z.string(),
  type: z.literal("function").nullish(),
  function: z.object({ name: z.string(), arguments: z.string().nullish() }),
});

/** Echoed signed reasoning: kept loose, because only well-formed entries are used and the rest are ignored. */
const looseRecordArray = arrayOf(z.record(z.string(), z.unknown())).nullish().catch(undefined);

const systemMessage = z.object({ role: z.literal("system"), content, name: z.string().nullish(), cache_control: cacheControl });
const developerMessage = z.object({ role: z.literal("developer"), content, name: z.string().nullish(), cache_control: cacheControl });
const userMessage = z.object({ role: z.literal("user"), content, name: z.string().nullish(), cache_control: cacheControl });
const assistantMessage = z.object({
  role: z.literal("assistant"),
  content,
  name: z.string().nullish(),
  tool_calls: arrayOf(toolCall).nullish(),
  function_call: z.object({ name: z.string(), arguments: z.string().nullish() }).nullish(),
  refusal: z.string().nullish(),
  reasoning_content: z.string().nullish(),
  reasoning_details: looseRecordArray,
  thinking_blocks: looseRecordArray,
  cache_control: cacheControl,
});
const toolMessage = z.object({
  role: z.literal("tool"),
  tool_call_id: z.string(),
  content,
  name: z.string().nullish(),
  cache_control: cacheControl,
});
const functionMessage = z.object({ role: z.literal("function"), name: z.string(), content, cache_control: cacheControl });

const message = z.discriminatedUnion("role", [
  systemMessage,
  developerMessage,
  userMessage,
  assistantMessage,
  toolMessage,
  functionMessage,
]);

const functionDefinition = z.object({
  name: z.string(),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
  cache_control: cacheControl,
});

const tool = z.object({ type: z.literal("function"), function: functionDefinition, cache_control: cacheControl });

const toolChoice = z.union([
  z.enum(["auto", "none", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
]);

const effort = z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"]);

const responseFormat = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string().nullish(),
      description: z.string().nullish(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

const nonNegativeInt = z.number().int().nonnegative();

export const chatRequestSchema = z.object({
  // Checked after parsing (assertModelId): a megabyte or a CR/LF "model" never travels into lookups, logs or errors.
  model: z.string(),
  messages: arrayOf(message, { min: 1 }),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  // Bounds are checked after parsing, with OpenAI's own wording (src/openai/ranges.ts).
  max_tokens: z.number().int().nullish(),
  max_completion_tokens: z.number().int().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  // Not used (Claude has no penalties), but range-checked as OpenAI does.
  presence_penalty: z.number().nullish(),
  frequency_penalty: z.number().nullish(),
  top_k: nonNegativeInt.nullish(),
  stop: z.union([z.string(), arrayOf(z.string())]).nullish(),
  n: z.number().int().nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: nonNegativeInt.nullish(),
  modalities: arrayOf(z.string()).nullish(),
  tools: arrayOf(tool).nullish(),
  tool_choice: toolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  functions: arrayOf(functionDefinition).nullish(),
  function_call: z.union([z.enum(["auto", "none"]), z.object({ name: z.string() })]).nullish(),
  response_format: responseFormat.nullish(),
  reasoning_effort: effort.nullish(),
  /** OpenAI's web search option → Claude's web search server tool (translate/web-search.ts). */
  web_search_options: z
    .object({
      search_context_size: z.enum(["low", "medium", "high"]).nullish(),
      user_location: z
        .object({
          type: z.literal("approximate").nullish(),
          approximate: z.object({ city: z.string().nullish(), region: z.string().nullish(), country: z.string().nullish(), timezone: z.string().nullish() }).nullish(),
        })
        .nullish(),
      /** Not OpenAI's: what /v1/responses' `filters.allowed_domains` travels in. */
      filters: z.object({ allowed_domains: arrayOf(z.string()).nullish() }).nullish(),
    })
    .nullish(),
  /** OpenRouter's reasoning object. */
  reasoning: z
    .object({
      effort: effort.nullish(),
      max_tokens: nonNegativeInt.nullish(),
      enabled: z.boolean().nullish(),
      exclude: z.boolean().nullish(),
    })
    .nullish(),
  /** Anthropic's own thinking object, as Cherry Studio, LobeChat and LibreChat addParams send it. */
  thinking: z
    .object({
      type: z.enum(["enabled", "disabled", "adaptive"]),
      budget_tokens: nonNegativeInt.nullish(),
    })
    .nullish(),
  include_reasoning: z.boolean().nullish(),
});

export type ChatRequest = z.output<typeof chatRequestSchema>;
export type ChatMessage = ChatRequest["messages"][number];
export type ChatContentPart = z.output<typeof contentPart>;
export type ChatTool = NonNullable<ChatRequest["tools"]>[number];
export type ChatFunctionDefinition = z.output<typeof functionDefinition>;
export type ChatToolChoice = z.output<typeof toolChoice>;
export type ChatToolCall = z.output<typeof toolCall>;
export type ChatAssistantMessage = z.output<typeof assistantMessage>;
export type ChatCacheControl = z.output<typeof cacheControl>;
export type ReasoningEffortInput = z.output<typeof effort>;

/** Parses and validates a chat completions body; throws GatewayError 400 naming the first bad field. */
export function parseChatRequest(body: unknown): ChatRequest {
  const req = parseBody(chatRequestSchema, body);
  assertModelId(req.model);
  checkBound("temperature", req.temperature, TEMPERATURE);
  checkBound("top_p", req.top_p, TOP_P);
  checkBound("presence_penalty", req.presence_penalty, PENALTY);
  checkBound("frequency_penalty", req.frequency_penalty, PENALTY);
  checkBound("max_tokens", req.max_tokens, OUTPUT_TOKENS);
  checkBound("max_completion_tokens", req.max_completion_tokens, OUTPUT_TOKENS);
  // Checks that zod expresses badly, each with the field it is about.
  if (req.n != null && req.n !== 1) throw invalidRequest(`n: only n=1 is supported (Claude returns one choice), got ${req.n}`, "n");
  if (req.logprobs === true) throw invalidRequest("logprobs: Claude does not return log probabilities", "logprobs");
  if (req.top_logprobs != null && req.top_logprobs > 0) {
    throw invalidRequest("top_logprobs: Claude does not return log probabilities", "top_logprobs");
  }
  if (req.modalities?.includes("audio")) {
    throw invalidRequest('modalities: "audio" output is not supported; Claude answers with text only', "modalities");
  }
  return req;
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  input?: unknown;
  expected?: string;
  note?: string;
  discriminator?: string;
  options?: unknown[];
  errors?: Issue[][];
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
}

/** A request body that must be a JSON object, parsed by `schema`; a GatewayError 400 naming the first bad field otherwise. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidRequest("the request body must be a JSON object", null);
  }
  const result = schema.safeParse(body, { reportInput: true });
  if (!result.success) throw schemaError(result.error.issues[0]);
  return result.data;
}

/**
 * The 400 for the first issue zod found (parsed with `reportInput: true`), naming the field
 * as OpenAI does in `param`; shared by every request schema so that errors read alike.
 */
function schemaError(first: unknown): GatewayError {
  if (!first) return invalidRequest("invalid request body", null);
  const { path, message } = describeIssue(first as Issue);
  const param = formatPath(path);
  return invalidRequest(param ? `${param}: ${message}` : message, param || null);
}

/** Turns a zod path into the `messages[1].content[0].type` form that OpenAI uses for `param`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value === undefined) return "nothing";
  if (typeof value === "string") return `string ${JSON.stringify(clip(value))}`;
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

function orList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** A readable message for the issue; for unions, the message of the branch that the input was meant for. */
function describeIssue(issue: Issue): { path: PropertyKey[]; message: string } {
  if (issue.input === undefined && (issue.code === "invalid_union" || issue.code === "invalid_type")) return { path: issue.path, message: "is required" };
  if (issue.code === "invalid_union" && issue.note === "No matching discriminator" && issue.discriminator) {
    const key = issue.discriminator;
    const got = (issue.input as Record<string, unknown> | undefined)?.[key];
    // `function` stays accepted for old clients but is not advertised.
    // An optional discriminator (a Responses message's `type`) lists undefined among its options.
    const options = (issue.options ?? []).filter((o) => o !== undefined).map(String).filter((o) => !(key === "role" && o === "function"));
    if (typeof issue.input !== "object" || issue.input === null || Array.isArray(issue.input)) {
      return { path: issue.path.slice(0, -1), message: `expected an object, got ${describe(issue.input)}` };
    }
    if (got === undefined) return { path: issue.path, message: `${key} is required; expected ${orList(options)}` };
    return { path: issue.path, message: `unknown ${key} ${typeof got === "string" ? JSON.stringify(clip(got)) : describe(got)}; expected ${orList(options)}` };
  }
  if (issue.code === "invalid_union" && issue.errors) {
    // A branch that failed deeper than its root is the one the client meant.
    const deep = issue.errors.find((branch) => branch.some((e) => e.path.length > 0 || e.code !== "invalid_type"));
    const inner = deep?.[0];
    if (inner) {
      const d = describeIssue(inner);
      return { path: [...issue.path, ...d.path], message: d.message };
    }
    const expected = issue.errors.flatMap((b) => b.map((e) => e.expected ?? "")).filter(Boolean);
    return { path: issue.path, message: `expected ${orList(expected.map(article))}, got ${describe(issue.input)}` };
  }
  if (issue.code === "invalid_type") {
    if (issue.input === undefined) return { path: issue.path, message: "is required" };
    return { path: issue.path, message: `expected ${article(issue.expected ?? "")}, got ${describe(issue.input)}` };
  }
  if (issue.code === "invalid_value") return { path: issue.path, message: `${issue.message.replace(/^Invalid input: /, "")}, got ${describe(issue.input)}` };
  if (issue.code === "too_small" && issue.origin === "array") {
    return { path: issue.path, message: `must contain at least ${String(issue.minimum)} item${issue.minimum === 1 ? "" : "s"}` };
  }
  if (issue.code === "too_small" && issue.origin === "string") return { path: issue.path, message: "must not be empty" };
  if (issue.code === "too_big" && issue.origin === "string") return { path: issue.path, message: `must be at most ${String(issue.maximum)} characters, got ${String((issue.input as string).length)}` };
  return { path: issue.path, message: issue.message.replace(/^Invalid input: /, "") };
}

function article(type: string): string {
  if (type === "null") return "null";
  // zod's name for z.record; to a client it is a JSON object.
  if (type === "record") return "an object";
  if (type === "array" || type === "object" || type === "int") return `an ${type === "int" ? "integer" : type}`;
  return `a ${type}`;
}
