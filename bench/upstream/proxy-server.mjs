/**
 * A plain HTTP proxy (the `proxy` package, the one the proxy tests use) between the
 * node-proxy target and the simulator: node-proxy against node shows what the outbound
 * proxy (HTTP_PROXY, absolute-form requests over kept-alive connections) costs.
 *
 * usage: node proxy-server.mjs <port>
 */
import http from "node:http";
import { createProxy } from "proxy";

const port = Number(process.argv[2]);
createProxy(http.createServer()).listen(port, "127.0.0.1", () => console.error(`proxy listening on 127.0.0.1:${port}`));
