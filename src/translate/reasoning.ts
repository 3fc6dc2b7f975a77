import type { AnthropicContentBlock, AnthropicThinking } from "../platforms/anthropic/types";
import type { RedactedThinkingBlockParam, ThinkingBlockParam } from "@anthropic-ai/sdk/resources/messages/messages";
import type { ChatAssistantMessage, ChatRequest, ReasoningEffortInput } from "../openai/schema";
import type { EffortLevel, ModelProfile } from "../models/profile";

/**
 * Reasoning controls in, Claude thinking out.
 *
 * Inputs, all accepted: `reasoning_effort`, OpenRouter's `reasoning` {effort, max_tokens,
 * enabled, exclude}, Anthropic's raw `thinking` (incl. LobeChat's
 * {type:"disabled", budget_tokens:0}) and the `-think` model suffix.
 *
 * Precedence: the `-think` suffix always turns thinking on (the user picked a thinking
 * model; body fields, often client defaults, only tune how much). Otherwise `thinking`
 * wins over `reasoning`, which wins over `reasoning_effort`. The amount is the first of:
 * thinking.budget_tokens, reasoning.max_tokens, reasoning.effort, reasoning_effort.
 *
 * Mapping to the model:
 * - adaptive models → {type:"adaptive"} + output_config.effort: minimal→low, low, medium,
 *   high, xhigh (→high where unsupported), max (→ the highest supported); a budget is
 *   turned into an effort (<4096 low, <12288 medium, <24576 high, else xhigh). No amount
 *   (the suffix, or thinking without a level) → no effort: the model's default (high).
 * - budget-only models → {type:"enabled", budget_tokens} from BUDGET_FOR_EFFORT; no
 *   amount → DEFAULT_BUDGET (the "high" row).
 * - off → {type:"disabled"} where the model accepts it; models that always think (Fable,
 *   Mythos) cannot be turned off, so they get {type:"adaptive"} and a note instead.
 * - models without thinking → thinking is dropped with a reason.
 */

export type ThinkingLevel = Exclude<ReasoningEffortInput, "none">;

export type ThinkingIntent =
  | { kind: "unspecified" }
  | { kind: "off" }
  | { kind: "on"; effort?: ThinkingLevel; budgetTokens?: number };

export const BUDGET_FOR_EFFORT: Record<ThinkingLevel, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32000,
  max: 48000,
};
export const DEFAULT_BUDGET = BUDGET_FOR_EFFORT.high;
export const MIN_BUDGET = 1024;

export function readThinkingIntent(req: ChatRequest, think: boolean): ThinkingIntent {
  const amount = thinkingAmount(req);
  if (think) return { kind: "on", ...amount };
  if (req.thinking) {
    if (req.thinking.type === "disabled") return { kind: "off" };
    return { kind: "on", ...amount };
  }
  const r = req.reasoning;
  if (r && (r.enabled === false || r.effort === "none")) return { kind: "off" };
  if (r && (r.enabled === true || r.effort || (r.max_tokens ?? 0) > 0)) return { kind: "on", ...amount };
  if (req.reasoning_effort === "none") return { kind: "off" };
  if (req.reasoning_effort) return { kind: "on", ...amount };
  return { kind: "unspecified" };
}

function thinkingAmount(req: ChatRequest): { effort?: ThinkingLevel; budgetTokens?: number } {
  if (req.thinking?.type === "enabled" && (req.thinking.budget_tokens ?? 0) > 0) return { budgetTokens: req.thinking.budget_tokens! };
  if ((req.reasoning?.max_tokens ?? 0) > 0) return { budgetTokens: req.reasoning!.max_tokens! };
  const effort = req.reasoning?.effort ?? req.reasoning_effort;
  if (effort && effort !== "none") return { effort };
  return {};
}

/** Whether the client asked not to see reasoning (OpenRouter `reasoning.exclude`, `include_reasoning: false`). */
export function reasoningHidden(req: ChatRequest): boolean {
  return req.reasoning?.exclude === true || req.include_reasoning === false;
}

export interface ThinkingPlan {
  /** What goes into `thinking`; undefined leaves the model's default. */
  thinking?: AnthropicThinking;
  effort?: EffortLevel;
  /** Set when `thinking` is {type:"enabled"}. */
  budgetTokens?: number;
  /** Thinking was asked for but is not possible; why. */
  droppedReason?: string;
  notes: string[];
}

/** The model can think but cannot be told not to (Fable, Mythos): `{type:"disabled"}` is a 400 there. */
export function alwaysThinks(profile: ModelProfile): boolean {
  const t = profile.thinking;
  return (t.adaptive || t.budget) && !t.disable;
}

export function planThinking(intent: ThinkingIntent, profile: ModelProfile, hidden: boolean): ThinkingPlan {
  const t = profile.thinking;
  const canThink = t.adaptive || t.budget;
  const alwaysOn = alwaysThinks(profile);
  const notes: string[] = [];
  if (intent.kind === "unspecified" && !alwaysOn) return { notes };
  if (intent.kind === "off" || intent.kind === "unspecified") {
    if (!alwaysOn) return canThink ? { thinking: { type: "disabled" }, notes } : { notes };
    if (intent.kind === "off") notes.push(`thinking stays on: ${profile.id} cannot turn it off`);
    return { ...adaptive(profile, undefined, hidden), notes };
  }
  if (!canThink) return { droppedReason: `${profile.id} does not support thinking`, notes };
  if (t.adaptive && (!t.budget || intent.budgetTokens === undefined)) {
    const level = intent.effort ?? (intent.budgetTokens !== undefined ? effortForBudget(intent.budgetTokens) : undefined);
    return { ...adaptive(profile, level, hidden), notes };
  }
  const budget = Math.max(MIN_BUDGET, intent.budgetTokens ?? (intent.effort ? BUDGET_FOR_EFFORT[intent.effort] : DEFAULT_BUDGET));
  return { thinking: { type: "enabled", budget_tokens: budget }, budgetTokens: budget, notes };
}

