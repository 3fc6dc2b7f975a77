import type { Context, Hono } from "hono";
import type { GatewayEnv } from "../app-env";
import { GatewayError } from "../../errors";
import { anthropicHeaders, upstreamUrl } from "../../platforms/anthropic/client";
import { poolFor, callWithFailover } from "../../pool/dispatch";
import { readBodyBytes } from "../json-body";
import { restrictedPool } from "../../pool/member-pool";
import { adapterAsUpstream } from "../../platforms/adapter";
import { anthropicErrorResponse, anthropicErrorTypeForStatus } from "../../platforms/anthropic-shaped";
import { conversationAffinity } from "../../pool/affinity";
import { redactSecrets } from "../../log";
import { admit, settle, withGateHeaders, type Gate } from "../../tenancy/gate";
import { estimateTokens, meterBody } from "../../tenancy/meter";
import { assertModelId } from "../../models/model-id";

/**
 * Anthropic-format passthrough for Anthropic-format clients (Claude Code, the
 * Anthropic SDKs): same key pool and failover, body and stream passed through
 * untouched. Errors the gateway itself raises are rendered in Anthropic's shape,
 * since that is what these clients parse.
 */
export function registerMessages(app: Hono<GatewayEnv>): void {
  app.post("/messages", (c) => forward(c, "/v1/messages"));
  app.post("/messages/count_tokens", (c) => forward(c, "/v1/messages/count_tokens"));
}

/** The Anthropic API's limit on one request's body (the Messages API: 32 MB). */
const ANTHROPIC_MAX_REQUEST_BYTES = 32 * 1024 * 1024;

async function forward(c: Context<GatewayEnv>, path: string): Promise<Response> {
  const deps = c.get("deps");
  const scope = c.get("scope");
  const { config } = deps;
  let gate: Gate | undefined;
  try {
    // The body is forwarded untouched (no attachment offload), so Anthropic's own request
    // limit is the useful one when it is the lower: a larger body would only be held in
    // memory to be refused upstream.
    const maxBytes = Math.min(config.MAX_REQUEST_BYTES, ANTHROPIC_MAX_REQUEST_BYTES);
    const raw = await readBodyBytes(c.req.raw, maxBytes, maxBytes < config.MAX_REQUEST_BYTES ? "the Anthropic API's 32 MB request limit: /v1/messages forwards the body as it is" : "MAX_REQUEST_BYTES");
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(raw));
    } catch (e) {
      throw new GatewayError(400, `The request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, "invalid_request_error");
    }
    // Refused here rather than forwarded: every key would get the same 400.
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new GatewayError(400, `The request body must be a JSON object, not ${parsed === null ? "null" : Array.isArray(parsed) ? "an array" : `a ${typeof parsed}`}.`, "invalid_request_error");
    }
    // An id that cannot be a model id (CR/LF, control characters, 300 characters) is refused
    // here; a well-formed unknown one goes upstream, which knows its own models.
    const requested = (parsed as { model?: unknown }).model;
    if (typeof requested === "string") assertModelId(requested);
    // The client key's limits before the upstream call; count_tokens is free but still a request.
    const model = typeof requested === "string" ? requested : "";
    gate = admit(deps, c.get("client"), model, () => estimateTokens(raw.byteLength));
    const version = c.req.header("anthropic-version") ?? config.ANTHROPIC_VERSION;
    const betas = (c.req.header("anthropic-beta") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    // Messages also go to Bedrock and Vertex members (their adapters answer as Anthropic would);
    // token counting exists only on Anthropic's API.
    const pool = path.endsWith("/count_tokens") ? restrictedPool(poolFor(deps, c.get("passthroughKey")), new Set(deps.members.ids())) : poolFor(deps, c.get("passthroughKey"));
    const { response } = await callWithFailover(deps, scope, pool, (key, signal) => {
      const member = deps.members.get(key);
      const url = upstreamUrl(config.ANTHROPIC_BASE_URL, path);
      const init = { method: "POST" as const, headers: anthropicHeaders(key, version, betas), body: raw, signal };
      return member ? adapterAsUpstream(member)(url, init) : deps.upstream(url, init);
    }, { affinity: conversationAffinity(parsed) });
    // Pass the upstream answer through as it is, success or error, minus hop headers.
    const headers = new Headers();
    for (const name of ["content-type", "request-id", "retry-after", "x-should-retry"]) {
      const v = response.headers.get(name);
      if (v) headers.set(name, v);
    }
    response.headers.forEach((v, name) => {
      if (name.startsWith("anthropic-ratelimit-")) headers.set(name, v);
    });
    for (const [name, v] of Object.entries(gate.headers)) headers.set(name, v);
    const g = gate;
    const body =
      path === "/v1/messages" && response.ok && response.body && g.ticket
        ? meterBody(response.body, (response.headers.get("content-type") ?? "").includes("event-stream") ? "sse" : "json", raw.byteLength, (m) =>
            settle(deps, g, model, m.usage, !m.estimated, scope, { promptChars: () => raw.byteLength, outputChars: 0 }),
          )
        : response.body;
    return new Response(body, { status: response.status, headers });
  } catch (err) {
    if (err instanceof GatewayError) {
      const e = gate ? (withGateHeaders(err, gate) as GatewayError) : err;
      return anthropicErrorResponse(e.status, anthropicErrorTypeForStatus(e.status), redactSecrets(e.message), e.headers);
    }
    throw err;
  }
}
