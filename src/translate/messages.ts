import type { AnthropicContentBlock, AnthropicContentBlockParam, AnthropicMessageParam, AnthropicTextBlockParam } from "../platforms/anthropic/types";
import type { ChatAssistantMessage, ChatMessage, ChatRequest } from "../openai/schema";
import type { ModelProfile } from "../models/profile";
import { clip, invalidRequest } from "../errors";
import { cacheControlOf, textBlock, translateParts, type ContentEffects } from "./content";
import { sanitizeToolId } from "./tool-ids";
import { signedBlocksFromEcho, signedBlocksFromResponse } from "./reasoning";
import { isServerToolBlock } from "./server-tools";
import { mergeEchoedDetails } from "./reasoning-details";
import { TOOL_NAME } from "./tools";

/**
 * OpenAI `messages` → Anthropic `system` + `messages`.
 *
 * Policies:
 * - system and developer messages become `system` text blocks in their original order,
 *   wherever they appear: a system message in the middle of a conversation is hoisted
 *   (Claude has one system prompt; its position is lost, its text is not).
 * - Consecutive turns of the same Anthropic role are merged into one turn, so tool
 *   results and the user text that follows them share one user turn (tool_result
 *   blocks first, as Anthropic requires), and a leading assistant turn stays as is.
 * - Empty text (and turns left with no content) is dropped: Anthropic rejects empty
 *   text blocks, and an empty turn carries no meaning.
 * - Assistant tool_calls → tool_use (arguments parsed; "" or null → {}); tool and legacy
 *   function messages → tool_result; ids sanitised the same way on both sides.
 * - A message-level `cache_control` is put on the message's last block.
 * - A final assistant message (prefill) on a model without prefill is a 400 naming the
 *   model: dropping it silently would change what the client asked for.
 * - A tool (or function) message that answers no tool call of the assistant turn just
 *   before it, or a tool call whose name Anthropic would refuse, is a 400 naming the
 *   message: Anthropic refuses both, in terms of its own indexes and of placeholder
 *   tools the client never sent. On models with
 *   prefill its trailing whitespace is trimmed (Anthropic rejects it).
 */

export interface MessagesTranslation {
  system: AnthropicTextBlockParam[];
  messages: AnthropicMessageParam[];
  /** Tool names used by tool_use blocks in the history. */
  toolNamesUsed: Set<string>;
  /** The conversation ends with an assistant message that the model should continue. */
  prefill: boolean;
}

export interface MessagesOptions {
  profile: ModelProfile;
  effects: ContentEffects;
  /** Put signed thinking blocks back in front of assistant tool_use turns (thinking on). */
  includeThinking: boolean;
  restoredThinking: ReadonlyMap<string, AnthropicContentBlock[]>;
  /** The request has Claude's server tools: a tool-call turn's own searches go back with it. */
  serverTools?: boolean;
}

type Block = AnthropicContentBlockParam;
interface Turn {
  role: "user" | "assistant";
  blocks: Block[];
  /** Index of the last OpenAI message merged into this turn (for error params). */
  lastIndex: number;
}