function adaptive(profile: ModelProfile, level: ThinkingLevel | undefined, hidden: boolean): Pick<ThinkingPlan, "thinking" | "effort"> {
  // Newer models default `display` to omitted; ask for the summary unless the client hides reasoning anyway.
  const thinking: AnthropicThinking = { type: "adaptive", display: hidden ? "omitted" : "summarized" };
  const effort = level ? effortFor(level, profile.effort) : undefined;
  return effort ? { thinking, effort } : { thinking };
}

const ORDER: EffortLevel[] = ["low", "medium", "high", "xhigh", "max"];

/** The supported effort closest to the requested one, rounding down (never more expensive than asked). */
export function effortFor(level: ThinkingLevel, supported: readonly EffortLevel[]): EffortLevel | undefined {
  if (supported.length === 0) return undefined;
  const wanted: EffortLevel = level === "minimal" ? "low" : level;
  if (level === "max") return ORDER.filter((l) => supported.includes(l)).pop();
  const idx = ORDER.indexOf(wanted);
  for (let i = idx; i >= 0; i--) if (supported.includes(ORDER[i]!)) return ORDER[i];
  return ORDER.find((l) => supported.includes(l));
}

export function effortForBudget(budget: number): ThinkingLevel {
  if (budget < 4096) return "low";
  if (budget < 12288) return "medium";
  if (budget < 24576) return "high";
  return "xhigh";
}

/**
 * Fits max_tokens and a thinking budget together (Anthropic: budget >= 1024 and
 * < max_tokens; thinking counts toward max_tokens, as reasoning does toward OpenAI's
 * max_completion_tokens). When the client set no limit, max_tokens is raised to leave
 * ANSWER_ROOM after the budget (up to the model's maximum). When the client did set
 * one, it is respected and the budget shrinks to three quarters of it; below the
 * 1024 minimum, thinking is dropped for the request.
 */
export const ANSWER_ROOM = 4096;

export function fitBudget(
  budget: number,
  maxTokens: number,
  clientSetMax: boolean,
  maxOutputTokens: number,
): { maxTokens: number; budget: number } | { dropReason: string } {
  let max = maxTokens;
  if (!clientSetMax) max = Math.min(maxOutputTokens, Math.max(max, budget + ANSWER_ROOM));
  let b = budget;
  if (b >= max) b = Math.floor((max * 3) / 4);
  if (b < MIN_BUDGET) return { dropReason: `max_tokens ${max} leaves no room for thinking (budget_tokens must be at least ${MIN_BUDGET} and below max_tokens)` };
  return { maxTokens: max, budget: b };
}

type SignedBlock = ThinkingBlockParam | RedactedThinkingBlockParam;

/** The thinking blocks of an earlier response, as they must be sent back (exact fields, original order). */
export function signedBlocksFromResponse(blocks: readonly AnthropicContentBlock[]): SignedBlock[] {
  const out: SignedBlock[] = [];
  for (const b of blocks) {
    if (b.type === "thinking" && b.signature) out.push({ type: "thinking", thinking: b.thinking, signature: b.signature });
    else if (b.type === "redacted_thinking") out.push({ type: "redacted_thinking", data: b.data });
  }
  return out;
}

/**
 * Signed thinking that the client echoed on an assistant message: OpenRouter's
 * `reasoning_details` ({type:"reasoning.text", text, signature} / {type:"reasoning.encrypted",
 * data}) or LiteLLM's `thinking_blocks`. Unsigned text cannot be sent back and is skipped,
 * as is plain `reasoning_content`.
 */
export function signedBlocksFromEcho(msg: ChatAssistantMessage): SignedBlock[] {
  const out: SignedBlock[] = [];
  for (const d of msg.reasoning_details ?? []) {
    if (d.type === "reasoning.text" && typeof d.text === "string" && typeof d.signature === "string" && d.signature) {
      out.push({ type: "thinking", thinking: d.text, signature: d.signature });
    } else if (d.type === "reasoning.encrypted" && typeof d.data === "string" && d.data) {
      out.push({ type: "redacted_thinking", data: d.data });
    }
  }
  if (out.length > 0) return out;
  for (const b of msg.thinking_blocks ?? []) {
    if (b.type === "thinking" && typeof b.thinking === "string" && typeof b.signature === "string" && b.signature) {
      out.push({ type: "thinking", thinking: b.thinking, signature: b.signature });
    } else if (b.type === "redacted_thinking" && typeof b.data === "string" && b.data) {
      out.push({ type: "redacted_thinking", data: b.data });
    }
  }
  return out;
}

/** Signed thinking blocks to remember for the next turn, keyed by the tool call ids of the same turn. */
export interface ThinkingCapture {
  toolCallIds: string[];
  blocks: AnthropicContentBlock[];
}
