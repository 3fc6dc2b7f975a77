/**
 * Non-stream requests, one at a time, against the instant simulator: what a gateway adds to
 * each request, and what it burns doing so. Rounds interleave the targets so that drift on
 * this shared machine hits all of them alike.
 */
import { sendOk } from "../lib/client.mjs";
import { ask } from "../lib/payloads.mjs";
import { cpuMs } from "../lib/proc.mjs";
import { median, p99 } from "../lib/stats.mjs";

export async function latency(targets, { rounds, perRound, warmup }) {
  const bodies = new Map(targets.map((t) => [t.name, ask(t.wire, {})]));
  for (const t of targets) for (let i = 0; i < warmup; i++) await sendOk(t, bodies.get(t.name));
  const ms = new Map(targets.map((t) => [t.name, []]));
  const cpu = new Map(targets.map((t) => [t.name, 0]));
  for (let r = 0; r < rounds; r++) {
    // Rotate the order too: whoever runs first in a round meets a cooler machine.
    const order = targets.map((_, i) => targets[(i + r) % targets.length]);
    for (const t of order) {
      const c0 = cpuMs(t.pid);
      for (let i = 0; i < perRound; i++) ms.get(t.name).push((await sendOk(t, bodies.get(t.name))).ms);
      cpu.set(t.name, cpu.get(t.name) + cpuMs(t.pid) - c0);
    }
  }
  return Object.fromEntries(
    targets.map((t) => {
      const s = ms.get(t.name);
      return [t.name, { requests: s.length, medianMs: median(s), p99Ms: p99(s), cpuMsPerRequest: cpu.get(t.name) / s.length }];
    }),
  );
}
