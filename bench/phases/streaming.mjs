/**
 * Paced streams (N deltas, the simulator's delay apart): time to the first content token,
 * and CPU per upstream event. Pacing makes every event its own network chunk, which is
 * what a real upstream does and what per-event costs are made of.
 */
import { sendOk } from "../lib/client.mjs";
import { ask, FIRST_TOKEN } from "../lib/payloads.mjs";
import { cpuMs } from "../lib/proc.mjs";
import { median, p99 } from "../lib/stats.mjs";
import { setTimeout as sleep } from "node:timers/promises";

const STAGGER_MS = 60;

/** message_start, ping, content_block_start, the deltas, content_block_stop, message_delta, message_stop. */
export const upstreamEvents = (deltas) => deltas + 6;

export async function streaming(targets, { deltas, concurrent, rounds }) {
  const ttft = new Map(targets.map((t) => [t.name, []]));
  const cpu = new Map(targets.map((t) => [t.name, 0]));
  const events = new Map(targets.map((t) => [t.name, 0]));
  for (const t of targets) await sendOk(t, ask(t.wire, { deltas: 5, paced: true, stream: true }));
  for (let r = 0; r < rounds; r++) {
    const order = targets.map((_, i) => targets[(i + r) % targets.length]);
    for (const t of order) {
      const body = ask(t.wire, { deltas, paced: true, stream: true });
      const c0 = cpuMs(t.pid);
      // Starts are staggered so that no request waits behind another's setup: TTFT measures one
      // request's path, while the streams still overlap for most of their length.
      const results = await Promise.all(
        Array.from({ length: concurrent }, (_, i) => sleep(i * STAGGER_MS).then(() => sendOk(t, body, { firstToken: FIRST_TOKEN[t.wire] }))),
      );
      cpu.set(t.name, cpu.get(t.name) + cpuMs(t.pid) - c0);
      for (const res of results) {
        if (res.firstTokenMs === undefined) throw new Error(`${t.name}: no content token in the stream`);
        ttft.get(t.name).push(res.firstTokenMs);
      }
      events.set(t.name, events.get(t.name) + concurrent * upstreamEvents(deltas));
    }
  }
  return Object.fromEntries(
    targets.map((t) => {
      const s = ttft.get(t.name);
      return [t.name, { streams: s.length, ttftMedianMs: median(s), ttftP99Ms: p99(s), cpuUsPerEvent: (cpu.get(t.name) * 1000) / events.get(t.name) }];
    }),
  );
}
