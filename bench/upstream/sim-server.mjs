/**
 * The upstream of every benchmark target: the built-in simulator served on a loopback port.
 * Two simulators share the port: instant (pure gateway cost) and paced (streamDelayMs).
 * A request picks its answer with markers in its text, because the gateways in front
 * forward the conversation but not custom headers:
 *   bench-deltas=N  answer with exactly N text deltas (a scripted turn)
 *   bench-paced     use the paced simulator
 * GET /__bench/stats reports the request bytes received per path (issue 3's upload figure).
 *
 * usage: node sim-server.mjs <simulator bundle> <port> <delayMs>
 */
import { serve } from "@hono/node-server";

const [bundle, portArg, delayArg] = process.argv.slice(2);
const { ClaudeSimulator } = await import(bundle);
const instant = new ClaudeSimulator({});
const paced = new ClaudeSimulator({ streamDelayMs: Number(delayArg) });

/** @type {{ requests: number, bytes: number, byPath: Record<string, { requests: number, bytes: number }> }} */
let stats = { requests: 0, bytes: 0, byPath: {} };
const decoder = new TextDecoder();
/** Three words per delta: the simulator splits text into chunks of three words. */
const answerOf = (n) => "lorem ipsum dolor ".repeat(n);
const MARK = /bench-deltas=(\d+)/;

async function fetch(request) {
  const url = new URL(request.url);
  if (url.pathname === "/__bench/stats") {
    const body = JSON.stringify(stats);
    if (request.method === "DELETE") stats = { requests: 0, bytes: 0, byPath: {} };
    return new Response(body, { headers: { "content-type": "application/json" } });
  }
  if (request.method !== "POST") return instant.fetch(request);
  const buf = new Uint8Array(await request.arrayBuffer());
  const key = url.pathname.replace(/\/file_[^/]+/, "/{id}");
  stats.requests++;
  stats.bytes += buf.byteLength;
  const p = (stats.byPath[key] ??= { requests: 0, bytes: 0 });
  p.requests++;
  p.bytes += buf.byteLength;
  let sim = instant;
  if (url.pathname === "/v1/messages") {
    // Markers sit in the latest user turn, near the end: a 20 MB PDF body need not be decoded whole.
    const tail = decoder.decode(buf.byteLength <= 1 << 20 ? buf : buf.subarray(buf.byteLength - (1 << 16)));
    if (tail.includes("bench-paced")) sim = paced;
    const m = MARK.exec(tail);
    if (m) sim.script({ content: [{ type: "text", text: answerOf(Number(m[1])) }] });
  }
  return sim.fetch(new Request(request.url, { method: "POST", headers: request.headers, body: buf, signal: request.signal }));
}

serve({ fetch, hostname: "127.0.0.1", port: Number(portArg) }, () => process.send?.("ready"));
