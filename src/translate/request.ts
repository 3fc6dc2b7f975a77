import type { AnthropicContentBlock, AnthropicRequest, AnthropicTool, AnthropicToolChoice } from "../platforms/anthropic/types";
import type { ChatAssistantMessage, ChatRequest } from "../openai/schema";
import type { ModelProfile } from "../models/profile";
import { resolveRequestedModel } from "../models/model-id";
import type { ContentEffects } from "./content";
import type { AttachmentLookup } from "../attachments/table";
import { currentToolLoop, signedThinkingFor, translateMessages } from "./messages";
import { alwaysThinks as thinksAlways, fitBudget, planThinking, readThinkingIntent, reasoningHidden, type ThinkingPlan } from "./reasoning";
import { translateSampling, translateStop } from "./sampling";
import { forcesToolUse, placeholderTool, translateTools } from "./tools";
import { planStructuredOutput } from "./structured-output";
import { planWebTools, type SearchAsk, type WebToolSettings } from "./web-search";

export interface RequestTranslationContext {
  profile: ModelProfile;
  /** From the -think suffix. */
  think: boolean;
  /** Config.DEFAULT_MAX_TOKENS. */
  defaultMaxTokens: number;
  /** Signed thinking blocks the gateway returned earlier, by tool call id (from ThinkingStore). */
  restoredThinking: ReadonlyMap<string, AnthropicContentBlock[]>;
  /** Data URLs the body reader decoded already; their blocks carry references (see translate/content.ts). */
  attachments?: AttachmentLookup;
  /** From the -search suffix. */
  search?: boolean;
  /** The operator's web tool settings; without them no server tool is ever added. */
  webTools?: WebToolSettings;
  /** CITATIONS=on. */
  citations?: boolean;
}

export interface TranslatedRequest {
  /** The Messages body; the stream flag is left to the caller. */
  body: AnthropicRequest;
  /** anthropic-beta values this body needs (files-api-2025-04-14 when a file_id source is used). */
  betas: string[];
  /** Thinking is on in `body` (enabled or adaptive). */
  thinking: boolean;
  /** Set when thinking was requested but turned off for this turn, with the reason. */
  thinkingDroppedReason?: string;
  /** The response side needs this to turn a forced tool call back into content. */
  structuredOutput?: { mode: "native" } | { mode: "tool"; toolName: string };
  /** The client asked not to see reasoning (`reasoning.exclude`, `include_reasoning: false`). */
  hideReasoning: boolean;
  /** The client defined legacy `functions` (no `tools`): it reads `function_call`, not `tool_calls`. */
  legacyFunctions: boolean;
  /** What the gateway changed to fit the model (dropped sampling values, relaxed tool_choice…), for logs. */
  adjustments: string[];
}

/**
 * OpenAI Chat Completions request → Anthropic Messages request, for one model profile.
 * Pure: every decision comes from the request, the profile and the context. The policies
 * are documented in the module each one lives in; the order of decisions here matters
 * because several features exclude each other on Claude:
 *   1. thinking intent → plan for this model;
 *   2. a forced tool_choice (the client's or structured output's) turns thinking off
 *      (Anthropic: "Thinking may not be enabled when tool_choice forces tool use"); on
 *      models that cannot turn thinking off, the tool_choice is relaxed to auto instead;
 *   3. in a tool loop, thinking needs the signed blocks of the last assistant turn; when
 *      neither the ThinkingStore nor the client has them, thinking is off for this
 *      request rather than a 400;
 *   4. a prefill cannot be combined with thinking: thinking is off;
 *   5. max_tokens and the thinking budget are fitted together;
 *   6. sampling is shaped by the final thinking state.
 */