export function translateMessages(messages: ChatRequest["messages"], opts: MessagesOptions): MessagesTranslation {
  const system: AnthropicTextBlockParam[] = [];
  const turns: Turn[] = [];
  const toolNamesUsed = new Set<string>();
  // Legacy function calls carry no id: each gets one from its position, and the
  // function message that answers it (by name) reuses it.
  const legacyIds = new Map<string, string>();
  // Stored answers whose search blocks went back already: one answer's tool calls split over
  // several assistant messages must not repeat its server_tool_use ids.
  const restoredAnswers = new Set<AnthropicContentBlock[]>();
  /** Each tool_result block pushed, with the message that sent it (for the pairing check). */
  const results = new Map<Block, { index: number; id: string; param: string }>();
  const pushResult = (block: Block, index: number, cc: ReturnType<typeof cacheControlOf>, id: string, param: string) => {
    push("user", [block], index, cc);
    const blocks = turns[turns.length - 1]!.blocks;
    results.set(blocks[blocks.length - 1]!, { index, id, param });
  };

  const push = (role: Turn["role"], blocks: Block[], index: number, cc: ReturnType<typeof cacheControlOf>) => {
    if (blocks.length === 0) return;
    if (cc) blocks[blocks.length - 1] = { ...blocks[blocks.length - 1], cache_control: cc } as Block;
    const last = turns[turns.length - 1];
    if (last && last.role === role) {
      pushAll(last.blocks, blocks);
      last.lastIndex = index;
    } else turns.push({ role, blocks, lastIndex: index });
  };

  messages.forEach((m, i) => {
    const path = `messages[${i}]`;
    const cc = cacheControlOf(m.cache_control);
    switch (m.role) {
      case "system":
      case "developer": {
        const blocks = textOnly(m.content, `${path}.content`, `${m.role} messages`);
        if (cc && blocks.length > 0) blocks[blocks.length - 1] = { ...blocks[blocks.length - 1]!, cache_control: cc };
        pushAll(system, blocks);
        return;
      }
      case "user":
        push("user", translateParts(m.content, `${path}.content`, opts.effects), i, cc);
        return;
      case "assistant":
        push("assistant", assistantBlocks(m, i, opts, toolNamesUsed, legacyIds, restoredAnswers), i, cc);
        return;
      case "tool": {
        const result = toolResult(sanitizeToolId(m.tool_call_id), m.content, `${path}.content`, opts.effects);
        pushResult(result, i, cc, m.tool_call_id, `${path}.tool_call_id`);
        return;
      }
      case "function": {
        const id = legacyIds.get(m.name) ?? sanitizeToolId(`call_fn_${m.name}`);
        pushResult(toolResult(id, m.content, `${path}.content`, opts.effects), i, cc, m.name, `${path}.name`);
        return;
      }
    }
  });

  const isThinking = (b: Block | undefined) => b?.type === "thinking" || b?.type === "redacted_thinking";
  for (const t of turns) {
    // Anthropic wants tool results first in a user turn, and thinking first in an assistant turn.
    // A turn that already opens with thinking is an answer restored as it was, whose later
    // thinking (between searches) stays where Claude put it.
    if (t.role === "assistant" && isThinking(t.blocks[0])) continue;
    const first = t.role === "user" ? (b: Block) => b.type === "tool_result" : isThinking;
    t.blocks = [...t.blocks.filter(first), ...t.blocks.filter((b) => !first(b))];
  }

  turns.forEach((t, k) => {
    if (t.role !== "user") return;
    const before = turns[k - 1];
    const calls = new Set(before?.role === "assistant" ? before.blocks.flatMap((b) => (b.type === "tool_use" ? [b.id] : [])) : []);
    for (const b of t.blocks) {
      if (b.type !== "tool_result" || calls.has(b.tool_use_id)) continue;
      const from = results.get(b);
      const param = from?.param ?? `messages[${t.lastIndex}]`;
      const legacy = param.endsWith(".name");
      const what = legacy ? `function_call ${JSON.stringify(clip(from?.id ?? ""))}` : `tool call with id ${JSON.stringify(clip(from?.id ?? b.tool_use_id))}`;
      throw invalidRequest(
        `${param}: no ${what} in the assistant message just before this ${legacy ? "function" : "tool"} message; each result must answer a call of the preceding assistant message`,
        param,
      );
    }
  });

  const last = turns[turns.length - 1];
  let prefill = false;
  if (last && last.role === "assistant" && !last.blocks.some((b) => b.type === "tool_use")) {
    if (!opts.profile.prefill) {
      throw invalidRequest(
        `messages[${last.lastIndex}]: ${opts.profile.id} does not accept a final assistant message (prefill); end the conversation with a user or tool message`,
        `messages[${last.lastIndex}]`,
      );
    }
    trimTrailingWhitespace(last);
    if (last.blocks.length === 0) turns.pop();
    else prefill = true;
  }

  if (turns.length === 0) {
    throw invalidRequest("messages: at least one user or assistant message with content is required", "messages");
  }
  return {
    system,
    messages: turns.map((t) => ({ role: t.role, content: t.blocks })),
    toolNamesUsed,
    prefill,
  };
}

