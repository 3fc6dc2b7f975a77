// The lowest floor on Node: node:http in, http.request out, bodies piped, no web Request,
// Response, Headers or streams. What any gateway on Node costs at the very least.
// usage: node node-raw.mjs <port> <upstream base URL>
import http from "node:http";

const [port, upstream] = process.argv.slice(2);
const u = new URL(upstream);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
http
  .createServer((req, res) => {
    const up = http.request({ host: u.hostname, port: u.port, path: req.url, method: req.method, headers: req.headers, agent }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  })
  .listen(Number(port), "127.0.0.1");
