/**
 * The Node runtime's ClientKeyStore: the same SQL as the Durable Object, in a node:sqlite
 * database file (`<DATA_DIR>/client-keys.sqlite`), or in memory without DATA_DIR.
 * Imported only by src/runtime/node.ts and the Node tests: the Worker bundle never sees
 * node:sqlite.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import { ClientKeysDb, type SqlValue } from "./sql-store";
import type { ClientKeyPatch, ClientKeyStore, NewClientKey, UsageDelta, UsageQuery } from "./store";

export const CLIENT_KEYS_FILE = "client-keys.sqlite";

export function openSqliteClientKeyStore(dataDir: string | undefined): ClientKeyStore & { close(): void; location: string } {
  let location = ":memory:";
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    location = `${dataDir.replace(/\/+$/, "")}/${CLIENT_KEYS_FILE}`;
  }
  const db = new DatabaseSync(location);
  // WAL: readers (the admin API) never wait for the writer (usage flushes).
  if (dataDir) db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  const statements = new Map<string, StatementSync>();
  const sql = (query: string, ...params: SqlValue[]) => {
    let st = statements.get(query);
    if (!st) statements.set(query, (st = db.prepare(query)));
    return st.all(...params) as Record<string, unknown>[];
  };
  const store = new ClientKeysDb(sql, (fn) => {
    db.exec("BEGIN");
    try {
      const out = fn();
      db.exec("COMMIT");
      return out;
    } catch (e) {
      db.exec("ROLLBACK");
      throw e;
    }
  });
  return {
    location,
    close: () => db.close(),
    create: async (key: NewClientKey) => store.create(key),
    list: async (now: number) => store.list(now),
    get: async (id: string, now: number) => store.get(id, now),
    update: async (id: string, patch: ClientKeyPatch, now: number) => store.update(id, patch, now),
    revoke: async (id: string, now: number) => store.revoke(id, now),
    authorize: async (keyHash: string, now: number) => store.authorize(keyHash, now),
    record: async (deltas: UsageDelta[]) => store.record(deltas),
    usage: async (query: UsageQuery) => store.usage(query),
    spendSince: async (ids: readonly string[], fromDay: string | null) => store.spendSince(ids, fromDay),
    names: async () => store.names(),
  };
}