function textOnly(content: ChatMessage["content"], path: string, what: string): AnthropicTextBlockParam[] {
  if (content == null) return [];
  if (typeof content === "string") {
    const b = textBlock(content);
    return b ? [b] : [];
  }
  const out: AnthropicTextBlockParam[] = [];
  content.forEach((part, j) => {
    let b: AnthropicTextBlockParam | undefined;
    if (part.type === "text") b = textBlock(part.text, cacheControlOf(part.cache_control));
    else if (part.type === "refusal") b = textBlock(part.refusal);
    else throw invalidRequest(`${path}[${j}].type: ${what} may contain only text, got "${part.type}"`, `${path}[${j}].type`);
    if (b) out.push(b);
  });
  return out;
}

function assistantBlocks(
  m: ChatAssistantMessage,
  i: number,
  opts: MessagesOptions,
  toolNamesUsed: Set<string>,
  legacyIds: Map<string, string>,
  restoredAnswers: Set<AnthropicContentBlock[]>,
): Block[] {
  const path = `messages[${i}]`;
  const blocks: Block[] = [];
  const calls = m.tool_calls ?? [];
  if (calls.length > 0 || m.function_call) pushAll(blocks, toolTurnPrefix(m, opts, restoredAnswers));
  pushAll(blocks, textOnly(withoutThinkTags(m.content), `${path}.content`, "assistant messages"));
  calls.forEach((call, j) => {
    if (!TOOL_NAME.test(call.function.name)) {
      const namePath = `${path}.tool_calls[${j}].function.name`;
      throw invalidRequest(`${namePath}: tool names must match ^[a-zA-Z0-9_-]{1,128}$, got ${JSON.stringify(clip(call.function.name))}`, namePath);
    }
    const input = parseArguments(call.function.arguments, `${path}.tool_calls[${j}].function.arguments`);
    toolNamesUsed.add(call.function.name);
    blocks.push({ type: "tool_use", id: sanitizeToolId(call.id), name: call.function.name, input });
  });
  if (m.function_call && calls.length === 0) {
    if (!TOOL_NAME.test(m.function_call.name)) {
      const namePath = `${path}.function_call.name`;
      throw invalidRequest(`${namePath}: function names must match ^[a-zA-Z0-9_-]{1,128}$, got ${JSON.stringify(clip(m.function_call.name))}`, namePath);
    }
    const id = sanitizeToolId(`call_fn_${i}_${m.function_call.name}`);
    legacyIds.set(m.function_call.name, id);
    toolNamesUsed.add(m.function_call.name);
    const input = parseArguments(m.function_call.arguments, `${path}.function_call.arguments`);
    blocks.push({ type: "tool_use", id, name: m.function_call.name, input });
  }
  return blocks;
}

const LEADING_THINK = /^\s*<think>[^]*?<\/think>\s*/;

/**
 * REASONING_OUTPUT=think_tags puts reasoning at the start of the content, and clients
 * send that content back: without this, Claude would read its earlier reasoning as
 * text it had said (paid for again on every turn, and an example of answering with
 * `<think>` tags). Only a leading block is removed, the one position the gateway writes.
 */
function withoutThinkTags(content: ChatAssistantMessage["content"]): ChatAssistantMessage["content"] {
  if (typeof content === "string") return content.replace(LEADING_THINK, "");
  const first = content?.[0];
  if (!content || first?.type !== "text" || !LEADING_THINK.test(first.text)) return content;
  return [{ ...first, text: first.text.replace(LEADING_THINK, "") }, ...content.slice(1)];
}

/**
 * What goes back in front of an assistant tool-call turn's text: its signed thinking
 * (thinking on) and, when this request has server tools, the searches that turn ran (from
 * the ThinkingStore record of its answer: clients keep neither). Blocks from the store keep
 * the answer's order, since thinking may come between searches.
 */
function toolTurnPrefix(m: ChatAssistantMessage, opts: MessagesOptions, restoredAnswers: Set<AnthropicContentBlock[]>): Block[] {
  const thinking = opts.includeThinking ? signedThinkingFor(m, opts.restoredThinking) : [];
  const record = opts.serverTools ? storedAnswer(m, opts.restoredThinking) : undefined;
  if (!record?.some(isServerToolBlock) || restoredAnswers.has(record)) return thinking;
  restoredAnswers.add(record);
  // The stored answer's order wins whenever it holds the thinking too: Claude's thinking may
  // come between searches, and signed blocks must not be rearranged.
  const fromStore = thinking.length === 0 || signedBlocksFromResponse(record).length > 0 || signedBlocksFromEcho(m).length === 0;
  if (!fromStore) return [...thinking, ...(record.filter(isServerToolBlock) as Block[])];
  const out: Block[] = [];
  for (const b of record) {
    if (isServerToolBlock(b)) out.push(b as Block);
    else if (thinking.length > 0) out.push(...signedBlocksFromResponse([b]));
  }
  return out;
}

