/**
 * Client key material: how managed keys are made and recognised, and how the static APIKEY
 * keys get stable ids. Keys are stored as hashSecret's hash (src/hash.ts), never in the
 * clear, and compared in src/secret-compare.ts; only the last four characters are shown.
 */
import { hashSecret, toHex } from "../hash";
import { encodeBase64Url } from "../attachments/base64";

/** Managed keys start with this, so the gateway knows a presented key is worth a lookup. */
export const MANAGED_KEY_PREFIX = "sk-c2a-";

/** 32 random bytes (256 bits) as base64url: `sk-c2a-` + 43 characters. */
export function newClientKey(): string {
  return MANAGED_KEY_PREFIX + encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Ids for managed keys: `key_` + 16 random hex characters (not secret, not derived from the key). */
export function newKeyId(): string {
  return "key_" + toHex(crypto.getRandomValues(new Uint8Array(8)));
}

/** True when the presented key has the managed shape (worth hashing and looking up). */
export function looksManaged(key: string): boolean {
  return key.startsWith(MANAGED_KEY_PREFIX) && key.length >= MANAGED_KEY_PREFIX.length + 32 && key.length <= 128;
}

/**
 * A stable id for a static APIKEY key: `key_static_` + 12 hex characters of a hash of it.
 * The same key gets the same id on every isolate and after a restart, so its usage rows
 * add up (so its form must not change: src/hash.test.ts pins it); the id reveals nothing
 * usable about a high-entropy key.
 */
export async function staticKeyId(key: string): Promise<string> {
  return "key_static_" + (await hashSecret("claude2api static key id\0" + key)).slice(0, 12);
}

/** The last four characters, the only part of a key that is ever shown. */
export function last4(key: string): string {
  return key.slice(-4);
}
