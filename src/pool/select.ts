import { fnv1a32 } from "../hash";

/**
 * Key selection, pure: the same inputs always pick the same key, so the rules can be
 * tested without clocks or I/O. The isolate pool owns the state; this only reads it.
 */
export interface SelectableKey {
  id: string;
  /** Epoch ms; rate limited (a 429) before this, so not tried. 0 when not cooling. */
  cooldownUntil: number;
  /** Epoch ms; backing off after failures before this: tried only when no key is healthy. 0 when not. */
  backoffUntil: number;
  disabled: boolean;
  inFlight: number;
  /** Monotonic counter of the last time the key was picked; lower = longer ago. */
  lastPicked: number;
}

export type Selection = { id: string } | { waitMs: number } | { none: true };

/**
 * How many more in-flight requests the conversation's own key may carry than the
 * least-loaded key before load wins over affinity.
 */
export const AFFINITY_SLACK = 2;

/**
 * The healthy key with the least in-flight load; ties go to the key picked longest
 * ago, which makes an idle pool round-robin instead of hammering the first key (one
 * key would hit its own rate limit long before the pool as a whole does).
 *
 * Keys in `exclude` (already tried for this request) and disabled keys never come
 * back. A key backing off after 529/5xx/network failures is avoided while a healthy
 * key exists; when none does, the one whose back-off ends first is tried (half-open)
 * rather than the request refused: an upstream blip must not become a local outage.
 * Only when every remaining key is rate limited (a known recovery time) is the answer
 * how long until the soonest recovers, so the caller can wait for it or tell the
 * client a truthful retry-after.
 *
 * With an `affinity` (a conversation's id), the conversation sticks to one usable key
 * (rendezvous hashing: the highest score wins, so when that key cools, all of its
 * conversations move to the same second choice) unless it is clearly busier than the
 * least-loaded key. Prompt caches and uploaded files live per workspace: a chat that
 * alternated keys would miss its cache and upload its attachments once per key.
 */
export function selectKey(keys: readonly SelectableKey[], now: number, exclude: ReadonlySet<string>, affinity?: string): Selection {
  let best: SelectableKey | undefined;
  let halfOpen: SelectableKey | undefined;
  let soonest = Infinity;
  for (const k of keys) {
    if (k.disabled || exclude.has(k.id)) continue;
    if (k.cooldownUntil > now) {
      soonest = Math.min(soonest, k.cooldownUntil);
      continue;
    }
    if (k.backoffUntil > now) {
      if (!halfOpen || k.backoffUntil < halfOpen.backoffUntil || (k.backoffUntil === halfOpen.backoffUntil && k.inFlight < halfOpen.inFlight)) halfOpen = k;
      continue;
    }
    if (!best || k.inFlight < best.inFlight || (k.inFlight === best.inFlight && k.lastPicked < best.lastPicked)) best = k;
  }
  if (best && affinity !== undefined) {
    let preferred: SelectableKey | undefined;
    let top = -1;
    for (const k of keys) {
      if (k.disabled || exclude.has(k.id) || k.cooldownUntil > now || k.backoffUntil > now) continue;
      // FNV-1a: cheap, synchronous and stable across isolates, which is all a preference needs.
      const score = fnv1a32(`${affinity}\u0000${k.id}`);
      if (score > top) [preferred, top] = [k, score];
    }
    if (preferred && preferred.inFlight <= best.inFlight + AFFINITY_SLACK) return { id: preferred.id };
  }
  if (best) return { id: best.id };
  if (halfOpen) return { id: halfOpen.id };
  if (soonest !== Infinity) return { waitMs: soonest - now };
  return { none: true };
}
