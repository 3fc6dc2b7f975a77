import type { Context, Hono, MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../app-env";
import { GatewayError } from "../../errors";
import { errorResponse } from "../../openai/errors";
import { AdminInputError, AdminService, usageCsv } from "../../tenancy/admin";
import { constantTimeEqual } from "../../secret-compare";
import { hashSecret } from "../../hash";
import type { Tenancy } from "../../tenancy/tenancy";

/**
 * ADMIN_KEY as `Authorization: Bearer`, compared in constant time over SHA-256 digests
 * (equal lengths whatever was sent). A missing and a wrong key get the same answer,
 * after the same work. Without ADMIN_KEY every admin endpoint answers 503 and says why.
 */
export async function adminRefusal(authorization: string | null | undefined, adminKey: string | undefined): Promise<GatewayError | null> {
  if (!adminKey) {
    return new GatewayError(503, "The admin API is off: this gateway has no ADMIN_KEY. The operator sets one (a secret of 16+ characters, `wrangler secret put ADMIN_KEY`, or the ADMIN_KEY environment variable on Node) to manage client keys and read usage and status.", "api_error", null, "admin_disabled", { "x-should-retry": "false" });
  }
  const m = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? "");
  const [presented, expected] = await Promise.all([hashSecret(m?.[1]?.trim() ?? ""), hashSecret(adminKey)]);
  if (constantTimeEqual(presented, expected)) return null;
  return new GatewayError(401, "Missing or incorrect admin key. Send ADMIN_KEY as `Authorization: Bearer <ADMIN_KEY>`; client keys do not open the admin API.", "authentication_error", null, "invalid_admin_key", { "www-authenticate": 'Bearer realm="claude2api admin"' });
}

/** adminRefusal as Hono middleware. */
export function adminAuth(): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const refusal = await adminRefusal(c.req.header("authorization"), c.get("deps").config.ADMIN_KEY);
    if (refusal) return errorResponse(refusal);
    return next();
  };
}

/** An admin-side input problem as the OpenAI-shaped error every other endpoint answers. */
export function asGatewayError(err: unknown): unknown {
  if (!(err instanceof AdminInputError)) return err;
  const type = err.status === 404 ? "not_found_error" : "invalid_request_error";
  return new GatewayError(err.status, err.message, type, err.param, err.code);
}

async function jsonBody(c: Context<GatewayEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text.length > 64 * 1024) throw new GatewayError(413, "An admin request body is at most 64 KiB.", "invalid_request_error");
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError(400, "The request body must be a JSON object, e.g. {\"name\": \"alice\"}.", "invalid_request_error", null, "invalid_json");
  }
}

const NO_STORE = { "cache-control": "no-store" };

/**
 * The admin API (docs/client-keys.md): managed client keys and usage, behind ADMIN_KEY.
 * Registered before client auth, which never applies to these paths.
 */
export function registerAdmin(app: Hono<GatewayEnv>, tenancyOf: (c: Context<GatewayEnv>) => Tenancy): void {
  const guard = adminAuth();
  app.use("/admin/*", guard);
  app.use("/admin", guard);
  const service = (c: Context<GatewayEnv>) => new AdminService(tenancyOf(c));
  const run = async (fn: () => Promise<Response>) => {
    try {
      return await fn();
    } catch (err) {
      throw asGatewayError(err);
    }
  };

  app.post("/admin/keys", (c) => run(async () => c.json(await service(c).create(await jsonBody(c)), 201, NO_STORE)));
  app.get("/admin/keys", (c) => run(async () => c.json({ object: "list", data: await service(c).list() }, 200, NO_STORE)));
  app.get("/admin/keys/:id", (c) => run(async () => c.json(await service(c).get(c.req.param("id")), 200, NO_STORE)));
  app.patch("/admin/keys/:id", (c) => run(async () => c.json(await service(c).patch(c.req.param("id"), await jsonBody(c)), 200, NO_STORE)));
  app.delete("/admin/keys/:id", (c) => run(async () => c.json(await service(c).revoke(c.req.param("id")), 200, NO_STORE)));
  app.get("/admin/usage", (c) =>
    run(async () => {
      const q = c.req.query();
      const format = q.format ?? "json";
      if (format !== "json" && format !== "csv") throw new GatewayError(400, "`format` is json (the default) or csv.", "invalid_request_error", "format", "invalid_value");
      const usage = await service(c).usage({ key: q.key, model: q.model, from: q.from, to: q.to, group_by: q.group_by });
      if (format === "json") return c.json(usage, 200, NO_STORE);
      return c.body(usageCsv(usage.data), 200, { ...NO_STORE, "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="claude2api-usage.csv"' });
    }),
  );
  app.all("/admin/*", () => {
    throw new GatewayError(404, "Unknown admin endpoint. The admin API has /admin/keys, /admin/keys/{id} and /admin/usage (docs/client-keys.md).", "not_found_error", null, "unknown_url");
  });
}
