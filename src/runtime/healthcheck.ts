/**
 * The container's HEALTHCHECK (dist/healthcheck.mjs): GET /health on the address the server
 * listens on, resolved from the same ADDRESS / PORT as src/runtime/node.ts. node:24-slim
 * has no curl, and a separate tiny bundle keeps the check from loading the gateway.
 * Exit 0 when healthy, 1 otherwise (what Docker expects).
 */
import { listenAddress, localHost } from "./listen-address";

try {
  const { hostname, port } = listenAddress(process.env);
  const res = await fetch(`http://${localHost(hostname)}:${port}/health`, { signal: AbortSignal.timeout(4000) });
  if (!res.ok) console.error(`health check: /health answered ${res.status}`);
  process.exit(res.ok ? 0 : 1);
} catch (e) {
  console.error(`health check failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
