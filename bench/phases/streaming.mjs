/**
 * Paced streams (the simulator's delay between events): time to the first content token, and
 * CPU per upstream event. Pacing makes every event its own network chunk, which is what a
 * real upstream does and what per-event costs are made of.
 *
 * TTFT comes from short streams sent one at a time, so that it measures one request's path
 * and not a queue behind other streams; CPU per event comes from long streams run side by side.
 */
import { sendOk } from "../lib/client.mjs";
import { ask, FIRST_TOKEN } from "../lib/payloads.mjs";
import { cpuMs } from "../lib/proc.mjs";
import { median, p99 } from "../lib/stats.mjs";

/** message_start, ping, content_block_start, the deltas, content_block_stop, message_delta, message_stop. */
export const upstreamEvents = (deltas) => deltas + 6;

export async function streaming(targets, { deltas, concurrent, rounds, ttftPerRound }) {
  const ttft = new Map(targets.map((t) => [t.name, []]));
  const cpu = new Map(targets.map((t) => [t.name, 0]));
  const events = new Map(targets.map((t) => [t.name, 0]));
  const short = new Map(targets.map((t) => [t.name, ask(t.wire, { deltas: 5, paced: true, stream: true })]));
  for (const t of targets) for (let i = 0; i < 3; i++) await sendOk(t, short.get(t.name));
  for (let r = 0; r < rounds; r++) {
    const order = targets.map((_, i) => targets[(i + r) % targets.length]);
    for (const t of order) {
      for (let i = 0; i < ttftPerRound; i++) {
        const res = await sendOk(t, short.get(t.name), { firstToken: FIRST_TOKEN[t.wire] });
        if (res.firstTokenMs === undefined) throw new Error(`${t.name}: no content token in the stream`);
        ttft.get(t.name).push(res.firstTokenMs);
      }
      const body = ask(t.wire, { deltas, paced: true, stream: true });
      const c0 = cpuMs(t.pid);
      await Promise.all(Array.from({ length: concurrent }, () => sendOk(t, body)));
      cpu.set(t.name, cpu.get(t.name) + cpuMs(t.pid) - c0);
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
