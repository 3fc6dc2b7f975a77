import type { GatewayDeps, RequestScope } from "../deps";
import { GatewayError } from "../errors";
import { errorReply } from "../openai/errors";
import type { AttachmentLookup } from "../attachments/table";
import type { ChatClient } from "../core/chat/types";
import type { Rendered } from "../render/rendered";
import { authorizeClient, type ClientAuthResult, type HeaderLookup } from "./middleware/auth";
import { corsHeaders } from "./middleware/cors";
import { admit, settle, withGateHeaders, type Gate } from "../tenancy/gate";
import { estimateTokens } from "../tenancy/meter";
import { resolveRequestedModel } from "../models/model-id";

/**
 * The model a chat or Responses body asks for, as limits and usage name it: without the
 * `-think` suffix. Empty when the body has none (the core answers that with a 400).
 */
function requestedModel(json: unknown): string {
  const model = (json as { model?: unknown } | null)?.model;
  return typeof model === "string" ? resolveRequestedModel(model).upstreamId : "";
}

/** One chat request as a runtime adapter presents it (a web Request, or node:http's request). */
export interface ChatExchange {
  headers: HeaderLookup;
  /** For the operator's log line. */
  path(): string;
  /** The JSON body, with data URLs above `thresholdBytes` taken out; a body above `maxBytes` (MAX_REQUEST_BYTES) is a 413. */
  readJson(thresholdBytes: number, maxBytes: number): Promise<{ json: unknown; attachments: AttachmentLookup }>;
  /**
   * Reads and throws away a body that will not be used (the request was refused first),
   * within bounds, so that a client still sending receives the refusal (discard-body.ts).
   */
  discard(): Promise<void>;
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
  let gate: Gate | undefined;
  try {
    // Static keys are checked synchronously; a managed key may wait for its (cached) authorisation.
    const pending = authorized ?? authorizeClient(exchange.headers, deps.config, deps.tenancy, scope);
    const auth = pending instanceof Promise ? await pending : pending;
    if (!auth.ok) {
      await exchange.discard();
      return errorReply(auth.error, { ...cors, ...auth.headers });
    }
    const threshold = auth.passthroughKey ? Infinity : deps.config.UPLOAD_THRESHOLD_BYTES;
    const { json, attachments } = await exchange.readJson(threshold, deps.config.MAX_REQUEST_BYTES);
    // The client key's limits, before the core calls the upstream (nothing is sent when they refuse).
    const model = requestedModel(json);
    const promptChars = () => JSON.stringify(json).length;
    gate = admit(deps, auth.client, model, () => estimateTokens(promptChars()));
    const g = gate;
    const client: ChatClient = {
      passthroughKey: auth.passthroughKey,
      tenant: auth.client,
      // Once per answer that reached the upstream: a stream that ended early carries what the upstream reported, marked estimated.
      onAnswered: g.ticket ? (answer) => settle(deps, g, model, answer.usage, answer.error === null, scope, { promptChars, outputChars: answer.outputChars }) : undefined,
    };
    const rendered = await endpoint(deps, scope, json, attachments, client);
    return { status: 200, headers: Object.assign(rendered.headers, g.headers, cors), body: rendered.body };
  } catch (err) {
    if (!(err instanceof GatewayError)) {
      deps.log.error("unhandled_error", { path: exchange.path(), error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
    return errorReply(gate ? withGateHeaders(err, gate) : err, cors);
  }
}
