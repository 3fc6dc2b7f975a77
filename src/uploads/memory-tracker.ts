import type { Logger, RequestScope } from "../deps";
import { runSweep, INTENT_GRACE_MS, type SweepIO, type SweepResult } from "./sweep";
import type { UploadIntent, UploadRecord, UploadTracker } from "./tracker";

export interface MemoryTrackerOptions {
  chatDelete: boolean;
  idleSeconds: number;
  /** How the sweeper reaches the Files API (filesSweepIO). */
  io: SweepIO;
  log: Logger;
  now?: () => number;
}

/**
 * UploadTracker for Node (one process, no Durable Objects). State is lost on restart,
 * which is why Node deployments should keep CHAT_DELETE's sweep interval short.
 */
export class MemoryUploadTracker implements UploadTracker {
  private readonly files = new Map<string, UploadRecord>();
  private readonly intents = new Map<string, UploadIntent>();
  private readonly now: () => number;

  constructor(private readonly opts: MemoryTrackerOptions) {
    this.now = opts.now ?? Date.now;
  }

  async lookup(sha256: string, keyHash: string, tenant?: string): Promise<UploadRecord | undefined> {
    let best: UploadRecord | undefined;
    for (const r of this.files.values()) {
      if (r.owner === "gateway" && r.sha256 === sha256 && r.keyHash === keyHash && (r.tenant ?? "") === (tenant ?? "") && (!best || r.uploadedAt > best.uploadedAt)) best = r;
    }
    if (best) best.lastUsedAt = this.now();
    return best && { ...best };
  }

  async begin(intent: UploadIntent): Promise<void> {
    this.intents.set(intent.intentId, { ...intent });
  }

  async record(rec: UploadRecord, intentId?: string): Promise<void> {
    this.files.set(rec.fileId, { ...rec });
    if (intentId) this.intents.delete(intentId);
  }

  async cancel(intentId: string): Promise<void> {
    this.intents.delete(intentId);
  }

  touch(fileIds: string[], _scope: Pick<RequestScope, "waitUntil">): void {
    const now = this.now();
    for (const id of fileIds) {
      const r = this.files.get(id);
      if (r) r.lastUsedAt = Math.max(r.lastUsedAt, now);
    }
  }

  async get(fileId: string): Promise<UploadRecord | undefined> {
    const r = this.files.get(fileId);
    return r && { ...r };
  }

  async listClient(): Promise<UploadRecord[]> {
    return [...this.files.values()].filter((r) => r.owner === "client").sort((a, b) => b.uploadedAt - a.uploadedAt).map((r) => ({ ...r }));
  }

  async forget(fileId: string): Promise<void> {
    this.files.delete(fileId);
  }

  async pending(): Promise<UploadRecord[]> {
    return [...this.files.values()].map((r) => ({ ...r }));
  }

  /** Open intents (uploads announced and not yet recorded). */
  openIntents(): UploadIntent[] {
    return [...this.intents.values()].map((i) => ({ ...i }));
  }

  /** One sweep; a Node host calls this on an interval. */
  sweep(now = this.now()): Promise<SweepResult> {
    const store = {
      files: () => [...this.files.values()],
      intents: () => [...this.intents.values()],
      record: (rec: UploadRecord, intentId?: string) => this.record(rec, intentId),
      cancel: (id: string) => this.cancel(id),
      forget: (id: string) => this.forget(id),
    };
    return runSweep(store, this.opts.io, { now, idleMs: this.opts.idleSeconds * 1000, chatDelete: this.opts.chatDelete, intentGraceMs: INTENT_GRACE_MS }, this.opts.log);
  }
}
