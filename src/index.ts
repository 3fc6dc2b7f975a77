import { createApp } from "./http/app";
import { parseConfig, upstreamKeys, type Config } from "./config";
import type { GatewayDeps } from "./deps";
import { buildDeps } from "./runtime/build-deps";
import { DurableObjectKeyStateStore, type KeyPoolDO } from "./pool/key-pool-do";
import { DurableUploadTracker } from "./uploads/durable-tracker";
import type { UploadTrackerDO } from "./uploads/upload-tracker-do";
import { workersCacheBlobs } from "./thinking/store";
import { createConsoleLogger } from "./log";
import { workersProxyRefusal } from "./platforms/outbound-proxy";
import { errorResponse } from "./openai/errors";
import { GatewayError } from "./errors";
import { drainUnread } from "./http/discard-body";

export { KeyPoolDO } from "./pool/key-pool-do";
export { UploadTrackerDO } from "./uploads/upload-tracker-do";
export { ClientKeysDO } from "./tenancy/client-keys-do";
import { DurableClientKeyStore, type ClientKeysDO } from "./tenancy/client-keys-do";

interface WorkerEnv extends Record<string, unknown> {
  KEY_POOL?: DurableObjectNamespace<KeyPoolDO>;
  UPLOAD_TRACKER?: DurableObjectNamespace<UploadTrackerDO>;
  CLIENT_KEYS?: DurableObjectNamespace<ClientKeysDO>;
}

/** Built once per isolate: config parsing, key pool snapshot, model cache and the rest. */
let isolate: { env: WorkerEnv; deps: GatewayDeps } | undefined;

function depsFor(env: WorkerEnv): GatewayDeps {
  if (isolate?.env === env) return isolate.deps;
  const log = createConsoleLogger();
  const config: Config = parseConfig(env);
  const deps = buildDeps(config, {
    log,
    keyStore: env.KEY_POOL ? new DurableObjectKeyStateStore(env.KEY_POOL) : undefined,
    uploads: env.UPLOAD_TRACKER ? () => new DurableUploadTracker(env.UPLOAD_TRACKER!) : undefined,
    thinkingCache: typeof caches !== "undefined" ? workersCacheBlobs(caches.default) : undefined,
    clientKeys: env.CLIENT_KEYS ? new DurableClientKeyStore(env.CLIENT_KEYS) : undefined,
  });
  if (config.UPSTREAM === "simulator") log.info("simulator_mode", { note: "answering from the built-in Claude simulator; no request leaves this Worker" });
  else if (!upstreamKeys(config).length) log.error("no_upstream_keys", { note: "ANTHROPIC_API_KEYS is empty: every chat request will fail until the operator sets it" });
  isolate = { env, deps };
  return deps;
}

/** Background work that fails is logged, never left as an unhandled rejection (an upload touch, say). */
const backgroundLog = createConsoleLogger();
const guarded = (p: Promise<unknown>) => p.catch((e: unknown) => backgroundLog.warn("background_task_failed", { error: e instanceof Error ? e.message : String(e) }));

const app = createApp({
  deps: (c) => depsFor(c.env as WorkerEnv),
  scope: (c) => ({
    waitUntil: (p) => (c.executionCtx ? c.executionCtx.waitUntil(guarded(p)) : void guarded(p)),
    signal: c.req.raw.signal,
  }),
});

/**
 * HTTPS_PROXY / HTTP_PROXY / PROXY on a Worker: it cannot open CONNECT tunnels, so the
 * setting would be ignored and traffic meant for the proxy would go out directly. Every
 * request is answered 503 with why and what to use instead, and the isolate logs it once.
 */
let proxyCheck: { env: WorkerEnv; refusal: GatewayError | undefined } | undefined;
function proxyRefusal(env: WorkerEnv): GatewayError | undefined {
  if (proxyCheck?.env === env) return proxyCheck.refusal;
  let message: string | undefined;
  try {
    message = workersProxyRefusal(parseConfig(env));
  } catch {
    message = undefined; // an invalid configuration is reported by the app, as before
  }
  if (message) createConsoleLogger().error("proxy_unsupported_on_workers", { note: message });
  const refusal = message ? new GatewayError(503, message, "api_error", null, "proxy_unsupported", { "x-should-retry": "false" }) : undefined;
  proxyCheck = { env, refusal };
  return refusal;
}

export default {
  fetch: (request, env, ctx) => {
    const refusal = proxyRefusal(env);
    // The refusal waits for the body like every early answer (src/http/discard-body.ts).
    return refusal ? drainUnread(request).then(() => errorResponse(refusal)) : app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<WorkerEnv>;
