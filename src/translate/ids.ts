const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `chatcmpl-` + 24 random base62 characters: one id for a response and all its chunks. */
export function newCompletionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  let s = "chatcmpl-";
  for (const b of bytes) s += ALPHABET[b % 62];
  return s;
}
