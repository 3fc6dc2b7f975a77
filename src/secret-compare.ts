/** Secrets are compared here, once, in constant time: client keys by auth (http/middleware/auth.ts) and by mirror mode (pool/passthrough.ts), the admin key's hash by the admin routes. */

/** Read access to request headers: a web Headers, or the Node server's IncomingMessage headers. */
export interface HeaderLookup {
  get(name: string): string | null | undefined;
}

/**
 * Compares against every configured key without stopping early. The loop runs over the
 * presented key's characters (the client's own, known length), reading each configured key
 * cyclically, so neither the position of a match nor the length or content of a configured
 * key shows in timing. Synchronous and digest-free: hashing the presented key with
 * `crypto.subtle.digest` would add an async hop and a digest to every request.
 * Returns the index of the matching key (its usage is recorded under it), or -1.
 */
export function matchingKeyIndex(presented: string, keys: readonly string[]): number {
  const n = presented.length;
  let index = -1;
  for (let at = 0; at < keys.length; at++) {
    const k = keys[at]!;
    const m = k.length;
    let diff = n ^ m;
    if (m === 0) diff |= 1;
    else for (let i = 0, j = 0; i < n; i++, j = j + 1 === m ? 0 : j + 1) diff |= presented.charCodeAt(i) ^ k.charCodeAt(j);
    // Branch-free select: keeps the first match without a data-dependent branch.
    const hit = ((diff | -diff) >>> 31) ^ 1;
    index += hit * (index === -1 ? at + 1 : 0);
  }
  return index;
}

/** Whether the presented key is one of `keys`, by matchingKeyIndex (constant time). */
export function matchesAnyKey(presented: string, keys: readonly string[]): boolean {
  return matchingKeyIndex(presented, keys) !== -1;
}

/**
 * Compares two secrets without an early exit: the time depends only on the length of
 * `presented` (the caller's own). Callers compare fixed-length digests, so lengths match.
 */
export function constantTimeEqual(presented: string, expected: string): boolean {
  let diff = presented.length ^ expected.length;
  const n = presented.length;
  const m = expected.length || 1;
  for (let i = 0; i < n; i++) diff |= presented.charCodeAt(i) ^ (expected.charCodeAt(i % m) || 0);
  return diff === 0;
}
