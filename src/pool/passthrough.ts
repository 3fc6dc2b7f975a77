import { matchesAnyKey, type HeaderLookup } from "../secret-compare";
import type { Config } from "../config";
import type { KeyPool, KeyStatus } from "../deps";

/**
 * Mirror mode (PASSTHROUGH_KEYS): a client that brings its own Anthropic key is
 * served with that key, outside the operator's pool. Returns the client's key, or
 * undefined when the request should use the pool.
 */
export function clientAnthropicKey(headers: HeaderLookup, config: Config): string | undefined {
  if (!config.PASSTHROUGH_KEYS) return undefined;
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization")?.trim() ?? "")?.[1]?.trim();
  for (const candidate of [headers.get("x-api-key")?.trim(), bearer]) {
    if (!candidate?.startsWith("sk-ant-")) continue;
    // A gateway client key that happens to look like an Anthropic key is still a gateway key.
    if (matchesAnyKey(candidate, config.APIKEY)) continue;
    return candidate;
  }
  return undefined;
}

/**
 * The pool for a passthrough request: just the client's key, tried once. It never
 * reports anywhere; the client's key is the client's business (and its errors are
 * returned to the client as they are).
 */
export function singleKeyPool(key: string): KeyPool {
  return {
    pick: (exclude) => (exclude.has(key) ? { none: true } : { key }),
    begin: () => {},
    end: () => {},
    status: async (): Promise<KeyStatus[]> => [],
  };
}
