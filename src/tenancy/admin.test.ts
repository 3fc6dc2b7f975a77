import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AdminInputError, AdminService, BillingService, usageCsv } from "./admin";
import { DurableClientKeyStore, type ClientKeysDO } from "./client-keys-do";
import { PriceTable } from "./prices";
import { Tenancy } from "./tenancy";

const ns = () => (env as unknown as { CLIENT_KEYS: DurableObjectNamespace<ClientKeysDO> }).CLIENT_KEYS;
const NOW = Date.UTC(2026, 11, 3, 10, 0, 0);

function setup() {
  const store = new DurableClientKeyStore(ns(), `admin-${crypto.randomUUID()}`);
  const tenancy = new Tenancy({ store, staticKeys: ["static-client-key-1234"], prices: new PriceTable(), log: { info() {}, warn() {}, error() {} }, now: () => NOW });
  const scope = { waitUntil: () => undefined };
  return { tenancy, store, scope, admin: new AdminService(tenancy, () => NOW), billing: new BillingService(tenancy, () => NOW) };
}

const input = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof AdminInputError)) throw new Error(`expected an AdminInputError, got ${String(err)}`);
  return err;
};

describe("AdminService", () => {
  it("creates a key shown once, lists it beside the static keys without material", async () => {
    const { admin } = setup();
    const created = await admin.create({ name: "alice", budget_usd: 5, budget_period: "day", rpm: 10, models: ["claude-haiku-*"], expires_at: "2027-01-01T00:00:00Z" });
    expect(created).toMatchObject({ object: "client_key", kind: "managed", name: "alice", budget_usd: 5, budget_period: "day", rpm: 10, tpm: null, models: ["claude-haiku-*"], expires_at: "2027-01-01T00:00:00.000Z", spend_this_period_usd: 0, period_resets_at: "2026-12-04T00:00:00.000Z" });
    expect(created.key).toMatch(/^sk-c2a-/);
    expect(created.last4).toBe(created.key.slice(-4));
    const list = await admin.list();
    expect(list.map((k) => [k.kind, k.name])).toEqual([["static", "static …1234"], ["managed", "alice"]]);
    expect(JSON.stringify(list)).not.toContain(created.key);
    expect(JSON.stringify(await admin.get(created.id))).not.toContain(created.key);
    expect(await admin.get(list[0]!.id)).toMatchObject({ kind: "static", last4: "1234" });
  });

  it("validates bodies and names the field", async () => {
    const { admin } = setup();
    expect(await input(admin.create({}))).toMatchObject({ status: 400, param: "name" });
    expect(await input(admin.create({ name: "x", budget_usd: -1 }))).toMatchObject({ status: 400, param: "budget_usd" });
    expect(await input(admin.create({ name: "x", budget_period: "week" }))).toMatchObject({ status: 400, param: "budget_period" });
    expect(await input(admin.create({ name: "x", expires_at: "soon" }))).toMatchObject({ status: 400, param: "expires_at" });
    expect(await input(admin.create({ name: "x", colour: "red" }))).toMatchObject({ status: 400, param: "colour", code: "unknown_parameter" });
    const k = await admin.create({ name: "x" });
    expect(await input(admin.patch(k.id, {}))).toMatchObject({ status: 400 });
    expect(await input(admin.patch("key_missing", { name: "y" }))).toMatchObject({ status: 404, code: "key_not_found" });
  });

  it("patches and revokes managed keys, never static ones", async () => {
    const { admin } = setup();
    const k = await admin.create({ name: "bob", rpm: 5 });
    expect(await admin.patch(k.id, { disabled: true, rpm: null, budget_usd: 1.5 })).toMatchObject({ disabled: true, rpm: null, budget_usd: 1.5 });
    expect(await admin.revoke(k.id)).toEqual({ id: k.id, object: "client_key", deleted: true });
    expect(await input(admin.get(k.id))).toMatchObject({ status: 404 });
    expect(await input(admin.revoke(k.id))).toMatchObject({ status: 404 });
    const staticId = (await admin.list())[0]!.id;
    expect(await input(admin.revoke(staticId))).toMatchObject({ status: 409, code: "static_key" });
    expect(await input(admin.patch(staticId, { name: "n" }))).toMatchObject({ status: 409 });
  });

  it("answers usage with key names, totals and CSV; static keys appear by id", async () => {
    const { admin, tenancy, scope } = setup();
    const k = await admin.create({ name: "carol, \"the\" tester" });
    const managed = (await tenancy.identifyManaged(k.key, scope))!;
    const stat = await tenancy.staticIdentity(0);
    for (const who of [managed, managed, stat]) {
      const a = tenancy.admit(who, "claude-sonnet-4-5", 1) as { ticket: Parameters<Tenancy["record"]>[0] };
      tenancy.record(a.ticket, "claude-sonnet-4-5", { input_tokens: 1000, output_tokens: 100 }, false, scope);
    }
    const byKey = await admin.usage({ group_by: "key" });
    expect(byKey.data.map((r) => [r.key_name, r.requests, r.cost_usd])).toEqual([
      ["carol, \"the\" tester", 2, 0.009],
      ["static …1234", 1, 0.0045],
    ]);
    expect(byKey.total).toMatchObject({ requests: 3, input_tokens: 3000, cost_usd: 0.0135 });
    expect((await admin.usage({ key: stat.id })).data).toMatchObject([{ key_id: stat.id, model: "claude-sonnet-4-5", day: "2026-12-03" }]);
    expect(await input(admin.usage({ from: "2026-13-01" }))).toMatchObject({ param: "from" });
    expect(await input(admin.usage({ group_by: "week" }))).toMatchObject({ param: "group_by" });
    const csv = usageCsv((await admin.usage({})).data);
    expect(csv.split("\n")[0]).toBe("key_id,key_name,model,day,requests,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,reasoning_tokens,cost_usd,estimated");
    expect(csv).toContain(`${managed.id},"carol, ""the"" tester",claude-sonnet-4-5,2026-12-03,2,2000,200,0,0,0,0.009,false`);
  });
});

