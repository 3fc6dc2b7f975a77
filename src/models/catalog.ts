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

/** A refresh that has not settled after this long is given up and started again. */
export const STUCK_REFRESH_MS = 30_000;
/** How long a request waits for the first list of a fresh isolate before using the built-in table. */
export const COLD_WAIT_MS = 12_000;

/**
 * Model profiles for this isolate: the upstream's GET /v1/models, cached for `ttlMs`,
 * with the built-in table whenever the upstream has no list or fails. A failure is
 * remembered for MODEL_LIST_RETRY_MS so that an unreachable models endpoint costs one
 * attempt a minute, not one per request.
 *
 * The list is shared by every request of the isolate, but the fetch belongs to the one
 * request that started it: on Workers, if that request ends first, the fetch may never
 * settle. So nobody waits on another request's fetch longer than needed: once a list
 * exists, an expired one is served while the next is fetched (stale-while-revalidate); a
 * refresh that hangs is restarted after STUCK_REFRESH_MS; and in a fresh isolate each
 * caller waits at most COLD_WAIT_MS (on its own timer) before using the built-in table.
 */
export class CachedModelCatalog implements ModelCatalog {
  private snapshot: Snapshot | undefined;
  private inFlight: Promise<Snapshot> | undefined;
  private inFlightSince = 0;

  constructor(
    private readonly fetchModelList: () => Promise<unknown[] | undefined>,
    private readonly ttlMs: number,
    private readonly now: () => number = () => Date.now(),
    private readonly coldWaitMs = COLD_WAIT_MS,
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
    const now = this.now();
    if (snap && now < snap.expiresAt) return snap;
    if (!this.inFlight || now - this.inFlightSince > STUCK_REFRESH_MS) {
      const refresh: Promise<Snapshot> = this.refresh().finally(() => {
        if (this.inFlight === refresh) this.inFlight = undefined;
      });
      this.inFlight = refresh;
      this.inFlightSince = now;
    }
    if (snap) return snap;
    return this.waitCold(this.inFlight);
  }

  private waitCold(refresh: Promise<Snapshot>): Promise<Snapshot> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fallback = new Promise<Snapshot>((resolve) => {
      timer = setTimeout(() => resolve(build(fallbackProfiles(), false, 0)), this.coldWaitMs);
    });
    return Promise.race([refresh, fallback]).finally(() => timer !== undefined && clearTimeout(timer));
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
