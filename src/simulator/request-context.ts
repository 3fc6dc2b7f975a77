import type { Block } from "./tokens";

export type ApiVersion = "2023-06-01" | "2026-10-21";

/** Under 2023-06-01 the Files API (and file sources in messages) need this beta. */
export const FILES_BETA = "files-api-2025-04-14";
export const INTERLEAVED_THINKING_BETA = "interleaved-thinking-2025-05-14";

/** What a route needs to know about the request besides its body. */
export interface RequestContext {
  apiKey: string;
  version: ApiVersion;
  betas: Set<string>;
  signal: AbortSignal;
  /** Set by the Bedrock and Vertex fronts: those platforms have no Files API, so no `file` sources. */
  platform?: "bedrock" | "vertex";
}

/** String content is shorthand for one text block. */
export function blocksOf(message: Block | undefined): Block[] {
  const content = message?.content;
  if (typeof content === "string") return [{ type: "text", text: content }];
  return Array.isArray(content) ? content : [];
}

export function thinkingOn(body: Block): boolean {
  const type = body.thinking?.type;
  return type === "enabled" || type === "adaptive";
}
