import type { Hono } from "hono";
import type { GatewayEnv } from "../app-env";

/** Unauthenticated liveness check: says which upstream mode runs, nothing secret. */
export function registerHealth(app: Hono<GatewayEnv>): void {
  app.get("/health", (c) => {
    const { config } = c.get("deps");
    return c.json({ status: "ok", upstream: config.UPSTREAM, anthropic_version: config.ANTHROPIC_VERSION });
  });
}
