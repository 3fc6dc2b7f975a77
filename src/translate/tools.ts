import type { AnthropicTool, AnthropicToolChoice } from "../platforms/anthropic/types";
import type { ChatFunctionDefinition, ChatRequest } from "../openai/schema";
import type { ModelProfile } from "../models/profile";
import { clip, invalidRequest } from "../errors";
import { cacheControlOf } from "./content";

/**
 * OpenAI tools and tool_choice → Anthropic.
 *
 * - `tools[i].function.parameters` becomes `input_schema` unchanged (the whole JSON
 *   schema, not a trimmed copy); a missing schema means "no arguments".
 * - `strict` is kept as Anthropic's `strict` on models with structured outputs, and
 *   dropped elsewhere (those models would reject it).
 * - `cache_control` on `tools[i]` or `tools[i].function` is kept.
 * - tool_choice: auto → auto, none → none, required → any, named → tool.
 *   `parallel_tool_calls: false` → `disable_parallel_tool_use: true` (on auto when no
 *   choice was given).
 * - Legacy `functions` / `function_call` are read the same way when `tools` is absent,
 *   with parallel calls disabled: the legacy answer (`message.function_call`) holds one.
 * - Names must match Anthropic's ^[a-zA-Z0-9_-]{1,128}$ and be unique: a 400 naming the
 *   tool, rather than an upstream error about `tools.3.custom.name`.
 */

export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

export interface ToolTranslation {
  tools: AnthropicTool[];
  choice: AnthropicToolChoice | undefined;
}

export function translateTools(req: ChatRequest, profile: ModelProfile): ToolTranslation {
  const defs: { def: ChatFunctionDefinition; path: string; cc: ReturnType<typeof cacheControlOf> }[] = [];
  if (req.tools && req.tools.length > 0) {
    req.tools.forEach((t, i) =>
      defs.push({ def: t.function, path: `tools[${i}].function`, cc: cacheControlOf(t.cache_control) ?? cacheControlOf(t.function.cache_control) }),
    );
  } else if (req.functions && req.functions.length > 0) {
    req.functions.forEach((f, i) => defs.push({ def: f, path: `functions[${i}]`, cc: cacheControlOf(f.cache_control) }));
  }

  const seen = new Set<string>();
  const tools = defs.map(({ def, path, cc }) => {
    if (!TOOL_NAME.test(def.name)) {
      throw invalidRequest(`${path}.name: tool names must match ^[a-zA-Z0-9_-]{1,128}$, got ${JSON.stringify(clip(def.name))}`, `${path}.name`);
    }
    if (seen.has(def.name)) throw invalidRequest(`${path}.name: duplicate tool name "${def.name}"`, `${path}.name`);
    seen.add(def.name);
    const tool: AnthropicTool = { name: def.name, input_schema: inputSchema(def.parameters, `${path}.parameters`) };
    if (def.description) tool.description = def.description;
    if (def.strict === true && profile.structuredOutputs) tool.strict = true;
    if (cc) tool.cache_control = cc;
    return tool;
  });

  return { tools, choice: toolChoice(req, seen) };
}

function inputSchema(parameters: Record<string, unknown> | null | undefined, path: string): AnthropicTool.InputSchema {
  if (!parameters || Object.keys(parameters).length === 0) return { type: "object", properties: {} };
  if (parameters.type === undefined) return { ...parameters, type: "object" };
  if (parameters.type !== "object") {
    throw invalidRequest(`${path}.type: a tool's parameters must be a JSON schema of type "object", got ${clip(JSON.stringify(parameters.type) ?? "nothing")}`, `${path}.type`);
  }
  return parameters as AnthropicTool.InputSchema;
}

function toolChoice(req: ChatRequest, names: ReadonlySet<string>): AnthropicToolChoice | undefined {
  const legacy = !req.tools?.length && req.functions?.length;
  const raw = legacy ? req.function_call : req.tool_choice;
  const param = legacy ? "function_call" : "tool_choice";
  const noParallel = req.parallel_tool_calls === false || Boolean(legacy);

  if (names.size === 0) {
    // Without tools, "auto" and "none" mean nothing; forcing a call cannot be honoured.
    if (raw === "required" || (typeof raw === "object" && raw !== null)) {
      throw invalidRequest(`${param}: a tool call was required but the request defines no tools`, param);
    }
    return undefined;
  }

  let choice: AnthropicToolChoice | undefined;
  if (raw == null) choice = noParallel ? { type: "auto" } : undefined;
  else if (raw === "auto") choice = { type: "auto" };
  else if (raw === "none") return { type: "none" };
  else if (raw === "required") choice = { type: "any" };
  else {
    const name = "function" in raw ? raw.function.name : raw.name;
    const namePath = "function" in raw ? `${param}.function.name` : `${param}.name`;
    if (!names.has(name)) throw invalidRequest(`${namePath}: no tool named ${JSON.stringify(clip(name))} in the request`, namePath);
    choice = { type: "tool", name };
  }
  if (choice && noParallel) choice = { ...choice, disable_parallel_tool_use: true } as AnthropicToolChoice;
  return choice;
}

/**
 * A placeholder definition for a tool that the history used but the request no longer
 * defines: Anthropic refuses tool_use blocks for undefined tools, and clients drop
 * `tools` from follow-up requests (titles, summaries). Paired with tool_choice none.
 */
export function placeholderTool(name: string): AnthropicTool {
  return { name, description: "A tool used earlier in this conversation.", input_schema: { type: "object", properties: {} } };
}

/** True when tool_choice makes a tool call mandatory (Anthropic refuses that together with thinking). */
export function forcesToolUse(choice: AnthropicToolChoice | undefined): boolean {
  return choice?.type === "any" || choice?.type === "tool";
}
