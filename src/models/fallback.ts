import type { EffortLevel, ModelProfile } from "./profile";
import { canonicalModelKey, compareVersions, parseModelId } from "./model-id";

/**
 * What the gateway knows about each model without asking the upstream: used when
 * GET /v1/models is unavailable or predates `capabilities`, and for the rules that
 * `capabilities` does not describe (sampling, prefill).
 *
 * Rules (reference §0.3, §1.6, §7):
 * - Claude 3.x: sampling free, prefill, budget thinking on 3.7 only.
 * - Claude 4.0–4.5: temperature OR top_p (exclusive), budget thinking, prefill.
 * - Opus/Sonnet 4.6: adaptive recommended, budget still accepted, no prefill.
 * - Opus 4.7/4.8, every 5.x: adaptive only, sampling locked, no prefill.
 * - Fable and Mythos: adaptive only and always on (explicit `disabled` is a 400).
 * `createdAt` dates of 2026 models are approximate (only /v1/models ordering uses them).
 */

const ALL_EFFORT: EffortLevel[] = ["low", "medium", "high", "xhigh", "max"];

/**
 * Server tool versions (web search tool docs): the 2025 versions on the 3.5–4.5 models, the
 * dynamic-filtering 2026-02-09 versions from Opus/Sonnet 4.6 on (the adaptive-thinking models).
 */
export const WEB_TOOLS_2025 = { search: "web_search_20250305", fetch: "web_fetch_20250910" } as const;
export const WEB_TOOLS_2026 = { search: "web_search_20260209", fetch: "web_fetch_20260209" } as const;

type Generation = Omit<ModelProfile, "id" | "displayName" | "createdAt">;

const legacyNoThinking: Generation = {
  maxOutputTokens: 8192,
  contextWindow: 200_000,
  thinking: { budget: false, adaptive: false, disable: false },
  effort: [],
  sampling: "free",
  imageInput: true,
  pdfInput: true,
  structuredOutputs: false,
  prefill: true,
  webSearch: WEB_TOOLS_2025.search,
  webFetch: WEB_TOOLS_2025.fetch,
};
const budgetFree: Generation = { ...legacyNoThinking, maxOutputTokens: 64_000, thinking: { budget: true, adaptive: false, disable: true } };
const budgetExclusive: Generation = { ...budgetFree, sampling: "exclusive" };
const budgetStructured: Generation = { ...budgetExclusive, structuredOutputs: true };
const hybrid46: Generation = {
  ...budgetStructured,
  maxOutputTokens: 128_000,
  contextWindow: 1_000_000,
  thinking: { budget: true, adaptive: true, disable: true },
  effort: ["low", "medium", "high", "max"],
  prefill: false,
  webSearch: WEB_TOOLS_2026.search,
  webFetch: WEB_TOOLS_2026.fetch,
};
const adaptiveOnly: Generation = {
  ...hybrid46,
  thinking: { budget: false, adaptive: true, disable: true },
  effort: ALL_EFFORT,
  sampling: "locked",
};
const alwaysThinking: Generation = { ...adaptiveOnly, thinking: { budget: false, adaptive: true, disable: false } };

interface Entry {
  id: string;
  displayName: string;
  createdAt: string;
  gen: Generation;
  override?: Partial<Generation>;
}

