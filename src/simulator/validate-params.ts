import { invalidRequest, notFound } from "./api-error";
import { findModel, type SimModel } from "./models";
import type { RequestContext } from "./request-context";
import { thinkingOn } from "./request-context";
import { isWebToolType, SERVER_RESULT_TYPES, validateWebToolShape, validateWebToolsForModel } from "./server-tools";
import type { Block } from "./tokens";

const THINKING_TAGS = ["adaptive", "disabled", "enabled"];
const EFFORTS = ["low", "medium", "high", "xhigh", "max"];
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/**
 * Top-level fields, then the rules of the chosen model, in the order the API reports
 * them: schema problems (400) before an unknown model (404) before model rules (400).
 */
export function validateParams(body: Block, ctx: RequestContext, endpoint: "messages" | "count_tokens"): SimModel {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw invalidRequest("body: Input should be a valid dictionary");
  if (body.model === undefined) throw invalidRequest("model: Field required");
  if (typeof body.model !== "string") throw invalidRequest("model: Input should be a valid string");
  if (endpoint === "messages") {
    if (body.max_tokens === undefined) throw invalidRequest("max_tokens: Field required");
    if (!isInt(body.max_tokens)) throw invalidRequest("max_tokens: Input should be a valid integer");
    if (body.max_tokens < 0) throw invalidRequest("max_tokens: Input should be greater than or equal to 0");
  }
  if (body.messages === undefined) throw invalidRequest("messages: Field required");
  if (!Array.isArray(body.messages)) throw invalidRequest("messages: Input should be a valid list");
  if (body.messages.length === 0) throw invalidRequest("messages: at least one message is required");

  validateThinkingShape(body.thinking);
  validateTools(body, ctx);
  validateSamplingShape(body, ctx);
  const effort = body.output_config?.effort;
  if (effort !== undefined && effort !== null && !EFFORTS.includes(effort)) {
    throw invalidRequest("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
  }

  const model = findModel(body.model);
  if (!model) throw notFound(`model: ${body.model}`);
  validateForModel(body, model, endpoint);
  return model;
}

function validateThinkingShape(thinking: Block | undefined): void {
  if (thinking === undefined || thinking === null) return;
  if (!THINKING_TAGS.includes(thinking.type)) {
    throw invalidRequest(`thinking: Input tag '${thinking.type}' found using 'type' does not match any of the expected tags: 'adaptive', 'disabled', 'enabled'`);
  }
  if (thinking.type === "enabled") {
    if (thinking.budget_tokens === undefined) throw invalidRequest("thinking.enabled.budget_tokens: Field required");
    if (!isInt(thinking.budget_tokens)) throw invalidRequest("thinking.enabled.budget_tokens: Input should be a valid integer");
    if (thinking.budget_tokens < 1024) throw invalidRequest("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
  }
}

function validateTools(body: Block, ctx: RequestContext): void {
  if (body.tools === undefined) return;
  if (!Array.isArray(body.tools)) throw invalidRequest("tools: Input should be a valid list");
  // The name limit grew from 64 to 128 characters; the newer API version carries the newer limit.
  const pattern = ctx.version === "2026-10-21" ? "^[a-zA-Z0-9_-]{1,128}$" : "^[a-zA-Z0-9_-]{1,64}$";
  body.tools.forEach((tool: Block, i: number) => {
    if (typeof tool !== "object" || tool === null || Array.isArray(tool)) throw invalidRequest(`tools.${i}: Input should be a valid dictionary or object to extract fields from`);
    if (isWebToolType(tool.type)) return validateWebToolShape(tool, i);
    if (tool.type !== undefined && tool.type !== null && tool.type !== "custom") return; // other server tools
    if (typeof tool.name !== "string" || !new RegExp(pattern).test(tool.name)) {
      throw invalidRequest(`tools.${i}.custom.name: String should match pattern '${pattern}'`);
    }
    if (tool.input_schema === undefined) throw invalidRequest(`tools.${i}.custom.input_schema: Field required`);
  });
  const choice = body.tool_choice;
  if (choice?.type === "tool" && !body.tools.some((t: Block) => t.name === choice.name)) {
    // Wording unverified (no recorded response found); ours, in the API's style.
    throw invalidRequest(`tool_choice.name: Tool '${choice.name}' not found in provided tools`);
  }
}

function validateSamplingShape(body: Block, ctx: RequestContext): void {
  for (const field of ["temperature", "top_p", "top_k"]) {
    if (body[field] === undefined) continue;
    // 2026-10-21 removed the sampling fields, even at their default values.
    // Wording unverified (no recorded response found); ours, in the API's style.
    if (ctx.version === "2026-10-21") throw invalidRequest(`${field}: Extra inputs are not permitted`);
    if (typeof body[field] !== "number") throw invalidRequest(`${field}: Input should be a valid number`);
  }
  if (body.temperature !== undefined && (body.temperature < 0 || body.temperature > 1)) {
    throw invalidRequest(`temperature: Input should be ${body.temperature < 0 ? "greater than or equal to 0" : "less than or equal to 1"}`);
  }
}

function validateForModel(body: Block, model: SimModel, endpoint: "messages" | "count_tokens"): void {
  const thinkingType = body.thinking?.type;
  if (thinkingType === "enabled" && !model.thinking.enabled) {
    throw invalidRequest('"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.');
  }
  if (thinkingType === "adaptive" && !model.thinking.adaptive) {
    // Real wording: live probes in askalf/dario#273 and vellum-ai/vellum-assistant#37276.
    throw invalidRequest("adaptive thinking is not supported on this model");
  }
  if (thinkingType === "disabled" && !model.thinking.disabled) {
    // Wording unverified (no recorded response found); ours, in the API's style.
    throw invalidRequest('"thinking.type.disabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.');
  }
  const effort = body.output_config?.effort;
  if (typeof effort === "string" && !model.effort.includes(effort as never)) {
    // Wording unverified: modelled on the real `output_config.effort 'max' is not supported when
    // thinking is disabled on this model. …` (anthropics/claude-code#76997).
    throw invalidRequest(`output_config.effort '${effort}' is not supported on this model.`);
  }
  if (body.output_config?.format && !model.structuredOutputs) {
    // Wording unverified (no recorded response found); ours, in the API's style.
    throw invalidRequest("output_config.format: structured outputs are not supported for this model");
  }

  if (endpoint === "messages") {
    if (body.max_tokens > model.maxTokens) {
      throw invalidRequest(`max_tokens: ${body.max_tokens} > ${model.maxTokens}, which is the maximum allowed number of output tokens for ${body.model}`);
    }
    if (thinkingType === "enabled" && body.max_tokens <= body.thinking.budget_tokens) {
      throw invalidRequest("`max_tokens` must be greater than `thinking.budget_tokens`.");
    }
    const forced = body.tool_choice?.type === "any" || body.tool_choice?.type === "tool";
    if (body.max_tokens === 0 && (body.stream === true || thinkingType === "enabled" || body.output_config?.format || forced)) {
      // Wording unverified (no recorded response found); ours, in the API's style.
      throw invalidRequest("max_tokens: 0 is only allowed without `stream`, `thinking.type.enabled`, `output_config.format` or a forced `tool_choice`");
    }
  }

  validateSamplingForModel(body, model);
  validateWebToolsForModel(body.tools, model);

  if (thinkingOn(body)) {
    const type = body.tool_choice?.type;
    if (type === "any" || type === "tool") throw invalidRequest("Thinking may not be enabled when tool_choice forces tool use.");
    if (body.temperature !== undefined && body.temperature !== 1) {
      throw invalidRequest(thinkingType === "adaptive"
        ? "`temperature` may only be set to 1 when thinking is enabled or in adaptive mode"
        : "`temperature` may only be set to 1 when thinking is enabled");
    }
    // Real wording (quarkiverse/quarkus-langchain4j#1812, a 2025-09 response body with its request_id).
    if (body.top_k !== undefined) throw invalidRequest(`\`top_k\` must be unset when thinking is enabled. ${THINKING_CONSIDERATIONS}`);
    // Wording unverified: modelled on the top_k message (the 0.95 floor is the thinking docs').
    if (body.top_p !== undefined && body.top_p < 0.95) {
      throw invalidRequest(`\`top_p\` must be greater than or equal to 0.95 or unset when thinking is enabled. ${THINKING_CONSIDERATIONS}`);
    }
  }

  const last = body.messages[body.messages.length - 1];
  // Continuing a paused server-tool turn sends its content back last; that is not prefill.
  const blocks = Array.isArray(last?.content) ? last.content : [];
  const continuation = SERVER_RESULT_TYPES.has(blocks[blocks.length - 1]?.type);
  if (last?.role === "assistant" && !model.prefill && !continuation) {
    throw invalidRequest("This model does not support assistant message prefill. The conversation must end with a user message.");
  }
}

const THINKING_CONSIDERATIONS =
  "Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#important-considerations-when-using-extended-thinking";

/**
 * The API's own words, as recorded in real responses: `temperature` is deprecated
 * (github/app#2574, earendil-works/pi#5251), `top_p` (router-for-me/CLIProxyAPI#4383),
 * `top_k` (vellum-ai/vellum-assistant#35820, checked live), both set (BerriAI/litellm#15097).
 */
function validateSamplingForModel(body: Block, model: SimModel): void {
  if (model.sampling === "locked") {
    if (body.temperature !== undefined && body.temperature !== 1) throw invalidRequest("`temperature` is deprecated for this model.");
    if (body.top_p !== undefined && body.top_p < 0.99) throw invalidRequest("`top_p` is deprecated for this model.");
    if (body.top_k !== undefined) throw invalidRequest("`top_k` is deprecated for this model.");
  }
  if (model.sampling === "exclusive" && body.temperature !== undefined && body.top_p !== undefined) {
    throw invalidRequest("`temperature` and `top_p` cannot both be specified for this model. Please use only one.");
  }
}
