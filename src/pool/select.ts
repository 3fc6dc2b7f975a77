/**
 * Key selection, pure: the same inputs always pick the same key, so the rules can be
 * tested without clocks or I/O. The isolate pool owns the state; this only reads it.
 */
export interface SelectableKey {
  id: string;
  /** Epoch ms; the key is unusable before this. 0 when not cooling. */
  cooldownUntil: number;
  disabled: boolean;
  inFlight: number;
  /** Monotonic counter of the last time the key was picked; lower = longer ago. */
  lastPicked: number;
}

export type Selection = { id: string } | { waitMs: number } | { none: true };

/**
 * The healthy key with the least in-flight load; ties go to the key picked longest
 * ago, which makes an idle pool round-robin instead of hammering the first key (one
 * key would hit its own rate limit long before the pool as a whole does).
 *
 * Keys in `exclude` (already tried for this request) and disabled keys never come
 * back. When every remaining key is cooling, the answer is how long until the
 * soonest recovers, so the caller can tell the client a truthful retry-after.
 */
export function selectKey(keys: readonly SelectableKey[], now: number, exclude: ReadonlySet<string>): Selection {
  let best: SelectableKey | undefined;
  let soonest = Infinity;
  for (const k of keys) {
    if (k.disabled || exclude.has(k.id)) continue;
    if (k.cooldownUntil > now) {
      soonest = Math.min(soonest, k.cooldownUntil);
      continue;
    }
    if (!best || k.inFlight < best.inFlight || (k.inFlight === best.inFlight && k.lastPicked < best.lastPicked)) best = k;
  }
  if (best) return { id: best.id };
  if (soonest !== Infinity) return { waitMs: soonest - now };
  return { none: true };
}
