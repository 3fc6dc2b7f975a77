import type { AnthropicTool, AnthropicToolChoice } from "../platforms/anthropic/types";
import type { JSONOutputFormat } from "@anthropic-ai/sdk/resources/messages/messages";
import type { ChatRequest } from "../openai/schema";
import type { ModelProfile } from "../models/profile";

/**
 * `response_format` → Claude.
 *
 * - json_schema on a model with structured outputs → `output_config.format`
 *   {type:"json_schema", schema} (native, works with thinking).
 * - json_schema elsewhere → a forced tool named after the schema (sanitised; default
 *   JSON_TOOL_NAME) whose input_schema is the schema; the response side turns its call
 *   back into content. tool_choice: {type:"tool"} when the client has no tools of its
 *   own; {type:"any"} when it has (the model may still call the client's tools); the
 *   client's own forced choice of one of its tools is kept. A forced tool excludes
 *   thinking, so thinking is turned off for the request (request.ts).
 * - json_object, a json_schema without a schema, or a schema whose root is not an
 *   object on a model without native support → an instruction appended to the system
 *   prompt (JSON_INSTRUCTION). Native format is not used for json_object: Claude's
 *   structured outputs need a closed object schema, which "any JSON object" is not.
 * - Models that always think and lack native support also get the instruction, since
 *   they cannot take a forced tool.
 */

export const JSON_TOOL_NAME = "json_response";
export const JSON_INSTRUCTION =
  "Respond with a single valid JSON object and nothing else: no prose before or after it, no Markdown code fences.";

export interface StructuredOutputPlan {
  tools: AnthropicTool[];
  choice: AnthropicToolChoice | undefined;
  format?: JSONOutputFormat;
  instruction?: string;
  structuredOutput?: { mode: "native" } | { mode: "tool"; toolName: string };
}

export function planStructuredOutput(
  req: ChatRequest,
  profile: ModelProfile,
  tools: AnthropicTool[],
  choice: AnthropicToolChoice | undefined,
  alwaysThinks: boolean,
): StructuredOutputPlan {
  const rf = req.response_format;
  const unchanged: StructuredOutputPlan = { tools, choice };
  if (!rf || rf.type === "text") return unchanged;
  const schema = rf.type === "json_schema" ? rf.json_schema.schema : undefined;
  if (!schema || Object.keys(schema).length === 0) return { ...unchanged, instruction: JSON_INSTRUCTION };
  if (profile.structuredOutputs) {
    return { ...unchanged, format: { type: "json_schema", schema }, structuredOutput: { mode: "native" } };
  }
  const objectRoot = schema.type === "object" || (schema.type === undefined && typeof schema.properties === "object");
  if (!objectRoot || alwaysThinks) {
    return { ...unchanged, instruction: `${JSON_INSTRUCTION} It must match this JSON schema: ${JSON.stringify(schema)}` };
  }
  const name = uniqueName(toolNameFrom(rf.type === "json_schema" ? rf.json_schema.name : undefined), tools);
  const description = (rf.type === "json_schema" && rf.json_schema.description) || "Respond with a JSON value matching this schema.";
  const jsonTool: AnthropicTool = { name, description, input_schema: { ...schema, type: "object" } as AnthropicTool.InputSchema };
  const disable = choice && "disable_parallel_tool_use" in choice ? { disable_parallel_tool_use: choice.disable_parallel_tool_use } : {};
  let nextChoice: AnthropicToolChoice;
  if (choice?.type === "tool") nextChoice = choice;
  else if (tools.length > 0 && choice?.type !== "none") nextChoice = { type: "any", ...disable };
  else nextChoice = { type: "tool", name, ...disable };
  return { tools: [...tools, jsonTool], choice: nextChoice, structuredOutput: { mode: "tool", toolName: name } };
}

function toolNameFrom(name: string | null | undefined): string {
  const cleaned = (name ?? "").replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64);
  return cleaned.replace(/_/g, "") ? cleaned : JSON_TOOL_NAME;
}

function uniqueName(name: string, tools: AnthropicTool[]): string {
  const taken = new Set(tools.map((t) => t.name));
  if (!taken.has(name)) return name;
  for (let i = 2; ; i++) if (!taken.has(`${name}_${i}`)) return `${name}_${i}`;
}