// Dated snapshots (claude-sonnet-4-5-20250929, claude-opus-4-20250514) find their entry through canonicalModelKey.
const ENTRIES: Entry[] = [
  { id: "claude-fable-5-2", displayName: "Claude Fable 5.2", createdAt: "2026-11-18T00:00:00Z", gen: alwaysThinking },
  { id: "claude-opus-5-5", displayName: "Claude Opus 5.5", createdAt: "2026-11-04T00:00:00Z", gen: adaptiveOnly },
  { id: "claude-sonnet-5-5", displayName: "Claude Sonnet 5.5", createdAt: "2026-11-04T00:00:00Z", gen: adaptiveOnly },
  { id: "claude-haiku-5-5", displayName: "Claude Haiku 5.5", createdAt: "2026-11-04T00:00:00Z", gen: adaptiveOnly },
  { id: "claude-fable-5-1", displayName: "Claude Fable 5.1", createdAt: "2026-10-01T00:00:00Z", gen: alwaysThinking },
  { id: "claude-mythos-5-2", displayName: "Claude Mythos 5.2", createdAt: "2026-11-18T00:00:00Z", gen: alwaysThinking },
  { id: "claude-mythos-5-1", displayName: "Claude Mythos 5.1", createdAt: "2026-10-01T00:00:00Z", gen: alwaysThinking },
  { id: "claude-fable-5", displayName: "Claude Fable 5", createdAt: "2026-08-20T00:00:00Z", gen: alwaysThinking },
  { id: "claude-mythos-5", displayName: "Claude Mythos 5", createdAt: "2026-08-20T00:00:00Z", gen: alwaysThinking },
  { id: "claude-opus-5", displayName: "Claude Opus 5", createdAt: "2026-07-24T00:00:00Z", gen: adaptiveOnly },
  { id: "claude-sonnet-5", displayName: "Claude Sonnet 5", createdAt: "2026-07-24T00:00:00Z", gen: adaptiveOnly },
  { id: "claude-opus-4-8", displayName: "Claude Opus 4.8", createdAt: "2026-06-10T00:00:00Z", gen: adaptiveOnly },
  { id: "claude-opus-4-7", displayName: "Claude Opus 4.7", createdAt: "2026-04-16T00:00:00Z", gen: adaptiveOnly },
  { id: "claude-sonnet-4-6", displayName: "Claude Sonnet 4.6", createdAt: "2026-02-17T00:00:00Z", gen: hybrid46 },
  { id: "claude-opus-4-6", displayName: "Claude Opus 4.6", createdAt: "2026-02-05T00:00:00Z", gen: hybrid46 },
  { id: "claude-opus-4-5", displayName: "Claude Opus 4.5", createdAt: "2025-11-24T00:00:00Z", gen: budgetStructured },
  { id: "claude-haiku-4-5", displayName: "Claude Haiku 4.5", createdAt: "2025-10-01T00:00:00Z", gen: budgetStructured },
  { id: "claude-sonnet-4-5", displayName: "Claude Sonnet 4.5", createdAt: "2025-09-29T00:00:00Z", gen: budgetStructured },
  { id: "claude-opus-4-1", displayName: "Claude Opus 4.1", createdAt: "2025-08-05T00:00:00Z", gen: budgetExclusive, override: { maxOutputTokens: 32_000 } },
  { id: "claude-opus-4-0", displayName: "Claude Opus 4", createdAt: "2025-05-22T00:00:00Z", gen: budgetExclusive, override: { maxOutputTokens: 32_000 } },
  { id: "claude-sonnet-4-0", displayName: "Claude Sonnet 4", createdAt: "2025-05-22T00:00:00Z", gen: budgetExclusive },
  { id: "claude-3-7-sonnet-latest", displayName: "Claude Sonnet 3.7", createdAt: "2025-02-24T00:00:00Z", gen: budgetFree },
  { id: "claude-3-5-haiku-latest", displayName: "Claude Haiku 3.5", createdAt: "2024-10-22T00:00:00Z", gen: legacyNoThinking },
];

function toProfile(e: Entry): ModelProfile {
  const g = { ...e.gen, ...e.override };
  return {
    id: e.id,
    displayName: e.displayName,
    createdAt: e.createdAt,
    ...g,
    thinking: { ...g.thinking },
    effort: [...g.effort],
  };
}

const BY_KEY = new Map<string, Entry>(ENTRIES.map((e) => [canonicalModelKey(e.id), e]));

/** The built-in list, newest first (what /v1/models shows when the upstream cannot be asked). */
export function fallbackProfiles(): ModelProfile[] {
  return ENTRIES.map(toProfile).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The table entry for an id, alias or dated snapshot; undefined when the table does not name it. */
export function tableProfile(id: string): ModelProfile | undefined {
  const entry = BY_KEY.get(canonicalModelKey(id));
  return entry ? toProfile(entry) : undefined;
}

/**
 * A profile for any Claude id: the table's entry when it names the model, otherwise
 * the rules of the nearest known model of the same line that is not newer (so an
 * unknown `claude-opus-9` gets the newest opus rules, and a new `claude-sonnet-4-7`
 * gets Sonnet 4.6's). An unknown line gets the newest opus rules; anything that is not
 * a Claude id gets undefined.
 */
export function fallbackProfile(id: string): ModelProfile | undefined {
  const known = tableProfile(id);
  if (known) return { ...known, id: id.trim() };
  const wanted = parseModelId(id);
  if (!wanted) return undefined;
  const versions = ENTRIES.map((e) => ({ e, v: parseModelId(e.id)! }));
  const sameLine = versions.filter((x) => x.v.line === wanted.line).sort((a, b) => compareVersions(b.v, a.v));
  const base =
    sameLine.find((x) => compareVersions(x.v, wanted) <= 0) ??
    sameLine[sameLine.length - 1] ??
    versions.filter((x) => x.v.line === "opus").sort((a, b) => compareVersions(b.v, a.v))[0];
  if (!base) return undefined;
  return { ...toProfile(base.e), id: id.trim(), displayName: id.trim() };
}

/** The newest rules the gateway knows (adaptive only, sampling locked, no prefill), for an id outside Claude's naming. */
export function newestRulesProfile(id: string): ModelProfile {
  return { ...toProfile(ENTRIES.find((e) => e.id === "claude-opus-5-5")!), id, displayName: id };
}
