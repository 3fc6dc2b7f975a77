/**
 * Model id arithmetic: aliases, dated snapshots, the `-think` suffix and version parsing.
 * Pure string functions, so that the catalog and the fallback table agree on what
 * "the same model" means.
 */

import { clip, GatewayError } from "../errors";

/** Longer than any model id Anthropic, Bedrock or Vertex uses, by far. */
export const MAX_MODEL_ID_LENGTH = 256;

/**
 * Characters no model id contains: whitespace (including CR/LF), control and format
 * characters, lone surrogates, private-use and unassigned code points. Such an id can
 * only be a mistake or an attack (header or log injection, a cache key that never
 * matches), so it is refused here rather than sent upstream; every other unknown id
 * still goes upstream, so that a new model works without a release of the gateway.
 */
const NOT_IN_A_MODEL_ID = /[\s\p{C}\p{Z}]/u;

/** Why `id` cannot be a model id, or undefined when it may be one. */
export function modelIdProblem(id: string): string | undefined {
  if (id.length === 0) return "must not be empty";
  if (id.length > MAX_MODEL_ID_LENGTH) return `must be at most ${MAX_MODEL_ID_LENGTH} characters, got ${id.length}`;
  const bad = NOT_IN_A_MODEL_ID.exec(id);
  if (bad) {
    const code = bad[0].codePointAt(0) ?? 0;
    return `${JSON.stringify(clip(id))} cannot be a model id: it contains U+${code.toString(16).toUpperCase().padStart(4, "0")} (whitespace, a control character or an invalid code point) at index ${bad.index}`;
  }
  return undefined;
}

/** A 400 naming `param` for an id that cannot be a model id (see modelIdProblem); nothing is sent upstream. */
export function assertModelId(id: string, param = "model"): void {
  const problem = modelIdProblem(id);
  if (problem) throw new GatewayError(400, `${param}: ${problem}`, "invalid_request_error", param, "invalid_model_id");
}

/** Clients pick a thinking variant by appending this to a model id (the seed project's convention). */
export const THINK_SUFFIX = "-think";
/** …and a web search variant with this one (for frontends that can only pick a model, like NextChat). */
export const SEARCH_SUFFIX = "-search";

/**
 * Splits the variant suffixes off a requested model id, in either order:
 * `claude-sonnet-4-5-think` → upstream `claude-sonnet-4-5`, thinking on;
 * `claude-sonnet-4-5-think-search` (or `-search-think`) → thinking and web search on.
 */
export function resolveRequestedModel(requested: string): { upstreamId: string; think: boolean; search: boolean } {
  let id = requested.trim();
  let think = false;
  let search = false;
  for (let i = 0; i < 2; i++) {
    const lower = id.toLowerCase();
    if (!think && id.length > THINK_SUFFIX.length && lower.endsWith(THINK_SUFFIX)) {
      id = id.slice(0, -THINK_SUFFIX.length);
      think = true;
    } else if (!search && id.length > SEARCH_SUFFIX.length && lower.endsWith(SEARCH_SUFFIX)) {
      id = id.slice(0, -SEARCH_SUFFIX.length);
      search = true;
    }
  }
  return { upstreamId: id, think, search };
}

/**
 * One key for every spelling of a model: the dateless alias. `claude-sonnet-4-5-20250929`,
 * `claude-sonnet-4-5@20250929` (Vertex) and `claude-sonnet-4-5` all map to
 * `claude-sonnet-4-5`; `claude-opus-4-0` and `claude-opus-4-20250514` to `claude-opus-4`;
 * `claude-3-7-sonnet-latest` to `claude-3-7-sonnet`.
 */
export function canonicalModelKey(id: string): string {
  return id
    .trim()
    .toLowerCase()
    .replace(/[-@]\d{8}$/, "")
    .replace(/-latest$/, "")
    .replace(/-0$/, "");
}

export interface ParsedModelId {
  line: string;
  major: number;
  minor: number;
}

/**
 * Reads line and version from a Claude id in either naming scheme:
 * `claude-opus-4-8`, `claude-opus-5`, `claude-sonnet-4-5-20250929` (line first, since
 * Claude 4) or `claude-3-7-sonnet-20250219` (version first, Claude 3). Undefined for
 * anything that is not a Claude id.
 */
export function parseModelId(id: string): ParsedModelId | undefined {
  const key = canonicalModelKey(id);
  const modern = /^claude-([a-z]+)-(\d+)(?:-(\d{1,2}))?(?:-|$)/.exec(key);
  if (modern && modern[1] && modern[2]) {
    return { line: modern[1], major: Number(modern[2]), minor: modern[3] ? Number(modern[3]) : 0 };
  }
  const legacy = /^claude-(\d+)(?:-(\d{1,2}))?-([a-z]+)(?:-|$)/.exec(key);
  if (legacy && legacy[1] && legacy[3]) {
    return { line: legacy[3], major: Number(legacy[1]), minor: legacy[2] ? Number(legacy[2]) : 0 };
  }
  return undefined;
}

/** Orders versions: negative when a is older than b. */
export function compareVersions(a: ParsedModelId, b: ParsedModelId): number {
  return a.major - b.major || a.minor - b.minor;
}
