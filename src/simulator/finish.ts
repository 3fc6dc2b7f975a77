import { textTokens, type Block } from "./tokens";

export interface Finished {
  content: Block[];
  stop_reason: string;
  stop_sequence: string | null;
}

/** Output tokens the simulator bills for a block (the same four-characters rule as input). */
export function outputTokens(block: Block): number {
  switch (block.type) {
    case "text": return textTokens(String(block.text ?? ""));
    case "thinking": return textTokens(String(block.thinking ?? ""));
    case "tool_use": return 10 + textTokens(String(block.name ?? "") + JSON.stringify(block.input ?? {}));
    default: return textTokens(JSON.stringify(block));
  }
}

/** Generation limits applied to a default answer: stop sequences first, then max_tokens. */
export function finish(content: Block[], stopReason: string, body: Block): Finished {
  if (body.max_tokens === 0) return { content: [], stop_reason: "max_tokens", stop_sequence: null };
  let out: Finished = { content, stop_reason: stopReason, stop_sequence: null };
  const sequences: string[] = Array.isArray(body.stop_sequences) ? body.stop_sequences.filter((s: unknown) => typeof s === "string" && s !== "") : [];
  if (sequences.length > 0) out = applyStopSequences(out, sequences);
  if (typeof body.max_tokens === "number") out = applyMaxTokens(out, body.max_tokens);
  return out;
}

function applyStopSequences(out: Finished, sequences: string[]): Finished {
  for (const [i, block] of out.content.entries()) {
    if (block.type !== "text") continue;
    let cut = -1;
    let matched = "";
    for (const seq of sequences) {
      const at = String(block.text).indexOf(seq);
      if (at >= 0 && (cut < 0 || at < cut)) { cut = at; matched = seq; }
    }
    if (cut < 0) continue;
    const text = String(block.text).slice(0, cut);
    const kept = out.content.slice(0, i);
    if (text !== "") kept.push({ ...block, text });
    return { content: kept, stop_reason: "stop_sequence", stop_sequence: matched };
  }
  return out;
}

function applyMaxTokens(out: Finished, maxTokens: number): Finished {
  let remaining = maxTokens;
  const kept: Block[] = [];
  for (const block of out.content) {
    const cost = outputTokens(block);
    if (cost <= remaining) {
      kept.push(block);
      remaining -= cost;
      continue;
    }
    const chars = remaining * 4;
    if (chars > 0 && block.type === "text") kept.push({ ...block, text: String(block.text).slice(0, chars) });
    if (chars > 0 && block.type === "thinking") kept.push({ ...block, thinking: String(block.thinking).slice(0, chars) });
    return { content: kept, stop_reason: "max_tokens", stop_sequence: null };
  }
  return { ...out, content: kept };
}
