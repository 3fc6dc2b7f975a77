/**
 * Memory of a target while it serves one large request, from the kernel's own peak counter
 * (VmHWM, reset through clear_refs before each request) rather than sampling, which would
 * miss short peaks. Growth = peak − RSS just before the request.
 */
import { sendOk } from "../lib/client.mjs";
import { ask, chatBody, fakePdf, FIRST_TOKEN } from "../lib/payloads.mjs";
import { cpuMs, memory, resetPeak } from "../lib/proc.mjs";
import { orError } from "../lib/stats.mjs";

async function measured(t, body, o) {
  if (!resetPeak(t.pid)) throw new Error(`cannot reset the peak RSS of ${t.name} (pid ${t.pid})`);
  const before = memory(t.pid);
  const c0 = cpuMs(t.pid);
  const res = await sendOk(t, body, o);
  const cpu = cpuMs(t.pid) - c0;
  const after = memory(t.pid);
  return { beforeMb: before.rssMb, peakMb: after.peakMb, afterMb: after.rssMb, growthMb: after.peakMb - before.rssMb, cpuMs: cpu, events: res.events };
}

/** Runs per stream size: the least growth of these counts. */
const RUNS = 5;

/**
 * Streams of `small` and `large` deltas from the instant simulator. Each size runs RUNS times
 * and the smallest growth counts: garbage-collected heaps grow in steps that have nothing to do
 * with the answer (noise only ever adds), while buffering the answer costs on every run.
 * The CPU per event is over all large runs together: one 10,000-event stream is some 40 ms
 * of CPU, and a single one moved by a third between runs of the same code.
 */
export async function streamMemory(targets, { small, large }) {
  const out = {};
  const least = (a, b) => (a.growthMb <= b.growthMb ? a : b);
  for (const t of targets) {
    out[t.name] = await orError(async () => {
      const run = (deltas) => measured(t, ask(t.wire, { deltas, stream: true }), { firstToken: FIRST_TOKEN[t.wire] });
      // Long streams first: a heap grows towards its working size (workerd, with no memory limit,
      // settles near 300 MB after a few hundred thousand events) and meanwhile its peaks are noise.
      for (let i = 0; i < 3; i++) await sendOk(t, ask(t.wire, { deltas: large, stream: true }));
      const smalls = [];
      for (let i = 0; i < RUNS; i++) smalls.push(await run(small));
      const larges = [];
      for (let i = 0; i < RUNS; i++) larges.push(await run(large));
      // A short stream would make the memory figure meaningless: every delta must have arrived.
      for (const l of larges) if (l.events < large) throw new Error(`${t.name}: ${l.events} SSE events for ${large} deltas`);
      const cpuMs = larges.reduce((sum, l) => sum + l.cpuMs, 0);
      return { small: smalls.reduce(least), large: larges.reduce(least), cpuUsPerEventLarge: (cpuMs * 1000) / (RUNS * (large + 6)) };
    });
  }
  return out;
}

/** One non-stream request carrying a PDF of `mb` MB (as base64, as clients send it). */
export async function pdfMemory(targets, { mb, warmupMb }) {
  const warm = fakePdf(warmupMb * 1024 * 1024);
  const big = fakePdf(mb * 1024 * 1024);
  const out = {};
  for (const t of targets) {
    const turns = (pdf) => [{ role: "user", text: "Summarise this document.", pdfBase64: pdf }];
    out[t.name] = await orError(async () => {
      await sendOk(t, chatBody(t.wire, { turns: turns(warm) }));
      const body = chatBody(t.wire, { turns: turns(big) });
      const m = await measured(t, body, {});
      return { ...m, bodyMb: body.length / 1048576, pdfMb: mb, growthPerPdfSize: m.growthMb / mb };
    });
  }
  return out;
}
