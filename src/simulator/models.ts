import { serverToolVersions } from "./server-tools";
/**
 * The simulator's own model table (never shared with src/models: an oracle must not
 * agree with the code under test by construction). Rules follow §7 of the upstream
 * reference and Anthropic's model-migration notes.
 */
export type Effort = "low" | "medium" | "high" | "xhigh" | "max";
export type Line = "haiku" | "sonnet" | "opus" | "fable";

export interface SimModel {
  id: string;
  aliases: string[];
  displayName: string;
  createdAt: string;
  line: Line;
  lifecycle: "active" | "deprecated";
  maxInputTokens: number;
  maxTokens: number;
  thinking: { enabled: boolean; adaptive: boolean; disabled: boolean };
  effort: Effort[];
  /**
   * free: any temperature/top_p/top_k; exclusive: temperature or top_p, not both (Claude 4.x);
   * locked: only temperature 1, top_p >= 0.99 and no top_k (models released after Opus 4.6).
   */
  sampling: "free" | "exclusive" | "locked";
  prefill: boolean;
  imageInput: boolean;
  pdfInput: boolean;
  structuredOutputs: boolean;
  /** Shortest prefix that prompt caching stores. */
  minCacheableTokens: number;
}

const ALL_EFFORT: Effort[] = ["low", "medium", "high", "xhigh", "max"];

/** The 2026 generation: adaptive thinking only, sampling locked, no prefill. */
function modern(id: string, displayName: string, createdAt: string, line: Line, minCacheableTokens: number): SimModel {
  return {
    id, aliases: [], displayName, createdAt, line, lifecycle: "active",
    maxInputTokens: 1_000_000, maxTokens: 128_000,
    thinking: { enabled: false, adaptive: true, disabled: true },
    effort: ALL_EFFORT, sampling: "locked", prefill: false,
    imageInput: true, pdfInput: true, structuredOutputs: true, minCacheableTokens,
  };
}

/** The 2025 generation: budgeted thinking, temperature or top_p, prefill allowed. */
function classic(id: string, aliases: string[], displayName: string, createdAt: string, line: Line, maxTokens: number, minCacheableTokens: number, effort: Effort[] = []): SimModel {
  return {
    id, aliases, displayName, createdAt, line, lifecycle: "active",
    maxInputTokens: 200_000, maxTokens,
    thinking: { enabled: true, adaptive: false, disabled: true },
    effort, sampling: "exclusive", prefill: true,
    imageInput: true, pdfInput: true, structuredOutputs: true, minCacheableTokens,
  };
}

