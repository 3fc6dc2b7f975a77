import { DurableObject } from "cloudflare:workers";
import { parseConfig, type Config } from "../config";
import { createConsoleLogger } from "../log";
import { filesAccess, type FilesAccess } from "../runtime/build-deps";
import { INTENT_GRACE_MS, runSweep, type SweepResult, type SweepStore } from "./sweep";
import { filesSweepIO } from "./sweep-io";
import type { UploadIntent, UploadOwner, UploadRecord } from "./tracker";

type Row = Record<string, SqlStorageValue>;

/**
 * One object (named "global") records every file the gateway uploaded, and the client
 * uploads made through /v1/files. Its alarm sweeps idle gateway files (CHAT_DELETE) and
 * resolves uploads that a dead request announced but never recorded. It is only on the
 * path of requests that carry a large attachment or use /v1/files.
 */
export class UploadTrackerDO extends DurableObject<Record<string, unknown>> {
  private readonly sql: SqlStorage;
  /** An object's env never changes: parsed on first use, not on every call. */
  #config: Config | undefined;
  /** The Files API and keys of the sweep, built from this object's env on first use. */
  #files: FilesAccess | undefined;

  constructor(ctx: DurableObjectState, env: Record<string, unknown>) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS files (
      file_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, key_hash TEXT NOT NULL, owner TEXT NOT NULL,
      bytes INTEGER NOT NULL, filename TEXT NOT NULL, mime_type TEXT NOT NULL, purpose TEXT NOT NULL,
      uploaded_at INTEGER NOT NULL, last_used_at INTEGER NOT NULL)`);
    this.sql.exec(`CREATE INDEX IF NOT EXISTS files_by_content ON files (sha256, key_hash, owner)`);
    // Added with client keys: which key a client upload belongs to.
    const columns = this.sql.exec(`PRAGMA table_info(files)`).toArray().map((c) => String(c.name));
    if (!columns.includes("tenant")) this.sql.exec(`ALTER TABLE files ADD COLUMN tenant TEXT NOT NULL DEFAULT ''`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS intents (
      intent_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, key_hash TEXT NOT NULL, bytes INTEGER NOT NULL,
      filename TEXT NOT NULL, mime_type TEXT NOT NULL, started_at INTEGER NOT NULL)`);
  }

  /** A gateway upload of this content in this workspace, made for this client key (uploads are not shared across keys). */
  async lookup(sha256: string, keyHash: string, tenant?: string): Promise<UploadRecord | null> {
    const row = this.sql
      .exec(`SELECT * FROM files WHERE sha256 = ? AND key_hash = ? AND owner = 'gateway' AND tenant = ? ORDER BY uploaded_at DESC LIMIT 1`, sha256, keyHash, tenant ?? "")
      .toArray()[0];
    if (!row) return null;
    // Marking it used in the same step keeps a sweep from deleting a file just handed out.
    const now = Date.now();
    this.sql.exec(`UPDATE files SET last_used_at = MAX(last_used_at, ?) WHERE file_id = ?`, now, row.file_id);
    await this.scheduleAt(now + this.policy().idleMs);
    return { ...toRecord(row), lastUsedAt: Math.max(Number(row.last_used_at), now) };
  }

  async begin(intent: UploadIntent): Promise<void> {
    this.sql.exec(
      `INSERT OR REPLACE INTO intents VALUES (?, ?, ?, ?, ?, ?, ?)`,
      intent.intentId, intent.sha256, intent.keyHash, intent.bytes, intent.filename, intent.mimeType, intent.startedAt,
    );
    await this.scheduleAt(intent.startedAt + INTENT_GRACE_MS);
  }

  async record(rec: UploadRecord, intentId?: string): Promise<void> {
    this.insert(rec, intentId);
    const p = this.policy();
    if (rec.owner === "gateway" && p.chatDelete) await this.scheduleAt(rec.lastUsedAt + p.idleMs);
  }

  async cancel(intentId: string): Promise<void> {
    this.sql.exec(`DELETE FROM intents WHERE intent_id = ?`, intentId);
  }

  async touch(fileIds: string[]): Promise<void> {
    const now = Date.now();
    for (const id of fileIds) this.sql.exec(`UPDATE files SET last_used_at = MAX(last_used_at, ?) WHERE file_id = ?`, now, id);
  }

  async get(fileId: string): Promise<UploadRecord | null> {
    const row = this.sql.exec(`SELECT * FROM files WHERE file_id = ?`, fileId).toArray()[0];
    return row ? toRecord(row) : null;
  }

  async listClient(): Promise<UploadRecord[]> {
    return this.sql.exec(`SELECT * FROM files WHERE owner = 'client' ORDER BY uploaded_at DESC`).toArray().map(toRecord);
  }

  async forget(fileId: string): Promise<void> {
    this.sql.exec(`DELETE FROM files WHERE file_id = ?`, fileId);
  }

  async pending(): Promise<UploadRecord[]> {
    return this.sql.exec(`SELECT * FROM files ORDER BY uploaded_at`).toArray().map(toRecord);
  }

  async openIntents(): Promise<UploadIntent[]> {
    return this.sql.exec(`SELECT * FROM intents ORDER BY started_at`).toArray().map(toIntent);
  }

  override async alarm(): Promise<void> {
    await this.sweep();
  }

  /** One sweep now; the alarm's work, callable by an operator endpoint too. */
  async sweep(): Promise<SweepResult> {
    const { files, keys } = this.sweepTarget();
    const io = filesSweepIO(files, keys);
    const store: SweepStore = {
      files: () => this.sql.exec(`SELECT * FROM files`).toArray().map(toRecord),
      intents: () => this.sql.exec(`SELECT * FROM intents`).toArray().map(toIntent),
      record: (rec, intentId) => this.insert(rec, intentId),
      cancel: (id) => void this.sql.exec(`DELETE FROM intents WHERE intent_id = ?`, id),
      forget: (id) => void this.sql.exec(`DELETE FROM files WHERE file_id = ?`, id),
    };
    const result = await runSweep(store, io, { ...this.policy(), now: Date.now() }, createConsoleLogger({ component: "upload-tracker" }));
    if (result.nextAt === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(result.nextAt);
    return result;
  }

  private insert(rec: UploadRecord, intentId?: string): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO files (file_id, sha256, key_hash, owner, bytes, filename, mime_type, purpose, uploaded_at, last_used_at, tenant)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      rec.fileId, rec.sha256, rec.keyHash, rec.owner, rec.bytes, rec.filename, rec.mimeType, rec.purpose, rec.uploadedAt, rec.lastUsedAt, rec.tenant ?? "",
    );
    if (intentId) this.sql.exec(`DELETE FROM intents WHERE intent_id = ?`, intentId);
  }

  private config(): Config {
    return (this.#config ??= parseConfig(this.env));
  }

  /**
   * How the sweep reaches the Files API: built from this object's own env by the same
   * builder as the Worker's deps (src/runtime/build-deps.ts), never borrowed from a Worker
   * request. On Cloudflare the object usually runs in an isolate that served no Worker
   * request, and its alarm can fire when no request has run at all. In simulator mode the
   * object therefore has a simulator of its own (tests reach it through this method).
   */
  private sweepTarget(): FilesAccess {
    return (this.#files ??= filesAccess(this.config()));
  }

  private policy() {
    const config = this.config();
    return { idleMs: config.FILE_IDLE_SECONDS * 1000, chatDelete: config.CHAT_DELETE, intentGraceMs: INTENT_GRACE_MS };
  }

  /** Moves the alarm earlier when something becomes due sooner; never later. */
  private async scheduleAt(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
}

function toRecord(r: Row): UploadRecord {
  return {
    fileId: String(r.file_id),
    sha256: String(r.sha256),
    keyHash: String(r.key_hash),
    owner: String(r.owner) as UploadOwner,
    bytes: Number(r.bytes),
    filename: String(r.filename),
    mimeType: String(r.mime_type),
    purpose: String(r.purpose),
    ...(r.tenant ? { tenant: String(r.tenant) } : {}),
    uploadedAt: Number(r.uploaded_at),
    lastUsedAt: Number(r.last_used_at),
  };
}

function toIntent(r: Row): UploadIntent {
  return {
    intentId: String(r.intent_id),
    sha256: String(r.sha256),
    keyHash: String(r.key_hash),
    bytes: Number(r.bytes),
    filename: String(r.filename),
    mimeType: String(r.mime_type),
    startedAt: Number(r.started_at),
  };
}
