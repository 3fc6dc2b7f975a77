import type { HeaderLookup } from "../http/middleware/auth";
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
    if (config.APIKEY.some((k) => sameString(k, candidate))) continue;
    return candidate;
  }
  return undefined;
}

/** Compares every character whatever the first difference, so timing does not reveal a client key's prefix. */
function sameString(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
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
