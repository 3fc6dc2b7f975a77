/**
 * Brings every target to steady state before anything is measured: a few seconds of
 * concurrent requests, non-stream and streamed alike. A gateway in service has run its
 * request path thousands of times, so V8 has optimised it; a 50-request warm-up left the
 * JavaScript-heavy targets (ours, Portkey) half in the interpreter during the latency
 * phase while a few-line floor was already compiled, which measured the JIT, not the gateway.
 */
import { send } from "../lib/client.mjs";
import { ask } from "../lib/payloads.mjs";

export async function warmUp(targets, { clients, seconds }) {
  for (const t of targets) {
    const bodies = [ask(t.wire, {}), ask(t.wire, { stream: true, deltas: 5 })];
    const end = performance.now() + seconds * 1000;
    let n = 0;
    const loop = async () => {
      while (performance.now() < end) await send(t, bodies[n++ % 2]).catch(() => undefined);
    };
    await Promise.all(Array.from({ length: clients }, loop));
  }
}