function storedAnswer(m: ChatAssistantMessage, restored: ReadonlyMap<string, AnthropicContentBlock[]>): AnthropicContentBlock[] | undefined {
  for (const call of m.tool_calls ?? []) {
    const found = restored.get(call.id) ?? restored.get(sanitizeToolId(call.id));
    if (found) return found;
  }
  return undefined;
}

/**
 * Signed blocks for an assistant tool-call message: what the client echoed first
 * (`reasoning_details`, `thinking_blocks`: it travels with the conversation, so it holds on
 * any isolate or replica), else the ThinkingStore.
 */
export function signedThinkingFor(m: ChatAssistantMessage, restored: ReadonlyMap<string, AnthropicContentBlock[]>) {
  const details = m.reasoning_details ? mergeEchoedDetails(m.reasoning_details) : m.reasoning_details;
  const echoed = signedBlocksFromEcho(details === m.reasoning_details ? m : { ...m, reasoning_details: details });
  if (echoed.length > 0) return echoed;
  for (const call of m.tool_calls ?? []) {
    const found = restored.get(call.id) ?? restored.get(sanitizeToolId(call.id));
    if (found) {
      const blocks = signedBlocksFromResponse(found);
      if (blocks.length > 0) return blocks;
    }
  }
  return [];
}

function parseArguments(args: string | null | undefined, path: string): Record<string, unknown> {
  if (args == null || args.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    throw invalidRequest(`${path}: not valid JSON`, path);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidRequest(`${path}: must be a JSON object`, path);
  }
  return parsed as Record<string, unknown>;
}

function toolResult(toolUseId: string, content: ChatMessage["content"], path: string, effects: ContentEffects): Block {
  const blocks = translateParts(content, path, effects);
  if (blocks.length === 0) return { type: "tool_result", tool_use_id: toolUseId };
  // A lone text result is sent as a string: the shape Anthropic's own examples use.
  const only = blocks[0]!;
  if (blocks.length === 1 && only.type === "text" && !only.cache_control) return { type: "tool_result", tool_use_id: toolUseId, content: only.text };
  return { type: "tool_result", tool_use_id: toolUseId, content: blocks as Extract<Block, { type: "tool_result" }>["content"] };
}

function trimTrailingWhitespace(turn: Turn): void {
  while (turn.blocks.length > 0) {
    const lastBlock = turn.blocks[turn.blocks.length - 1]!;
    if (lastBlock.type !== "text") return;
    const text = lastBlock.text.trimEnd();
    if (text) {
      turn.blocks[turn.blocks.length - 1] = { ...lastBlock, text };
      return;
    }
    turn.blocks.pop();
  }
}

/**
 * The assistant messages of the tool loop in progress: those after the last user turn
 * that carries no tool results, when the conversation ends with tool results. Their
 * signed thinking must go back when thinking is on; earlier turns need none.
 */
export function currentToolLoop(messages: ChatRequest["messages"]): number[] {
  type Run = { role: "user" | "assistant"; indexes: number[]; toolResults: boolean };
  const runs: Run[] = [];
  messages.forEach((m, i) => {
    if (m.role === "system" || m.role === "developer") return;
    const role = m.role === "assistant" ? "assistant" : "user";
    const last = runs[runs.length - 1];
    const isResult = m.role === "tool" || m.role === "function";
    if (last && last.role === role) {
      last.indexes.push(i);
      last.toolResults ||= isResult;
    } else runs.push({ role, indexes: [i], toolResults: isResult });
  });
  const loop: number[] = [];
  for (let r = runs.length - 1; r >= 1; r -= 2) {
    const user = runs[r]!;
    const assistant = runs[r - 1]!;
    if (user.role !== "user" || !user.toolResults) break;
    for (const i of [...assistant.indexes].reverse()) {
      const m = messages[i] as ChatAssistantMessage;
      if (m.tool_calls?.length || m.function_call) loop.unshift(i);
    }
  }
  return loop;
}

/** push(...items) without spreading: a message with 300,000 content parts would exceed the call stack. */
function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
