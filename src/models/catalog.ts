import type { ModelCatalog } from "../deps";
import type { ModelProfile } from "./profile";
import { profileFromModelInfo } from "./model-info";
import { fallbackProfile, fallbackProfiles } from "./fallback";
import { canonicalModelKey } from "./model-id";

/** After a failed fetch, ask again after this long (or the TTL if shorter): not on every request. */
export const MODEL_LIST_RETRY_MS = 60_000;

interface Snapshot {
  profiles: ModelProfile[];
  /** Upstream id and canonical alias → profile. */
  byKey: Map<string, ModelProfile>;
  fromUpstream: boolean;
  expiresAt: number;
}

/**
 * Model profiles for this isolate: the upstream's GET /v1/models, cached for `ttlMs`,
 * with the built-in table whenever the upstream has no list or fails. Concurrent callers
 * share one in-flight fetch; a failure is remembered for MODEL_LIST_RETRY_MS so that an
 * unreachable models endpoint costs one attempt a minute, not one per request.
 */
export class CachedModelCatalog implements ModelCatalog {
  private snapshot: Snapshot | undefined;
  private inFlight: Promise<Snapshot> | undefined;

  constructor(
    private readonly fetchModelList: () => Promise<unknown[] | undefined>,
    private readonly ttlMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async list(): Promise<ModelProfile[]> {
    return (await this.current()).profiles;
  }

  /**
   * Resolves an exact upstream id first, then any alias or dated snapshot of it
   * (`claude-sonnet-4-5` finds `claude-sonnet-4-5-20250929`), then the built-in rules
   * (table or family fallback) for ids the upstream does not list.
   */
  async get(id: string): Promise<ModelProfile | undefined> {
    const snap = await this.current();
    const exact = snap.byKey.get(id.trim());
    if (exact) return exact;
    const alias = snap.byKey.get(canonicalModelKey(id));
    if (alias) return alias;
    return fallbackProfile(id);
  }

  private async current(): Promise<Snapshot> {
    const snap = this.snapshot;
    if (snap && this.now() < snap.expiresAt) return snap;
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async refresh(): Promise<Snapshot> {
    let raw: unknown[] | undefined;
    try {
      raw = await this.fetchModelList();
    } catch {
      raw = undefined;
    }
    const profiles = (raw ?? []).map(profileFromModelInfo).filter((p): p is ModelProfile => p !== undefined);
    const fromUpstream = profiles.length > 0;
    const snap = build(
      fromUpstream ? profiles : fallbackProfiles(),
      fromUpstream,
      this.now() + (fromUpstream ? this.ttlMs : Math.min(this.ttlMs, MODEL_LIST_RETRY_MS)),
    );
    this.snapshot = snap;
    return snap;
  }
}

function build(profiles: ModelProfile[], fromUpstream: boolean, expiresAt: number): Snapshot {
  const byKey = new Map<string, ModelProfile>();
  for (const p of profiles) byKey.set(p.id, p);
  // Aliases second, so that an exact id always wins; the first (newest) snapshot of an alias wins.
  for (const p of profiles) {
    const key = canonicalModelKey(p.id);
    if (!byKey.has(key)) byKey.set(key, p);
  }
  return { profiles, byKey, fromUpstream, expiresAt };
}
