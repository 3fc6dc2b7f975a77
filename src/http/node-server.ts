/**
 * The Node server: node:http in front of the gateway's fetch, with one direct path.
 *
 * POST …/chat/completions, the request that carries the load, is served straight from
 * node:http: body bytes in, the same chat core as on Workers (src/core/chat/handle-chat.ts),
 * plain strings or the translated stream out. Everything else (models, files, messages,
 * status, preflight, health, 404s) goes through the app's fetch via @hono/node-server.
 *
 * Why: Hono's Node adapter builds a web Request per request and writes a web Response
 * back, and on Node those (undici, web streams) cost more CPU than all of the gateway's
 * own work, so the chat path that carries the load goes without them (bench/RESULTS.md
 * has the figures). The direct path makes the same decisions as the app because it
 * calls the same serveChat (src/http/serve-chat.ts) as the Workers path. test/node/node-server.test.ts runs the same requests through both (the
 * app's fetch serves chat from a web Request: src/http/web-route.ts).
 */
import { Buffer } from "node:buffer";
import http, { type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Gateway } from "./app";
import type { GatewayDeps, RequestScope } from "../deps";
import type { HeaderLookup } from "./middleware/auth";
import { isChatCompletions } from "./web-route";
import { serveChat, type ChatExchange, type HttpReply } from "./serve-chat";
import { chatCompletions } from "./routes/chat-completions";
import { discardNodeBody, readNodeJsonBody } from "./node-body";

export function createNodeServer(app: Gateway, deps: GatewayDeps): Server {
  const viaHono = getRequestListener(app.fetch);
  return http.createServer((req, res) => {
    if (isChatCompletions(req.method, req.url)) void serveChatDirect(req, res, deps);
    else void viaHono(req as never, res as never);
  });
}

function pathOf(url: string | undefined): string {
  const u = url ?? "/";
  const q = u.indexOf("?");
  return q < 0 ? u : u.slice(0, q);
}

/** node:http's request as serveChat reads it. */
class NodeChatExchange implements ChatExchange {
  readonly headers: HeaderLookup;

  constructor(private readonly req: IncomingMessage) {
    this.headers = nodeHeaders(req);
  }

  path(): string {
    return pathOf(this.req.url);
  }

  readJson(thresholdBytes: number, maxBytes: number) {
    return readNodeJsonBody(this.req, thresholdBytes, maxBytes);
  }

  async discard(): Promise<void> {
    // Drained before the answer goes out: Node's fetch gives up a connection whose request
    // body is still being written when the response ends, so answering first lost it.
    await discardNodeBody(this.req);
  }
}

async function serveChatDirect(req: IncomingMessage, res: ServerResponse, deps: GatewayDeps): Promise<void> {
  const client = new AbortController();
  // 'close' before the answer finished: the client went away; the upstream call is aborted.
  res.once("close", () => {
    if (!res.writableFinished) client.abort(new DOMException("The client closed the request.", "AbortError"));
  });
  const scope: RequestScope = {
    waitUntil: (p) => void p.catch((e: unknown) => deps.log.warn("background_task_failed", { error: String(e) })),
    signal: client.signal,
  };
  try {
    const reply = await serveChat(deps, scope, new NodeChatExchange(req), chatCompletions);
    await sendReply(res, reply, client.signal);
  } catch (err) {
    // serveChat answers every error itself; this is a failure while writing the answer.
    deps.log.error("unhandled_error", { path: pathOf(req.url), error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    res.destroy();
  }
}

function sendBytes(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  headers["content-length"] = String(Buffer.byteLength(body, "utf8"));
  res.writeHead(status, headers);
  res.end(body);
}

async function sendReply(res: ServerResponse, reply: HttpReply, signal: AbortSignal): Promise<void> {
  if (typeof reply.body === "string") return sendBytes(res, reply.status, reply.headers, reply.body);
  res.writeHead(reply.status, reply.headers);
  const reader = reply.body.getReader();
  // The translator watches the same signal and ends its stream; cancelling also frees it at once.
  const onAbort = () => void reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drained(res);
      if (res.destroyed) break;
    }
    res.end();
  } catch {
    res.destroy();
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** Header lookups over node's parsed request headers (lower-case names; repeats joined). */
function nodeHeaders(req: IncomingMessage): HeaderLookup {
  return {
    get(name) {
      const v = req.headers[name];
      return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
    },
  };
}
