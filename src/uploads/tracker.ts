import type { RequestScope } from "../request-scope";
import { hashSecret } from "../hash";

/**
 * "gateway": uploaded by the gateway to offload a large attachment; swept when idle
 * (CHAT_DELETE). "client": uploaded by a client through /v1/files; it belongs to the
 * client and is never swept.
 */
export type UploadOwner = "gateway" | "client";

export interface UploadRecord {
  fileId: string;
  /** SHA-256 of the content, hex: how a resent attachment is recognised. */
  sha256: string;
  /** uploadKeyHash() of the upstream key whose workspace holds the file. Never the key. */
  keyHash: string;
  owner: UploadOwner;
  bytes: number;
  filename: string;
  mimeType: string;
  /** OpenAI `purpose` of a client upload ("" for gateway uploads). */
  purpose: string;
  /**
   * The client key (its id) that uploaded a client file: only that key lists, reads,
   * deletes or references it. Empty or absent: made before client keys existed, or in
   * the open demo / mirror mode.
   */
  tenant?: string;
  /** Epoch milliseconds. */
  uploadedAt: number;
  lastUsedAt: number;
}

/**
 * Written before an upload starts, so that a request that dies mid-upload still leaves
 * something to sweep: the upload's filename is unique to the intent, and the sweeper
 * finds the file (if it landed) by listing the key's workspace.
 */
export interface UploadIntent {
  intentId: string;
  sha256: string;
  keyHash: string;
  bytes: number;
  filename: string;
  mimeType: string;
  startedAt: number;
}

/**
 * Where the gateway remembers what it uploaded: a Durable Object on Workers
 * (UploadTrackerDO), in-process on Node (MemoryUploadTracker).
 */
export interface UploadTracker {
  /** A reusable gateway-owned file with this content in this key's workspace; marks it used. */
  lookup(sha256: string, keyHash: string, tenant?: string): Promise<UploadRecord | undefined>;
  /** Call before uploading: registers the intent the sweeper resolves if no `record` follows. */
  begin(intent: UploadIntent): Promise<void>;
  /** Call after uploading: stores the file (and clears the intent that announced it). */
  record(rec: UploadRecord, intentId?: string): Promise<void>;
  /** The upload certainly did not happen (the upstream refused it): forget the intent. */
  cancel(intentId: string): Promise<void>;
  /** Marks files as used (extends their idle time), off the critical path. */
  touch(fileIds: string[], scope: Pick<RequestScope, "waitUntil">): void;
  /** Any tracked file by id (gateway or client). */
  get(fileId: string): Promise<UploadRecord | undefined>;
  /** Client-owned files, newest first (what GET /v1/files lists). */
  listClient(): Promise<UploadRecord[]>;
  /** Drops a record (after the file was deleted upstream). */
  forget(fileId: string): Promise<void>;
  /** Every tracked record (operator view and tests). */
  pending(): Promise<UploadRecord[]>;
}

export { sha256Hex, toHex } from "../hash";

/**
 * How upload records name the upstream key whose workspace holds a file: hashSecret's first
 * 128 bits. Shorter than the pool's full hash because UploadTrackerDO has stored this form
 * from the start; changing it would orphan existing records (their files never swept).
 */
export async function uploadKeyHash(key: string): Promise<string> {
  return (await hashSecret(key)).slice(0, 32);
}

/** Resolves a key hash back to one of the keys the gateway holds. */
export async function keyForHash(hash: string, keys: readonly string[]): Promise<string | undefined> {
  for (const key of keys) if ((await uploadKeyHash(key)) === hash) return key;
  return undefined;
}
