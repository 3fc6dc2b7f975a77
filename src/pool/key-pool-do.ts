import { DurableObject } from "cloudflare:workers";
import { mergeEvent, type KeyEvent, type KeySnapshot, type KeyStateStore, type SharedKeyState } from "./store";

interface Row extends Record<string, SqlStorageValue> {
  key_hash: string;
  hint: string;
  cooldown_until: number;
  disabled_reason: string | null;
  disabled_at: number | null;
  requests: number;
  failures: number;
  last_error: string | null;
  last_error_at: number | null;
  updated_at: number;
}

const toState = (r: Row): SharedKeyState => ({
  keyHash: r.key_hash,
  hint: r.hint,
  cooldownUntil: r.cooldown_until,
  disabledReason: r.disabled_reason,
  disabledAt: r.disabled_at,
  requests: r.requests,
  failures: r.failures,
  lastError: r.last_error,
  lastErrorAt: r.last_error_at,
  updatedAt: r.updated_at,
});

/**
 * Shared key-pool state for every isolate of the gateway: one row per upstream key,
 * keyed by the SHA-256 of the key (never the key itself). Isolates call it only
 * through waitUntil and batch their reports, so a single object serves the whole
 * gateway without ever sitting on a request's critical path.
 */
export class KeyPoolDO extends DurableObject {
  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS key_state (
      key_hash TEXT PRIMARY KEY,
      hint TEXT NOT NULL,
      cooldown_until INTEGER NOT NULL DEFAULT 0,
      disabled_reason TEXT,
      disabled_at INTEGER,
      requests INTEGER NOT NULL DEFAULT 0,
      failures INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      last_error_at INTEGER,
      updated_at INTEGER NOT NULL
    )`);
  }

  async report(events: KeyEvent[]): Promise<void> {
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    // Read-merge-write is atomic here: SQL calls are synchronous and the object is single-threaded.
    for (const e of events) {
      if (typeof e?.keyHash !== "string" || !/^[0-9a-f]{64}$/.test(e.keyHash)) continue;
      const prev = sql.exec<Row>("SELECT * FROM key_state WHERE key_hash = ?", e.keyHash).toArray()[0];
      const s = mergeEvent(prev ? toState(prev) : undefined, e, now);
      sql.exec(
        `INSERT OR REPLACE INTO key_state
          (key_hash, hint, cooldown_until, disabled_reason, disabled_at, requests, failures, last_error, last_error_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        s.keyHash, s.hint, s.cooldownUntil, s.disabledReason, s.disabledAt, s.requests, s.failures, s.lastError, s.lastErrorAt, s.updatedAt,
      );
    }
  }

  async snapshot(): Promise<KeySnapshot> {
    return { takenAt: Date.now(), keys: this.ctx.storage.sql.exec<Row>("SELECT * FROM key_state").toArray().map(toState) };
  }

  /** Puts a key back into rotation after the operator fixed it (the 401/403 stays in history as lastError). */
  async enable(keyHash: string): Promise<boolean> {
    const cursor = this.ctx.storage.sql.exec("UPDATE key_state SET disabled_reason = NULL, disabled_at = NULL, updated_at = ? WHERE key_hash = ?", Date.now(), keyHash);
    return cursor.rowsWritten > 0;
  }
}

/** The Worker's KeyStateStore: the one KeyPoolDO instance, reached over RPC. */
export class DurableObjectKeyStateStore implements KeyStateStore {
  constructor(
    private readonly ns: DurableObjectNamespace<KeyPoolDO>,
    private readonly name = "key-pool",
  ) {}

  private stub() {
    return this.ns.get(this.ns.idFromName(this.name));
  }

  async report(events: KeyEvent[]): Promise<void> {
    await this.stub().report(events);
  }

  async snapshot(): Promise<KeySnapshot> {
    return await this.stub().snapshot();
  }

  async enable(keyHash: string): Promise<boolean> {
    return await this.stub().enable(keyHash);
  }
}
