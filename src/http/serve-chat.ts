import type { GatewayDeps, RequestScope } from "../deps";
import { GatewayError } from "../errors";
import { errorReply } from "../openai/errors";
import type { AttachmentLookup } from "../attachments/table";
import type { ChatClient } from "../core/chat/types";
import type { Rendered } from "../render/rendered";
import { authorizeClient, type ClientAuthResult, type HeaderLookup } from "./middleware/auth";
import { corsHeaders } from "./middleware/cors";

/** One chat request as a runtime adapter presents it (a web Request, or node:http's request). */
export interface ChatExchange {
  headers: HeaderLookup;
  /** For the operator's log line. */
  path(): string;
  /** Reads the JSON body, decoding data URLs of at least `thresholdBytes` into bytes as it streams in. */
  /** The JSON body, with data URLs above `thresholdBytes` taken out; a body above `maxBytes` (MAX_REQUEST_BYTES) is a 413. */
  readJson(thresholdBytes: number, maxBytes: number): Promise<{ json: unknown; attachments: AttachmentLookup }>;
  /** Drops a body that will not be read (the request was refused first). */
  discard(): void;
}

/** What a chat endpoint does between the body and the bytes: validate, run the core, render. */
export type ChatEndpoint = (deps: GatewayDeps, scope: RequestScope, json: unknown, attachments: AttachmentLookup, client: ChatClient) => Promise<Rendered>;

/** Everything serveChat answers: the rendered answer with 200, or an OpenAI-shaped error. */
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string | ReadableStream<Uint8Array>;
}

/**
 * The chat glue, once for every runtime: auth → body → endpoint (core + renderer) →
 * error → CORS. The Workers adapter (web-route.ts), the Node adapter (node-server.ts)
 * and the Hono routes of the other chat endpoint (/v1/responses) all call this, and only
 * turn the reply into their own response type.
 *
 * `authorized` is for callers whose middleware already authenticated the request (Hono).
 *
 * Seam for client keys: the ChatClient built here from the auth result is what the core
 * carries; a managed key's identity (ClientAuthResult) goes into `client.tenant`, and
 * its usage recorder into `client.onAnswered`.
 */
export async function serveChat(deps: GatewayDeps, scope: RequestScope, exchange: ChatExchange, endpoint: ChatEndpoint, authorized?: ClientAuthResult & { ok: true }): Promise<HttpReply> {
  const cors = corsHeaders(exchange.headers.get("origin") || "*");
  try {
    const auth = authorized ?? authorizeClient(exchange.headers, deps.config);
    if (!auth.ok) {
      exchange.discard();
      return errorReply(auth.error, { ...cors, ...auth.headers });
    }
    const client: ChatClient = { passthroughKey: auth.passthroughKey };
    const threshold = auth.passthroughKey ? Infinity : deps.config.UPLOAD_THRESHOLD_BYTES;
    const { json, attachments } = await exchange.readJson(threshold, deps.config.MAX_REQUEST_BYTES);
    const rendered = await endpoint(deps, scope, json, attachments, client);
    return { status: 200, headers: Object.assign(rendered.headers, cors), body: rendered.body };
  } catch (err) {
    if (!(err instanceof GatewayError)) {
      deps.log.error("unhandled_error", { path: exchange.path(), error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
    return errorReply(err, cors);
  }
}
