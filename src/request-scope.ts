/**
 * Per-request hooks that only exist inside a request (ctx.waitUntil on Workers). A leaf
 * module: the state behind GatewayDeps (uploads, tenancy, the pool) takes a scope, and
 * deps.ts imports those modules, so the type cannot live in deps.ts without a cycle.
 */
export interface RequestScope {
  /** Keeps background work alive past the response; a rejection is logged by the runtime binding, not left unhandled. */
  waitUntil(promise: Promise<unknown>): void;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}
