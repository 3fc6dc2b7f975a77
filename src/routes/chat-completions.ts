import type { Context, Hono } from "hono";
import type { GatewayEnv } from "../app-env";
import type { GatewayDeps, KeyPool, RequestScope } from "../deps";
import type { AnthropicMessage, AnthropicRequest } from "../anthropic/types";
import { GatewayError } from "../errors";
import { parseChatRequest, type ChatRequest } from "../openai/schema";
import { resolveRequestedModel } from "../models/model-id";
import { translateChatRequest, toolCallIdsNeedingThinking } from "../translate/request";
import { translateMessage } from "../translate/response";
import { createChatCompletionStream } from "../translate/stream";
import { postJson, type UpstreamTarget } from "../anthropic/client";
import { upstreamError, upstreamUnreachable } from "../anthropic/errors";
import { sendWithFailover } from "../pool/failover";
import { poolFor, midStreamOutcome } from "./upstream-pool";
import { keyHint } from "../log";
import { readJsonBody } from "./json-body";
import { newCompletionId } from "../translate/ids";

/**
 * POST /v1/chat/completions: validate everything before answering 200 (some
 * frontends cannot show an error that arrives inside a stream), translate, call the
 * upstream with failover across keys, translate back event by event.
 */
export function registerChatCompletions(app: Hono<GatewayEnv>): void {
  app.post("/chat/completions", async (c) => {
    const deps = c.get("deps");
    const scope = c.get("scope");
    const req = parseChatRequest(await readJsonBody(c.req.raw));
    return handleChat(c, deps, scope, req);
  });
}

async function handleChat(c: Context<GatewayEnv>, deps: GatewayDeps, scope: RequestScope, req: ChatRequest): Promise<Response> {
  const { config } = deps;
  const requested = resolveRequestedModel(req.model);
  const profile = await deps.models.get(requested.upstreamId);
  if (!profile) {
    throw new GatewayError(404, `The model \`${req.model}\` does not exist or is not offered by this gateway. GET /v1/models lists the available ones.`, "not_found_error", "model", "model_not_found");
  }

  const restoredThinking = new Map<string, Awaited<ReturnType<typeof deps.thinking.get>> & object>();
  for (const id of toolCallIdsNeedingThinking(req)) {
    const blocks = await deps.thinking.get(id);
    if (blocks) restoredThinking.set(id, blocks);
  }

  const translated = translateChatRequest(req, {
    profile,
    think: requested.think,
    defaultMaxTokens: config.DEFAULT_MAX_TOKENS,
    restoredThinking,
  });
  if (translated.thinkingDroppedReason) deps.log.info("thinking_dropped", { model: profile.id, reason: translated.thinkingDroppedReason });

  const stream = req.stream === true;
  const body: AnthropicRequest = { ...translated.body, stream };
  const payload = JSON.stringify(body);

  const pool = poolFor(deps, c.get("passthroughKey"));
  const target: UpstreamTarget = { upstream: deps.upstream, baseUrl: config.ANTHROPIC_BASE_URL, version: config.ANTHROPIC_VERSION };

  let timedOut = false;
  const { response, key, settle } = await sendWithFailover({
    pool,
    scope,
    maxAttempts: config.MAX_UPSTREAM_ATTEMPTS,
    log: deps.log,
    attempt: async (k, signal) => {
      // The timeout covers the wait for response headers only; a long stream is fine.
      const timer = new AbortController();
      const t = setTimeout(() => {
        timedOut = true;
        timer.abort(new Error("upstream timeout"));
      }, config.UPSTREAM_TIMEOUT_MS);
      try {
        return await postJson(target, "/v1/messages", k, payload, AbortSignal.any([signal, timer.signal]), translated.betas);
      } finally {
        clearTimeout(t);
      }
    },
  }).catch((err: unknown) => {
    if (err instanceof GatewayError) throw err;
    if (scope.signal.aborted) throw new GatewayError(499, "The client closed the request.", "invalid_request_error", null, "client_closed_request");
    throw upstreamUnreachable(err, config.ANTHROPIC_BASE_URL, timedOut);
  });

  if (!response.ok) throw await upstreamError(response);

  const id = newCompletionId();
  const created = Math.floor(Date.now() / 1000);
  const responseCtx = {
    id,
    created,
    model: req.model,
    reasoningOutput: config.REASONING_OUTPUT,
    structuredOutput: translated.structuredOutput,
  };
  const headers: Record<string, string> = {};
  if (config.UPSTREAM === "simulator") headers["x-claude2api-upstream"] = "simulator";
  if (translated.thinkingDroppedReason) headers["x-claude2api-thinking"] = "off-this-turn";

  if (!stream) {
    const message = (await response.json()) as AnthropicMessage;
    const { completion, thinking } = translateMessage(message, responseCtx);
    if (thinking) deps.thinking.put(thinking.toolCallIds, thinking.blocks, scope);
    return c.json(completion, 200, headers);
  }

  if (!response.body) throw new GatewayError(502, "The Anthropic API answered a streaming request with an empty body.", "upstream_error", null, "upstream_empty_stream");
  const out = createChatCompletionStream(response.body, {
    ...responseCtx,
    includeUsage: req.stream_options?.include_usage === true,
    keepAliveMs: config.STREAM_KEEPALIVE_MS,
    signal: scope.signal,
    onComplete: (summary) => {
      if (summary.thinking) deps.thinking.put(summary.thinking.toolCallIds, summary.thinking.blocks, scope);
      settle(midStreamOutcome(summary.error));
      if (summary.error && summary.error.type !== "client_disconnected") {
        deps.log.warn("stream_failed_midway", { model: profile.id, key: key ? keyHint(key) : "client", error: summary.error.message });
      }
    },
  });
  return new Response(out, {
    status: 200,
    headers: {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    },
  });
}
