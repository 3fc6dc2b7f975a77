/**
 * 64 clients in closed loops for a bounded time per target: requests per second, and CPU per
 * request under load (thousands of requests, so the most precise CPU figure of the run).
 */
import { send } from "../lib/client.mjs";
import { ask } from "../lib/payloads.mjs";
import { cpuMs } from "../lib/proc.mjs";

export async function throughput(targets, { clients, seconds, rounds }) {
  const acc = new Map(targets.map((t) => [t.name, { ok: 0, failed: 0, ms: 0, cpu: 0, clientCpu: 0, upstreamCpu: 0 }]));
  // The load generator (this process) and the simulator share the machine's two cores with
  // the target: their CPU in the same window shows when the machine, not the target, is the limit.
  const sim = targets.find((t) => t.name === "simulator");
  for (let r = 0; r < rounds; r++) {
    const order = targets.map((_, i) => targets[(i + r) % targets.length]);
    for (const t of order) {
      const body = ask(t.wire, {});
      const a = acc.get(t.name);
      const c0 = cpuMs(t.pid);
      const client0 = cpuMs(process.pid);
      const sim0 = sim && sim !== t ? cpuMs(sim.pid) : 0;
      const t0 = performance.now();
      const end = t0 + (seconds * 1000) / rounds;
      const loop = async () => {
        while (performance.now() < end) {
          try {
            const res = await send(t, body);
            if (res.status === 200) a.ok++;
            else a.failed++;
          } catch {
            a.failed++;
          }
        }
      };
      await Promise.all(Array.from({ length: clients }, loop));
      a.ms += performance.now() - t0;
      a.cpu += cpuMs(t.pid) - c0;
      a.clientCpu += cpuMs(process.pid) - client0;
      if (sim && sim !== t) a.upstreamCpu += cpuMs(sim.pid) - sim0;
    }
  }
  return Object.fromEntries(
    [...acc].map(([name, a]) => [
      name,
      {
        requests: a.ok,
        failed: a.failed,
        perSecond: (a.ok * 1000) / a.ms,
        cpuMsPerRequest: a.cpu / Math.max(1, a.ok),
        // Cores busy during the window: the target, the load generator, the simulator behind it.
        cores: { target: a.cpu / a.ms, client: a.clientCpu / a.ms, upstream: a.upstreamCpu / a.ms },
      },
    ]),
  );
}