describe("BillingService", () => {
  it("answers NextChat's subscription and usage for the calling key, in dollars and cents", async () => {
    const { admin, billing, tenancy, scope } = setup();
    const k = await admin.create({ name: "dave", budget_usd: 2, budget_period: "month", expires_at: "2027-06-01T00:00:00Z" });
    const who = (await tenancy.identifyManaged(k.key, scope))!;
    const a = tenancy.admit(who, "claude-sonnet-4-5", 1) as { ticket: Parameters<Tenancy["record"]>[0] };
    tenancy.record(a.ticket, "claude-sonnet-4-5", { input_tokens: 100_000, output_tokens: 10_000 }, false, scope); // $0.30 + $0.15
    const sub = await billing.subscription(who);
    expect(sub).toMatchObject({ object: "billing_subscription", hard_limit_usd: 2, soft_limit_usd: 2, access_until: Date.parse("2027-06-01T00:00:00Z") / 1000, account_name: "dave" });
    expect(sub.claude2api).toMatchObject({ spend_this_period_usd: 0.45, remaining_usd: 1.55, period_resets_at: "2027-01-01T00:00:00.000Z" });
    const usage = await billing.usage(who, "2026-12-01", "2026-12-04");
    expect(usage.total_usage).toBe(45);
    expect(usage.daily_costs).toEqual([{ timestamp: Date.parse("2026-12-03T00:00:00Z") / 1000, line_items: [{ name: "claude-sonnet-4-5", cost: 45 }] }]);
    // end_date is exclusive.
    expect((await billing.usage(who, "2026-12-01", "2026-12-03")).total_usage).toBe(0);
    const other = await tenancy.staticIdentity(0);
    expect((await billing.usage(other, undefined, undefined)).total_usage).toBe(0);
    expect((await billing.subscription(other)).hard_limit_usd).toBe(100_000_000);
    expect(await input(billing.usage(who, "yesterday", undefined))).toMatchObject({ param: "start_date" });
  });
});
