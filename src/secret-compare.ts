/** Secrets are compared here, once, in constant time: client keys by auth (http/middleware/auth.ts) and by mirror mode (pool/passthrough.ts). */

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
 */
export function matchesAnyKey(presented: string, keys: readonly string[]): boolean {
  const n = presented.length;
  let matched = 0;
  for (const k of keys) {
    const m = k.length;
    let diff = n ^ m;
    if (m === 0) diff |= 1;
    else for (let i = 0, j = 0; i < n; i++, j = j + 1 === m ? 0 : j + 1) diff |= presented.charCodeAt(i) ^ k.charCodeAt(j);
    matched |= diff === 0 ? 1 : 0;
  }
  return matched === 1;
}
