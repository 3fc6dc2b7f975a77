import type { Logger } from "../deps";
import type { UploadIntent, UploadRecord } from "./tracker";

export interface SweepPolicy {
  now: number;
  /** FILE_IDLE_SECONDS in ms: a gateway file unused this long is deleted. */
  idleMs: number;
  /** CHAT_DELETE: off keeps every file until the operator deletes it. */
  chatDelete: boolean;
  /**
   * How long an intent may stay open before it counts as abandoned. Generous, because a
   * live request may still be uploading a large file.
   */
  intentGraceMs: number;
}

/** An upload that failed to clean up is retried this much later. */
export const SWEEP_RETRY_MS = 5 * 60_000;
export const INTENT_GRACE_MS = 15 * 60_000;

export interface SweepPlan {
  expiredFiles: UploadRecord[];
  dueIntents: UploadIntent[];
  /** When the next sweep is due for what remains, or null when nothing will ever be. */
  nextAt: number | null;
}

/** Decides what is due; no I/O. Client files are never due. */
export function planSweep(files: readonly UploadRecord[], intents: readonly UploadIntent[], p: SweepPolicy): SweepPlan {
  const expiredFiles: UploadRecord[] = [];
  const dueIntents: UploadIntent[] = [];
  let nextAt: number | null = null;
  const later = (t: number) => (nextAt = nextAt === null ? t : Math.min(nextAt, t));
  for (const f of files) {
    if (f.owner !== "gateway" || !p.chatDelete) continue;
    const due = f.lastUsedAt + p.idleMs;
    if (due <= p.now) expiredFiles.push(f);
    else later(due);
  }
  // Intents are resolved whatever CHAT_DELETE says: with it off, the landed file becomes
  // a normal record that later turns can reuse.
  for (const i of intents) {
    const due = i.startedAt + p.intentGraceMs;
    if (due <= p.now) dueIntents.push(i);
    else later(due);
  }
  return { expiredFiles, dueIntents, nextAt };
}

/** What a sweeper needs from the upstream; "no_key" when the key is no longer configured. */
export interface SweepIO {
  deleteFile(keyHash: string, fileId: string): Promise<"deleted" | "no_key">;
  findByFilename(keyHash: string, filename: string): Promise<string | undefined | "no_key">;
}

/** The tracker's storage as the sweeper changes it. */
export interface SweepStore {
  files(): Promise<UploadRecord[]> | UploadRecord[];
  intents(): Promise<UploadIntent[]> | UploadIntent[];
  record(rec: UploadRecord, intentId?: string): Promise<void> | void;
  cancel(intentId: string): Promise<void> | void;
  forget(fileId: string): Promise<void> | void;
}

export interface SweepResult {
  deleted: string[];
  failed: number;
  nextAt: number | null;
}

/**
 * One sweep: resolves abandoned intents, deletes idle gateway files. Failures stay in
 * the store and are retried SWEEP_RETRY_MS later; a key that is gone from the
 * configuration can never delete its files, so those records are dropped with a warning.
 */
export async function runSweep(store: SweepStore, io: SweepIO, policy: SweepPolicy, log: Logger): Promise<SweepResult> {
  const intents = await store.intents();
  let failed = 0;
  for (const intent of planSweep([], intents, policy).dueIntents) {
    try {
      const found = await io.findByFilename(intent.keyHash, intent.filename);
      if (found === "no_key") {
        log.warn("uploads.sweep.key_gone", { intent: intent.intentId });
        await store.cancel(intent.intentId);
      } else if (found === undefined) {
        await store.cancel(intent.intentId);
      } else {
        await store.record(
          {
            fileId: found,
            sha256: intent.sha256,
            keyHash: intent.keyHash,
            owner: "gateway",
            bytes: intent.bytes,
            filename: intent.filename,
            mimeType: intent.mimeType,
            purpose: "",
            uploadedAt: intent.startedAt,
            lastUsedAt: intent.startedAt,
          },
          intent.intentId,
        );
      }
    } catch (err) {
      failed++;
      log.warn("uploads.sweep.intent_failed", { intent: intent.intentId, error: String(err) });
    }
  }

  const deleted: string[] = [];
  for (const file of planSweep(await store.files(), [], policy).expiredFiles) {
    try {
      const outcome = await io.deleteFile(file.keyHash, file.fileId);
      if (outcome === "no_key") log.warn("uploads.sweep.key_gone", { fileId: file.fileId });
      else deleted.push(file.fileId);
      await store.forget(file.fileId);
    } catch (err) {
      failed++;
      log.warn("uploads.sweep.delete_failed", { fileId: file.fileId, error: String(err) });
    }
  }

  const after = planSweep(await store.files(), await store.intents(), policy);
  let nextAt = after.nextAt;
  if (failed) nextAt = Math.min(nextAt ?? Infinity, policy.now + SWEEP_RETRY_MS);
  // Failed items are still due "now" in the plan above; their retry time wins.
  if (nextAt !== null && nextAt <= policy.now) nextAt = policy.now + SWEEP_RETRY_MS;
  return { deleted, failed, nextAt };
}
