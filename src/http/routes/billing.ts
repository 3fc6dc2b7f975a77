import type { Context, Hono } from "hono";
import type { GatewayEnv } from "../app-env";
import { BillingService } from "../../tenancy/admin";
import type { ClientIdentity, Tenancy } from "../../tenancy/tenancy";
import { asGatewayError } from "./admin";

/**
 * What NextChat and one-api-style clients call to show a balance, answered for the
 * calling key only: its budget (subscription) and its spend (usage, in cents). Mounted
 * with the OpenAI API, so with or without /v1 in front.
 */
export function registerBilling(app: Hono<GatewayEnv>, tenancyOf: (c: Context<GatewayEnv>) => Tenancy, identityOf: (c: Context<GatewayEnv>) => ClientIdentity): void {
  const run = async (fn: () => Promise<Response>) => {
    try {
      return await fn();
    } catch (err) {
      throw asGatewayError(err);
    }
  };
  const headers = { "cache-control": "no-store" };
  app.get("/dashboard/billing/subscription", (c) => run(async () => c.json(await new BillingService(tenancyOf(c)).subscription(identityOf(c)), 200, headers)));
  app.get("/dashboard/billing/usage", (c) => run(async () => c.json(await new BillingService(tenancyOf(c)).usage(identityOf(c), c.req.query("start_date"), c.req.query("end_date")), 200, headers)));
}
