import { DurableObject } from "cloudflare:workers";
import { ClientKeysDb } from "./sql-store";
import type { Authorization, ClientKeyPatch, ClientKeyStore, ClientKeyView, NewClientKey, UsageDelta, UsageQuery, UsageRow } from "./store";

/**
 * Managed client keys and usage for the whole gateway, in one SQLite-backed Durable
 * Object. Isolates reach it for an authorisation they then cache for a few seconds, and
 * in the background to add usage; the admin API reads it directly.
 */
export class ClientKeysDO extends DurableObject {
  private readonly db: ClientKeysDb;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.db = new ClientKeysDb(
      (query, ...params) => ctx.storage.sql.exec(query, ...params).toArray() as Record<string, unknown>[],
      (fn) => ctx.storage.transactionSync(fn),
    );
  }

  async create(key: NewClientKey): Promise<ClientKeyView> {
    return this.db.create(key);
  }
  async list(now: number): Promise<ClientKeyView[]> {
    return this.db.list(now);
  }
  async get(id: string, now: number): Promise<ClientKeyView | undefined> {
    return this.db.get(id, now);
  }
  async update(id: string, patch: ClientKeyPatch, now: number): Promise<ClientKeyView | undefined> {
    return this.db.update(id, patch, now);
  }
  async revoke(id: string, now: number): Promise<boolean> {
    return this.db.revoke(id, now);
  }
  async authorize(keyHash: string, now: number): Promise<Authorization | undefined> {
    return this.db.authorize(keyHash, now);
  }
  async record(deltas: UsageDelta[]): Promise<void> {
    this.db.record(deltas);
  }
  async usage(query: UsageQuery): Promise<UsageRow[]> {
    return this.db.usage(query);
  }
  async spendSince(ids: string[], fromDay: string | null): Promise<Record<string, number>> {
    return this.db.spendSince(ids, fromDay);
  }
  async names(): Promise<Record<string, string>> {
    return this.db.names();
  }
}

/** The Worker's ClientKeyStore: one ClientKeysDO instance, reached over RPC. */
export class DurableClientKeyStore implements ClientKeyStore {
  constructor(
    private readonly ns: DurableObjectNamespace<ClientKeysDO>,
    private readonly name = "client-keys",
  ) {}

  private stub() {
    return this.ns.get(this.ns.idFromName(this.name));
  }

  create(key: NewClientKey) {
    return this.stub().create(key) as Promise<ClientKeyView>;
  }
  list(now: number) {
    return this.stub().list(now) as Promise<ClientKeyView[]>;
  }
  get(id: string, now: number) {
    return this.stub().get(id, now) as Promise<ClientKeyView | undefined>;
  }
  update(id: string, patch: ClientKeyPatch, now: number) {
    return this.stub().update(id, patch, now) as Promise<ClientKeyView | undefined>;
  }
  revoke(id: string, now: number) {
    return this.stub().revoke(id, now) as Promise<boolean>;
  }
  authorize(keyHash: string, now: number) {
    return this.stub().authorize(keyHash, now) as Promise<Authorization | undefined>;
  }
  record(deltas: UsageDelta[]) {
    return this.stub().record(deltas) as Promise<void>;
  }
  usage(query: UsageQuery) {
    return this.stub().usage(query) as Promise<UsageRow[]>;
  }
  spendSince(ids: readonly string[], fromDay: string | null) {
    return this.stub().spendSince([...ids], fromDay) as Promise<Record<string, number>>;
  }
  names() {
    return this.stub().names() as Promise<Record<string, string>>;
  }
}
