/**
 * Client key material: how managed keys are made, stored (a hash, never the key) and
 * compared, and how the static APIKEY keys get stable ids. Nothing here is stored or
 * logged in the clear except the key's last four characters.
 */

/** Managed keys start with this, so the gateway knows a presented key is worth a lookup. */
export const MANAGED_KEY_PREFIX = "sk-c2a-";

/** 32 random bytes (256 bits) as base64url: `sk-c2a-` + 43 characters. */
export function newClientKey(): string {
  return MANAGED_KEY_PREFIX + base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Ids for managed keys: `key_` + 16 random hex characters (not secret, not derived from the key). */
export function newKeyId(): string {
  return "key_" + hex(crypto.getRandomValues(new Uint8Array(8)));
}

/** True when the presented key has the managed shape (worth hashing and looking up). */
export function looksManaged(key: string): boolean {
  return key.startsWith(MANAGED_KEY_PREFIX) && key.length >= MANAGED_KEY_PREFIX.length + 32 && key.length <= 128;
}

type NodeHash = { update(b: string): NodeHash; digest(enc: "hex"): string };
type NodeCrypto = { createHash(alg: string): NodeHash };
/** node:crypto where the runtime has it (Node; workerd with nodejs_compat), without importing it into the Worker. */
const nodeCrypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.("node:crypto") as NodeCrypto | undefined;

/**
 * Hex SHA-256 of a key, the form in which managed keys are stored and looked up.
 * Synchronous where node:crypto exists (no async hop on the request path), else through
 * crypto.subtle. A key has 256 bits of entropy, so an unsalted fast hash is enough: there
 * is no dictionary to try.
 */
export function hashKey(key: string): string | Promise<string> {
  if (nodeCrypto) return nodeCrypto.createHash("sha256").update(key).digest("hex");
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)).then((d) => hex(new Uint8Array(d)));
}

/**
 * A stable id for a static APIKEY key: `key_static_` + 12 hex characters of a hash of it.
 * The same key gets the same id on every isolate and after a restart, so its usage rows
 * add up; the id reveals nothing usable about a high-entropy key.
 */
export async function staticKeyId(key: string): Promise<string> {
  return "key_static_" + (await hashKey("claude2api static key id\0" + key)).slice(0, 12);
}

/** The last four characters, the only part of a key that is ever shown. */
export function last4(key: string): string {
  return key.slice(-4);
}

function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

function base64url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
