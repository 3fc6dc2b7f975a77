/**
 * The gateway on Node (self-hosting, benchmarks): `npm run start:node`. The same Hono app,
 * behind node:http with a direct path for chat completions (src/http/node-server.ts).
 * Configured from environment variables with the Worker's names, plus ADDRESS
 * (host:port) or PORT (src/runtime/listen-address.ts; default 0.0.0.0:8080). Shared state
 * (key pool, uploads, thinking) lives in this process. The Docker image runs this bundle.
 */
import { createApp } from "../http/app";
import { parseConfig, upstreamKeys, type Config } from "../config";
import { buildDeps } from "./build-deps";
import { createNodeUpstream } from "./node-upstream";
import { createNodeServer } from "../http/node-server";
import { createConsoleLogger } from "../log";
import { listenAddress, type ListenAddress } from "./listen-address";
import { describeProxy, outboundProxy } from "../platforms/outbound-proxy";

const log = createConsoleLogger({ runtime: "node" });
function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return process.exit(1);
  }
}
const config = loadConfig();
function loadAddress(): ListenAddress {
  try {
    return listenAddress(process.env);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return process.exit(1);
  }
}
const address = loadAddress();
// Upstream over node:http with keep-alive agents: cheaper per request than the global fetch
// (undici). The simulator mode keeps its in-process handler.
// The outbound proxy is the transport's: every upstream call goes through it.
const proxy = outboundProxy(config);
function loadUpstream() {
  try {
    return createNodeUpstream({ proxy });
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return process.exit(1);
  }
}
const deps = buildDeps(config, { log, upstream: config.UPSTREAM === "simulator" ? undefined : loadUpstream() });
if (proxy) log.info("outbound_proxy", { ...describeProxy(proxy), ...(config.UPSTREAM === "simulator" ? { note: "unused: the simulator answers in-process" } : {}) });
const app = createApp({
  deps: () => deps,
  scope: (c) => ({ waitUntil: (p) => void p.catch((e) => log.warn("background_task_failed", { error: String(e) })), signal: c.req.raw.signal }),
});

// No Durable Object alarm here: sweep idle uploads from this process instead.
const uploads = deps.uploads as { sweep?: () => Promise<unknown> };
if (uploads.sweep) {
  const timer = setInterval(() => void uploads.sweep?.().catch((e) => log.warn("upload_sweep_failed", { error: String(e) })), 60_000);
  (timer as unknown as { unref?: () => void }).unref?.();
}

if (config.UPSTREAM === "simulator") log.info("simulator_mode", { note: "answering from the built-in Claude simulator; no request leaves this process. Set ANTHROPIC_API_KEYS to use the Anthropic API." });
else if (!upstreamKeys(config).length) log.error("no_upstream_keys", { note: "ANTHROPIC_API_KEYS is empty: every chat request will fail until the operator sets it" });

createNodeServer(app, deps).listen(address.port, address.hostname, () => {
  log.info("listening", { address: `${address.hostname}:${address.port}`, from: address.from, upstream: config.UPSTREAM, base_url: config.ANTHROPIC_BASE_URL });
});
