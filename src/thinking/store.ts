import type { AnthropicContentBlock } from "../platforms/anthropic/types";
import type { RequestScope, ThinkingStore } from "../deps";

/**
 * Keeps the signed thinking blocks of tool-using turns, keyed by tool call id, so the
 * next request of the same tool loop can send them back (Claude requires it; OpenAI
 * clients drop them). Two tiers: a bounded map in the isolate (the common case: the
 * follow-up lands on the same isolate within seconds) and, on Workers, the Cache API
 * of the data center. Losing an entry is survivable: the request side then turns
 * thinking off for that one turn instead of failing.
 */
export interface BlobCache {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string, ttlSeconds: number): Promise<void>;
}

export class TieredThinkingStore implements ThinkingStore {
  private readonly local = new Map<string, { blocks: AnthropicContentBlock[]; bytes: number }>();
  private localBytes = 0;

  /**
   * `maxLocalBytes` bounds the isolate's tier by size as well as by count: a record that
   * carries a turn's web search results is some 40 KB per search, and a Worker isolate has
   * 128 MB in all.
   */
  constructor(
    private readonly shared: BlobCache | undefined,
    private readonly maxLocalEntries = 2000,
    private readonly ttlSeconds = 24 * 3600,
    private readonly maxLocalBytes = 16 * 1024 * 1024,
  ) {}

  put(toolCallIds: string[], blocks: AnthropicContentBlock[], scope: Pick<RequestScope, "waitUntil">): void {
    if (!toolCallIds.length || !blocks.length) return;
    const value = JSON.stringify(blocks);
    // UTF-16 units, about the heap the record takes; shared by its ids, split between them.
    const bytes = Math.ceil((value.length * 2) / toolCallIds.length);
    for (const id of toolCallIds) {
      this.drop(id);
      const entry = { blocks, bytes };
      this.local.set(id, entry);
      this.localBytes += entry.bytes;
    }
    while (this.local.size > this.maxLocalEntries || (this.localBytes > this.maxLocalBytes && this.local.size > 0)) {
      const oldest = this.local.keys().next().value;
      if (oldest === undefined) break;
      this.drop(oldest);
    }
    if (this.shared) {
      const shared = this.shared;
      scope.waitUntil(Promise.all(toolCallIds.map((id) => shared.put(id, value, this.ttlSeconds))).catch(() => undefined));
    }
  }

  private drop(id: string): void {
    const entry = this.local.get(id);
    if (!entry) return;
    this.localBytes -= entry.bytes;
    this.local.delete(id);
  }

  async get(toolCallId: string): Promise<AnthropicContentBlock[] | undefined> {
    const hit = this.local.get(toolCallId);
    if (hit) return hit.blocks;
    if (!this.shared) return undefined;
    try {
      const text = await this.shared.get(toolCallId);
      return text ? (JSON.parse(text) as AnthropicContentBlock[]) : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The Workers Cache API as a BlobCache (per data center; entries expire by max-age). */
export function workersCacheBlobs(cache: Cache, namespace = "https://thinking.claude2api.internal/"): BlobCache {
  const url = (key: string) => namespace + encodeURIComponent(key);
  return {
    async get(key) {
      const res = await cache.match(url(key));
      return res ? await res.text() : undefined;
    },
    async put(key, value, ttlSeconds) {
      await cache.put(url(key), new Response(value, { headers: { "cache-control": `max-age=${ttlSeconds}`, "content-type": "application/json" } }));
    },
  };
}
