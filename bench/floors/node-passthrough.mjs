// Floor for the Node targets: Hono's Node adapter and Node's fetch with nothing between them.
// The request body is read whole before forwarding, as every gateway that parses JSON must
// (ours and Portkey alike); the response body is passed through untouched.
// Whatever this costs, every Hono-on-Node gateway pays before doing any work of its own.
// usage: node node-passthrough.mjs <port> <upstream base URL>
import { serve } from "@hono/node-server";

const [port, upstream] = process.argv.slice(2);
serve({
  hostname: "127.0.0.1",
  port: Number(port),
  fetch: async (req) => {
    const url = new URL(req.url);
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer();
    return fetch(upstream + url.pathname + url.search, { method: req.method, headers: req.headers, body });
  },
});
