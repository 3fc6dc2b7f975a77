import type { KeyPool } from "../deps";
import type { PlatformName } from "../platforms/anthropic-shaped";
import { platformOfMember } from "./members";

/**
 * Views of the key pool for one request, without touching its health bookkeeping:
 * `restrictedPool` hides the members that cannot serve it (a model the platform lacks,
 * a Files API reference, a tool it does not have), `orderedPool` applies POOL_ORDER's
 * priority (the first platform with a usable member, then down the list). Both only
 * widen `exclude` before the pool's own pick, so health, cooling and affinity rules stay
 * the pool's.
 */
export function restrictedPool(pool: KeyPool, hidden: ReadonlySet<string>): KeyPool {
  if (!hidden.size) return pool;
  return {
    ...bind(pool),
    pick: (exclude, scope, affinity) => pool.pick(union(exclude, hidden), scope, affinity),
  };
}

export function orderedPool(pool: KeyPool, order: readonly PlatformName[], members: readonly string[]): KeyPool {
  if (order.length === 0) return pool;
  // Platforms POOL_ORDER leaves out come last, in their usual spread.
  const tiers = [...order, ...(["anthropic", "bedrock", "vertex"] as const).filter((p) => !order.includes(p))];
  return {
    ...bind(pool),
    pick: (exclude, scope, affinity) => {
      let soonest: number | undefined;
      for (const platform of tiers) {
        const others = new Set(members.filter((m) => platformOfMember(m) !== platform));
        const choice = pool.pick(union(exclude, others), scope, affinity);
        if ("key" in choice) return choice;
        if ("waitMs" in choice) soonest = Math.min(soonest ?? Infinity, choice.waitMs);
      }
      return soonest === undefined ? { none: true } : { waitMs: soonest };
    },
  };
}

function bind(pool: KeyPool): KeyPool {
  return {
    pick: pool.pick.bind(pool),
    begin: pool.begin.bind(pool),
    end: pool.end.bind(pool),
    status: pool.status.bind(pool),
    ...(pool.enable ? { enable: pool.enable.bind(pool) } : {}),
  };
}

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set(a);
  for (const x of b) out.add(x);
  return out;
}