/** Newest first, as GET /v1/models lists them. */
export const MODELS: SimModel[] = ([
  { ...modern("claude-fable-5", "Claude Fable 5", "2026-10-14T00:00:00Z", "fable", 2048), thinking: { enabled: false, adaptive: true, disabled: false } },
  modern("claude-opus-5-5", "Claude Opus 5.5", "2026-10-01T00:00:00Z", "opus", 4096),
  modern("claude-sonnet-5-5", "Claude Sonnet 5.5", "2026-10-01T00:00:00Z", "sonnet", 2048),
  modern("claude-haiku-5-5", "Claude Haiku 5.5", "2026-09-30T00:00:00Z", "haiku", 4096),
  modern("claude-opus-5", "Claude Opus 5", "2026-07-24T00:00:00Z", "opus", 4096),
  modern("claude-sonnet-5", "Claude Sonnet 5", "2026-07-24T00:00:00Z", "sonnet", 2048),
  modern("claude-opus-4-8", "Claude Opus 4.8", "2026-05-14T00:00:00Z", "opus", 4096),
  modern("claude-opus-4-7", "Claude Opus 4.7", "2026-04-16T00:00:00Z", "opus", 4096),
  {
    // Adaptive recommended, budgeted thinking deprecated but still accepted; prefill removed.
    ...classic("claude-opus-4-6", [], "Claude Opus 4.6", "2026-02-05T00:00:00Z", "opus", 128_000, 4096, ["low", "medium", "high", "max"]),
    maxInputTokens: 1_000_000, thinking: { enabled: true, adaptive: true, disabled: true }, prefill: false,
  },
  {
    ...classic("claude-sonnet-4-6", [], "Claude Sonnet 4.6", "2026-02-17T00:00:00Z", "sonnet", 128_000, 2048, ["low", "medium", "high", "max"]),
    maxInputTokens: 1_000_000, thinking: { enabled: true, adaptive: true, disabled: true }, prefill: false,
  },
  { ...classic("claude-opus-4-5-20251101", ["claude-opus-4-5"], "Claude Opus 4.5", "2025-11-24T00:00:00Z", "opus", 64_000, 4096, ["low", "medium", "high"]), lifecycle: "deprecated" },
  classic("claude-haiku-4-5-20251001", ["claude-haiku-4-5"], "Claude Haiku 4.5", "2025-10-15T00:00:00Z", "haiku", 64_000, 4096),
  { ...classic("claude-sonnet-4-5-20250929", ["claude-sonnet-4-5"], "Claude Sonnet 4.5", "2025-09-29T00:00:00Z", "sonnet", 64_000, 1024), lifecycle: "deprecated" },
  { ...classic("claude-opus-4-1-20250805", ["claude-opus-4-1"], "Claude Opus 4.1", "2025-08-05T00:00:00Z", "opus", 32_000, 1024), structuredOutputs: false },
  // 2025-era ids that recorded traffic and older clients still send (reference §7).
  { ...classic("claude-sonnet-4-20250514", ["claude-sonnet-4-0"], "Claude Sonnet 4", "2025-05-22T00:00:00Z", "sonnet", 64_000, 1024), structuredOutputs: false, lifecycle: "deprecated" },
  { ...classic("claude-opus-4-20250514", ["claude-opus-4-0"], "Claude Opus 4", "2025-05-22T00:00:00Z", "opus", 32_000, 1024), structuredOutputs: false, lifecycle: "deprecated" },
  {
    ...classic("claude-3-haiku-20240307", [], "Claude Haiku 3", "2024-03-07T00:00:00Z", "haiku", 4096, 2048),
    thinking: { enabled: false, adaptive: false, disabled: true }, sampling: "free", pdfInput: false, structuredOutputs: false, lifecycle: "deprecated",
  },
] satisfies SimModel[]).sort((a, b) => b.createdAt.localeCompare(a.createdAt));

export function findModel(idOrAlias: string): SimModel | undefined {
  return MODELS.find((m) => m.id === idOrAlias || m.aliases.includes(idOrAlias));
}

const supported = (yes: boolean) => ({ supported: yes });

function serverToolCapabilities(m: SimModel): Record<string, unknown> {
  const versions = serverToolVersions(m);
  return {
    supported: true,
    code_execution: supported(true),
    web_search: supported(versions.search.length > 0),
    web_fetch: supported(versions.fetch.length > 0),
  };
}

/** The GET /v1/models `ModelInfo`, its capabilities derived from the same rules the validator enforces. */
export function modelInfo(m: SimModel): Record<string, unknown> {
  const effort = Object.fromEntries(ALL_EFFORT.map((e) => [e, supported(m.effort.includes(e))]));
  return {
    type: "model",
    id: m.id,
    display_name: m.displayName,
    created_at: m.createdAt,
    max_input_tokens: m.maxInputTokens,
    max_tokens: m.maxTokens,
    lifecycle: m.lifecycle,
    line: m.line,
    deprecated_at: m.lifecycle === "deprecated" ? "2026-06-01T00:00:00Z" : null,
    retires_at: null,
    capabilities: {
      batch: supported(true),
      citations: supported(true),
      code_execution: supported(true),
      context_management: {
        supported: true,
        clear_thinking_20251015: supported(true),
        clear_tool_uses_20250919: supported(true),
        compact_20260112: supported(m.thinking.adaptive),
      },
      effort: { supported: m.effort.length > 0, ...effort },
      image_input: supported(m.imageInput),
      pdf_input: supported(m.pdfInput),
      server_tools: serverToolCapabilities(m),
      structured_outputs: supported(m.structuredOutputs),
      thinking: {
        supported: true,
        types: {
          enabled: supported(m.thinking.enabled),
          adaptive: supported(m.thinking.adaptive),
          disabled: supported(m.thinking.disabled),
          between_tools: supported(false),
        },
      },
    },
  };
}
