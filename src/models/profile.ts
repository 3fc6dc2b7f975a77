/**
 * What one Claude model accepts. Built from the `capabilities` of the upstream's
 * GET /v1/models (cached per isolate), with a built-in table as fallback. Every
 * decision about which parameters to send is made from this, never from the model name
 * alone.
 */
export type EffortLevel = "low" | "medium" | "high" | "xhigh" | "max";

export interface ModelProfile {
  /** The upstream model id, e.g. `claude-sonnet-4-5` or `claude-opus-4-8`. */
  id: string;
  displayName: string;
  /** RFC 3339, from the upstream; used for `created` in /v1/models. */
  createdAt: string;
  maxOutputTokens: number;
  contextWindow: number;
  thinking: {
    /** `{type:"enabled", budget_tokens}` accepted. */
    budget: boolean;
    /** `{type:"adaptive"}` with `output_config.effort` accepted. */
    adaptive: boolean;
    /** An explicit `{type:"disabled"}` accepted (Fable 5 rejects it). */
    disable: boolean;
  };
  /** Levels accepted by `output_config.effort`; empty when the model has no effort control. */
  effort: EffortLevel[];
  /**
   * `free`: temperature, top_p and top_k all allowed (older models);
   * `exclusive`: temperature OR top_p, not both (Claude 4.x);
   * `locked`: only the defaults (temperature 1, top_p >= 0.99, no top_k): newest models.
   */
  sampling: "free" | "exclusive" | "locked";
  imageInput: boolean;
  pdfInput: boolean;
  structuredOutputs: boolean;
  /** A trailing assistant message (prefill) accepted. */
  prefill: boolean;
  /** The newest web search tool version the model takes (`web_search_20260209`…); null: no web search. */
  webSearch: string | null;
  /** The newest web fetch tool version the model takes; null: no web fetch. */
  webFetch: string | null;
}
