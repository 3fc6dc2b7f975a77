import { newToolUseId } from "./ids";
import { blocksOf, thinkingOn } from "./request-context";
import { exampleFor } from "./schema-example";
import type { Block } from "./tokens";

/**
 * The deterministic "mini model" that answers when nothing is scripted: pleasant enough
 * for a human in the offline demo, predictable enough for tests.
 */
export interface Draft {
  content: Block[];
  stop_reason: "end_turn" | "tool_use";
}

const QUOTE_LIMIT = 200;

function quote(text: string): string {
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function listNames(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

function textOf(blocks: Block[]): string {
  return blocks.filter((b) => b?.type === "text").map((b) => String(b.text)).join("\n");
}

function resultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((b: Block) => (b?.type === "text" ? String(b.text) : `[${b?.type}]`)).join(" ");
}

function mentions(text: string, name: string): boolean {
  const lower = text.toLowerCase();
  const n = name.toLowerCase();
  return lower.includes(n) || lower.includes(n.replace(/[_-]+/g, " "));
}

export interface AnswerOptions {
  /** Thinking between tool calls: adaptive thinking, or the interleaved-thinking beta. */
  interleaved: boolean;
}

export function defaultAnswer(body: Block, options: AnswerOptions): Draft {
  const messages: Block[] = body.messages;
  const lastUser = [...messages].reverse().find((m) => m?.role === "user");
  const userBlocks = blocksOf(lastUser);
  const userText = textOf(userBlocks);
  const toolResults = userBlocks.filter((b) => b?.type === "tool_result");
  const thinking = thinkingOn(body);
  const content: Block[] = [];

  if (toolResults.length > 0) {
    const names = new Map<string, string>();
    for (const m of messages) for (const b of blocksOf(m)) if (b?.type === "tool_use") names.set(b.id, b.name);
    const lines = toolResults.map((r) => {
      const name = names.get(r.tool_use_id) ?? "tool";
      return r.is_error
        ? `The tool ${name} reported an error: ${quote(resultText(r.content))}`
        : `The tool ${name} returned: ${quote(resultText(r.content))}`;
    });
    const toolNames = toolResults.map((r) => names.get(r.tool_use_id) ?? "tool");
    // Without interleaved thinking the model thinks once, at the start of the turn, and a tool
    // result continues that same turn.
    if (thinking && options.interleaved) content.push({ type: "thinking", thinking: `The results from ${listNames([...new Set(toolNames)])} are in. I'll summarize them for the user.` });
    content.push({ type: "text", text: lines.join("\n") });
    return { content, stop_reason: "end_turn" };
  }

  const calls = chooseTools(body, userText);
  if (calls.length > 0) {
    const names = calls.map((t) => String(t.name));
    if (thinking) content.push({ type: "thinking", thinking: `The user asked: “${quote(userText)}”. ${listNames(names)} can help with that, so I'll call it.` });
    // A forced tool_choice makes the model start with the tool call; only auto leaves room for a preamble.
    if ((body.tool_choice?.type ?? "auto") === "auto") content.push({ type: "text", text: `I'll use ${listNames(names)}.` });
    for (const tool of calls) {
      content.push({ type: "tool_use", id: newToolUseId(), name: tool.name, input: exampleFor(tool.input_schema ?? {}) ?? {} });
    }
    return { content, stop_reason: "tool_use" };
  }

  if (thinking) content.push({ type: "thinking", thinking: `The user said: “${quote(userText)}”. I'll reply with a short, friendly answer.` });
  const format = body.output_config?.format;
  if (format?.type === "json_schema") {
    content.push({ type: "text", text: JSON.stringify(exampleFor(format.schema ?? {}, { allProperties: true })) });
    return { content, stop_reason: "end_turn" };
  }
  content.push({ type: "text", text: greeting(userText, userBlocks) });
  return { content, stop_reason: "end_turn" };
}

function chooseTools(body: Block, userText: string): Block[] {
  const tools: Block[] = (Array.isArray(body.tools) ? body.tools : []).filter((t: Block) => t?.input_schema);
  const choice: Block = body.tool_choice ?? { type: "auto" };
  if (tools.length === 0 || choice.type === "none") return [];
  let picked: Block[];
  if (choice.type === "tool") picked = tools.filter((t) => t.name === choice.name);
  else {
    const mentioned = tools.filter((t) => mentions(userText, String(t.name)));
    picked = choice.type === "any" && mentioned.length === 0 ? tools.slice(0, 1) : mentioned;
  }
  return choice.disable_parallel_tool_use ? picked.slice(0, 1) : picked;
}

function greeting(userText: string, blocks: Block[]): string {
  const images = blocks.filter((b) => b?.type === "image").length;
  const documents = blocks.filter((b) => b?.type === "document").length;
  let text = "Hello! This is the Claude simulator (offline demo).";
  if (userText.trim() !== "") text += ` You said: “${quote(userText)}”`;
  const seen = [images ? plural(images, "image") : "", documents ? plural(documents, "document") : ""].filter(Boolean);
  if (seen.length > 0) text += ` I see ${seen.join(" and ")}.`;
  return text;
}
