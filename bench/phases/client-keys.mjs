/**
 * What a managed client key costs against a static one: the same gateway process, the same
 * non-stream request, two keys. The managed key is created through the admin API with
 * limits high enough never to refuse (rpm, tpm and a budget, so that every check runs),
 * then both keys are measured as two targets of the latency phase: interleaved rounds,
 * CPU read from the one process per round.
 */
import { latency } from "./latency.mjs";

export const BENCH_ADMIN_KEY = "bench-admin-key-0123456789";

async function createManagedKey(target) {
  const res = await fetch(`${target.url}/admin/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ name: `bench ${target.name}`, budget_usd: 1_000_000, budget_period: "total", rpm: 1_000_000_000, tpm: 1_000_000_000, models: ["claude-*"] }),
  });
  const body = await res.json();
  if (res.status !== 201 || !body.key) throw new Error(`${target.name}: POST /admin/keys answered ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
  return body.key;
}

/** @param {Array<import("../lib/client.mjs").Target>} gateways our gateways, started with ADMIN_KEY=BENCH_ADMIN_KEY */
export async function clientKeys(gateways, params) {
  const pairs = [];
  for (const t of gateways) {
    const key = await createManagedKey(t);
    pairs.push(t, { ...t, name: `${t.name}-managed`, headers: { ...t.headers, authorization: `Bearer ${key}` } });
  }
  const lat = await latency(pairs, params);
  const out = {};
  for (const t of gateways) {
    const s = lat[t.name];
    const m = lat[`${t.name}-managed`];
    out[t.name] = {
      staticMedianMs: s.medianMs,
      managedMedianMs: m.medianMs,
      addedMedianMs: m.medianMs - s.medianMs,
      addedP99Ms: m.p99Ms - s.p99Ms,
      staticCpuMsPerRequest: s.cpuMsPerRequest,
      managedCpuMsPerRequest: m.cpuMsPerRequest,
      addedCpuMsPerRequest: m.cpuMsPerRequest - s.cpuMsPerRequest,
      requests: m.requests,
    };
  }
  return out;
}
