/**
 * Load generation with plain node:http and one keep-alive agent: the cheapest client Node
 * offers, since the client shares this 2-core machine with every target.
 */
import http from "node:http";

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
const DATA = Buffer.from("data:");

function countData(buf) {
  let n = 0;
  for (let i = buf.indexOf(DATA); i >= 0; i = buf.indexOf(DATA, i + 5)) n++;
  return n;
}

/**
 * @typedef {{ name: string, url: string, path: string, headers: Record<string, string>, wire: "openai" | "anthropic", pid?: number }} Target
 * @typedef {{ status: number, ms: number, firstTokenMs?: number, events: number, bytes: number, body?: Buffer }} Result
 * @param {Target} target
 * @param {Buffer} payload
 * @param {{ firstToken?: RegExp, keepBody?: boolean, timeoutMs?: number }} [o]
 * @returns {Promise<Result>}
 */
export function send(target, payload, o = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(
      target.url + target.path,
      { method: "POST", agent, headers: { ...target.headers, "content-type": "application/json", "content-length": String(payload.length) } },
      (res) => {
        let firstTokenMs;
        let events = 0;
        let bytes = 0;
        // The first token may straddle two chunks: look at a short carry-over plus the new chunk.
        let carry = "";
        let tail = Buffer.alloc(0);
        const chunks = [];
        res.on("data", (c) => {
          bytes += c.length;
          if (o.keepBody || res.statusCode !== 200) chunks.push(c);
          // "data:" may straddle two chunks: count it in the seam too (the last 4 bytes + the next 4).
          if (tail.length) events += countData(Buffer.concat([tail, c.subarray(0, 4)]));
          events += countData(c);
          tail = c.subarray(Math.max(0, c.length - 4));
          if (o.firstToken && firstTokenMs === undefined) {
            const text = carry + c.toString("latin1");
            if (o.firstToken.test(text)) firstTokenMs = performance.now() - t0;
            else carry = text.slice(-64);
          }
        });
        res.on("end", () => {
          const body = chunks.length ? Buffer.concat(chunks) : undefined;
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, firstTokenMs, events, bytes, body });
        });
        res.on("error", reject);
      },
    );
    req.setTimeout(o.timeoutMs ?? 120_000, () => req.destroy(new Error(`${target.name}: timed out`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** Like send, but a non-200 answer is an error naming the target and what it said. */
export async function sendOk(target, payload, o) {
  const r = await send(target, payload, o);
  if (r.status !== 200) throw new Error(`${target.name}: HTTP ${r.status}: ${r.body?.toString("utf8").slice(0, 500)}`);
  return r;
}

/** GET helper for readiness probes and the simulator's stats. */
export function get(url, method = "GET") {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.setTimeout(5000, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}
