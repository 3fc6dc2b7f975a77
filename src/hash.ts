/**
 * The gateway's hashes, in one place: SHA-256 where a value must not be guessable back
 * (keys: hashSecret; attachment contents: sha256Hex), FNV-1a where a short, stable,
 * synchronous hash is all that is needed (tool id collision guards, key preference). The
 * simulator keeps its own: it shares no code with the gateway.
 */

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

type NodeHash = { update(b: string | Uint8Array): NodeHash; digest(enc: "hex"): string };
type NodeCrypto = { createHash(alg: string): NodeHash };
/** node:crypto where the runtime has it (Node; workerd with nodejs_compat), without importing it into the Worker. */
const nodeCrypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.("node:crypto") as NodeCrypto | undefined;

/** Hex SHA-256 of text (UTF-8) or bytes. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  // Node's crypto.subtle copies its input before hashing: a second copy of a large
  // attachment at the peak. An incremental hash reads the caller's bytes in place.
  if (nodeCrypto && typeof data !== "string" && data.byteLength > 1 << 20) {
    const h = nodeCrypto.createHash("sha256");
    for (let i = 0; i < data.byteLength; i += 1 << 20) h.update(data.subarray(i, i + (1 << 20)));
    return h.digest("hex");
  }
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)));
}

/**
 * Hex SHA-256 of a secret (an upstream key, a client key, the admin key): how the gateway
 * names, stores and compares a key without holding it. The key pool's shared state and the
 * client-key store persist this exact form, so it must not change. Synchronous where
 * node:crypto exists (no async hop on the request path), else through crypto.subtle. Keys
 * are high-entropy, so an unsalted fast hash is enough: there is no dictionary to try.
 */
export function hashSecret(secret: string): string | Promise<string> {
  if (nodeCrypto) return nodeCrypto.createHash("sha256").update(secret).digest("hex");
  return sha256Hex(secret);
}

/** 32-bit FNV-1a of a string's UTF-16 code units, unsigned. Not for anything secret. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
