// The lowest floor on Node: node:http in, http.request out, no web Request, Response, Headers
// or streams. The request body is read whole first, as a JSON-parsing gateway must; the
// response is piped. What any gateway on Node costs at the very least.
// usage: node node-raw.mjs <port> <upstream base URL>
import http from "node:http";

const [port, upstream] = process.argv.slice(2);
const u = new URL(upstream);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
http
  .createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers, "content-length": String(body.length) };
      const up = http.request({ host: u.hostname, port: u.port, path: req.url, method: req.method, headers, agent }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on("error", () => res.destroy());
      up.end(body);
    });
  })
  .listen(Number(port), "127.0.0.1");
