/**
 * Model id arithmetic: aliases, dated snapshots, the `-think` suffix and version parsing.
 * Pure string functions, so that the catalog and the fallback table agree on what
 * "the same model" means.
 */

/** Clients pick a thinking variant by appending this to a model id (the seed project's convention). */
export const THINK_SUFFIX = "-think";

/**
 * Splits the `-think` suffix off a requested model id: `claude-sonnet-4-5-think` →
 * upstream `claude-sonnet-4-5`, thinking on.
 */
export function resolveRequestedModel(requested: string): { upstreamId: string; think: boolean } {
  const id = requested.trim();
  if (id.length > THINK_SUFFIX.length && id.toLowerCase().endsWith(THINK_SUFFIX)) {
    return { upstreamId: id.slice(0, -THINK_SUFFIX.length), think: true };
  }
  return { upstreamId: id, think: false };
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
