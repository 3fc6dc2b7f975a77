const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Random bytes drawn 1,536 at a time: one getRandomValues call per 64 ids instead of one per id. */
const pool = new Uint8Array(24 * 64);
let used = pool.length;

/** `chatcmpl-` + 24 random base62 characters: one id for a response and all its chunks. */
export function newCompletionId(): string {
  if (used === pool.length) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  let s = "chatcmpl-";
  for (let end = used + 24; used < end; used++) s += ALPHABET[pool[used]! % 62];
  return s;
}
