// Floor for the Node targets: Hono's Node adapter and Node's fetch with nothing between them,
// forwarding the request and returning the upstream response. Whatever this costs, every
// Hono-on-Node gateway (ours, Portkey) pays before doing any work of its own.
// usage: node node-passthrough.mjs <port> <upstream base URL>
import { serve } from "@hono/node-server";

const [port, upstream] = process.argv.slice(2);
serve({
  hostname: "127.0.0.1",
  port: Number(port),
  fetch: (req) => {
    const url = new URL(req.url);
    return fetch(upstream + url.pathname + url.search, { method: req.method, headers: req.headers, body: req.body, duplex: "half" });
  },
});
