import type { GatewayDeps, RequestScope } from "../deps";

/**
 * The Hono environment every route sees: `c.get("deps")` for the isolate-wide
 * dependencies and `c.get("scope")` for per-request hooks (waitUntil, abort signal).
 * Route files export `register…(app: GatewayApp)` and never reach for env bindings
 * themselves, so the same routes run on Workers and on Node.
 */
export interface GatewayEnv {
  Variables: {
    deps: GatewayDeps;
    scope: RequestScope;
    /** Set by auth when the client sent its own Anthropic key and PASSTHROUGH_KEYS is on. */
    passthroughKey?: string;
  };
}
