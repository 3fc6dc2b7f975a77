/**
 * Claude's signed thinking as OpenRouter's `reasoning_details` (pure).
 *
 * Cherry Studio, Kilo Code, opencode and the AI SDK's openai-compatible clients keep
 * `reasoning_details` on the assistant message and send it back on the next request, which
 * lets a thinking + tools loop continue on any isolate or replica without the gateway's
 * store. Shapes (OpenRouter's):
 * - `{type: "reasoning.text", text, signature, format: "anthropic-claude-v1", index}` for a
 *   thinking block (the signature verifies only the exact text, so the text is Claude's
 *   whole thinking, not a summary);
 * - `{type: "reasoning.encrypted", data, format, index}` for redacted thinking.
 * Streamed, the same objects arrive in pieces that clients merge by `index`: text pieces,
 * then one piece with the signature.
 * Reading them back is `signedBlocksFromEcho` in reasoning.ts.
 */
export const REASONING_FORMAT = "anthropic-claude-v1";

export type ReasoningDetail =
  | { type: "reasoning.text"; text: string; signature?: string; format: typeof REASONING_FORMAT; index: number }
  | { type: "reasoning.encrypted"; data: string; format: typeof REASONING_FORMAT; index: number };

interface ThinkingLike {
  type: string;
  thinking?: string;
  signature?: string;
  data?: string;
}

/** The reasoning_details of a whole answer, in Claude's block order. */
export function reasoningDetails(blocks: readonly ThinkingLike[]): ReasoningDetail[] {
  const out: ReasoningDetail[] = [];
  for (const b of blocks) {
    if (b.type === "thinking") {
      out.push({ type: "reasoning.text", text: b.thinking ?? "", ...(b.signature ? { signature: b.signature } : {}), format: REASONING_FORMAT, index: out.length });
    } else if (b.type === "redacted_thinking" && b.data) {
      out.push({ type: "reasoning.encrypted", data: b.data, format: REASONING_FORMAT, index: out.length });
    }
  }
  return out;
}

/** Stream pieces: a thinking text fragment, its signature, a redacted block. */
export function textPiece(index: number, text: string): ReasoningDetail {
  return { type: "reasoning.text", text, format: REASONING_FORMAT, index };
}

export function signaturePiece(index: number, signature: string): ReasoningDetail {
  return { type: "reasoning.text", text: "", signature, format: REASONING_FORMAT, index };
}

export function encryptedPiece(index: number, data: string): ReasoningDetail {
  return { type: "reasoning.encrypted", data, format: REASONING_FORMAT, index };
}

/**
 * What a client echoed, merged by index (clients that keep streamed pieces as they came
 * send them back unmerged): text concatenated, the last signature kept.
 */
export function mergeEchoedDetails(details: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const byIndex = new Map<number, Record<string, unknown>>();
  const loose: Record<string, unknown>[] = [];
  for (const d of details) {
    const index = typeof d.index === "number" ? d.index : null;
    if (index === null) {
      loose.push(d);
      continue;
    }
    const seen = byIndex.get(index);
    if (!seen) {
      byIndex.set(index, { ...d });
      continue;
    }
    if (seen.type === "reasoning.text" && d.type === "reasoning.text") {
      if (typeof d.text === "string") seen.text = String(seen.text ?? "") + d.text;
      if (typeof d.signature === "string" && d.signature) seen.signature = d.signature;
    }
  }
  const merged = [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, d]) => d);
  return [...merged, ...loose];
}