export function translateChatRequest(req: ChatRequest, ctx: RequestTranslationContext): TranslatedRequest {
  const { profile } = ctx;
  const adjustments: string[] = [];
  const effects: ContentEffects = {
    betas: new Set(),
    model: { id: profile.id, imageInput: profile.imageInput, pdfInput: profile.pdfInput },
    ...(ctx.attachments ? { attachments: ctx.attachments } : {}),
    ...(ctx.citations ? { citations: true } : {}),
  };
  const hidden = reasoningHidden(req);
  const alwaysThinks = thinksAlways(profile);

  let plan = planThinking(readThinkingIntent(req, ctx.think), profile, hidden);
  let droppedReason = plan.droppedReason;
  adjustments.push(...plan.notes);
  const isOn = (p: ThinkingPlan) => p.thinking?.type === "enabled" || p.thinking?.type === "adaptive";
  const turnOff = (reason: string) => {
    if (!isOn(plan) || alwaysThinks) return;
    plan = planThinking({ kind: "off" }, profile, hidden);
    droppedReason ??= reason;
  };

  // Tools and structured output.
  const toolT = translateTools(req, profile);
  let tools: AnthropicTool[] = toolT.tools;
  let choice: AnthropicToolChoice | undefined = toolT.choice;
  const so = planStructuredOutput(req, profile, tools, choice, alwaysThinks);
  tools = so.tools;
  choice = so.choice;
  // Claude's server tools go after the client's: they run on Anthropic's side and never
  // come back as tool_calls.
  const webTools = ctx.webTools ? planWebTools(searchAsk(req, ctx.search === true), profile, ctx.webTools) : [];
  if (webTools.length > 0) tools = [...tools, ...(webTools as unknown as AnthropicTool[])];

  // 2. Forced tool use excludes thinking.
  if (forcesToolUse(choice)) {
    if (isOn(plan) && alwaysThinks) {
      adjustments.push(`tool_choice relaxed to auto: ${profile.id} always thinks, and thinking excludes a forced tool call`);
      choice = { ...choice, type: "auto" } as AnthropicToolChoice;
      delete (choice as { name?: string }).name;
    } else {
      turnOff(so.structuredOutput?.mode === "tool" ? "structured output uses a forced tool call, which Claude does not allow with thinking" : "tool_choice forces a tool call, which Claude does not allow with thinking");
      // A model that thinks by default must be told not to.
      if (!plan.thinking && profile.thinking.disable && (profile.thinking.adaptive || profile.thinking.budget)) {
        plan = { ...plan, thinking: { type: "disabled" } };
      }
    }
  }

  // 3. Tool loop in progress: the last assistant tool-call turn needs its signed thinking.
  if (isOn(plan)) {
    const loop = currentToolLoop(req.messages);
    const latest = loop[loop.length - 1];
    if (latest !== undefined) {
      const msg = req.messages[latest] as ChatAssistantMessage;
      if (signedThinkingFor(msg, ctx.restoredThinking).length === 0) {
        const id = msg.tool_calls?.[0]?.id ?? msg.function_call?.name ?? `messages[${latest}]`;
        if (alwaysThinks) adjustments.push(`signed thinking for tool call ${id} is not available`);
        turnOff(`signed thinking for tool call ${id} is not available`);
      }
    }
  }

  // 4. Messages; a prefill excludes thinking.
  const translate = () =>
    translateMessages(req.messages, { profile, effects, includeThinking: isOn(plan), restoredThinking: ctx.restoredThinking, serverTools: webTools.length > 0 });
  let msgs = translate();
  if (msgs.prefill && isOn(plan) && !alwaysThinks) {
    turnOff("a final assistant message (prefill) cannot be combined with thinking");
    msgs = translate();
  }
  if (so.instruction) msgs.system.push({ type: "text", text: so.instruction });

  // History with tool calls needs the tools defined, even when the client no longer sends them.
  const defined = new Set(tools.map((t) => t.name));
  const missing = [...msgs.toolNamesUsed].filter((n) => !defined.has(n));
  if (missing.length > 0) {
    if (tools.length === 0) choice = { type: "none" };
    tools = [...tools, ...missing.map(placeholderTool)];
    adjustments.push(`placeholder tool definitions added for ${missing.join(", ")} (used in the history)`);
  }

  // 5. max_tokens, clamped to the model, fitted with the thinking budget. 0 means "not set".
  const requested = req.max_completion_tokens || req.max_tokens || undefined;
  let maxTokens = Math.max(1, Math.min(requested ?? ctx.defaultMaxTokens, profile.maxOutputTokens));
  if (requested !== undefined && requested > profile.maxOutputTokens) {
    adjustments.push(`max_tokens lowered from ${requested} to ${profile.maxOutputTokens}, the maximum of ${profile.id}`);
  }
  if (plan.thinking?.type === "enabled") {
    const fit = fitBudget(plan.thinking.budget_tokens, maxTokens, requested !== undefined, profile.maxOutputTokens);
    if ("dropReason" in fit) turnOff(fit.dropReason);
    else {
      maxTokens = fit.maxTokens;
      plan = { ...plan, thinking: { ...plan.thinking, budget_tokens: fit.budget }, budgetTokens: fit.budget };
    }
    if (!isOn(plan)) msgs = translate();
  }

  // 6. Sampling, by the final thinking state.
  const sampling = translateSampling(req, profile, isOn(plan));
  adjustments.push(...sampling.dropped);

  const body: AnthropicRequest = { model: resolveRequestedModel(req.model).upstreamId, max_tokens: maxTokens, messages: msgs.messages };
  if (msgs.system.length > 0) body.system = msgs.system;
  if (tools.length > 0) body.tools = tools;
  if (choice && tools.length > 0) body.tool_choice = choice;
  if (plan.thinking) body.thinking = plan.thinking;
  if ((plan.effort && isOn(plan)) || so.format) {
    body.output_config = {};
    if (plan.effort && isOn(plan)) body.output_config.effort = plan.effort;
    if (so.format) body.output_config.format = so.format;
  }
  if (sampling.temperature !== undefined) body.temperature = sampling.temperature;
  if (sampling.top_p !== undefined) body.top_p = sampling.top_p;
  if (sampling.top_k !== undefined) body.top_k = sampling.top_k;
  const stop = translateStop(req.stop);
  if (stop) body.stop_sequences = stop;
  const userId = req.user || req.safety_identifier;
  if (userId) body.metadata = { user_id: userId };

  // The limit of four cache breakpoints is enforced with the gateway's own breakpoints
  // in one place, applyCacheBreakpoints (cache-breakpoints.ts), which the route runs next.

  const result: TranslatedRequest = {
    body,
    betas: [...effects.betas],
    thinking: isOn(plan),
    hideReasoning: hidden,
    legacyFunctions: !req.tools?.length && Boolean(req.functions?.length),
    adjustments,
  };
  if (droppedReason && !isOn(plan)) result.thinkingDroppedReason = droppedReason;
  if (so.structuredOutput) result.structuredOutput = so.structuredOutput;
  return result;
}

/**
 * Ids whose signed thinking the caller should look up in the ThinkingStore before
 * translating: the first tool call id of each assistant turn in the tool loop that the
 * request continues (one id per turn suffices: the store keys all of a response's
 * tool call ids to the same blocks). Empty when the conversation does not end in tool
 * results, since only the current loop needs its thinking back.
 */
export function toolCallIdsNeedingThinking(req: ChatRequest): string[] {
  const ids: string[] = [];
  for (const i of currentToolLoop(req.messages)) {
    const id = (req.messages[i] as ChatAssistantMessage).tool_calls?.[0]?.id;
    if (id) ids.push(id);
  }
  return ids;
}

/** How the client asked for web search, if it did: `web_search_options`, else the `-search` model. */
export function searchAsk(req: ChatRequest, suffix: boolean): SearchAsk | null {
  const o = req.web_search_options;
  if (o) {
    const loc = o.user_location?.approximate;
    return {
      param: "web_search_options",
      contextSize: o.search_context_size ?? null,
      userLocation: loc ?? null,
      allowedDomains: o.filters?.allowed_domains ?? null,
    };
  }
  return suffix ? { param: "model" } : null;
}
