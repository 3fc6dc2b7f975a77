import type { GatewayDeps, KeyOutcome, KeyPool, RequestScope } from "../../deps";
import type { AnthropicMessage, AnthropicRequest } from "../../platforms/anthropic/types";
import { GatewayError } from "../../errors";
import { parseChatRequest, type ChatRequest } from "../../openai/schema";
import { resolveRequestedModel } from "../../models/model-id";
import { translateChatRequest, toolCallIdsNeedingThinking } from "../../translate/request";
import { translateMessage } from "../../render/chat-completions/completion";
import { createChatCompletionStream } from "../../render/chat-completions/stream";
import { postJson, type UpstreamTarget } from "../../platforms/anthropic/client";
import { upstreamError } from "../../platforms/anthropic/errors";
import { poolFor, midStreamOutcome, callWithFailover } from "../../pool/dispatch";
import { memberPool } from "./platform-routing";
import { singleKeyPool } from "../../pool/passthrough";
import { AnthropicFiles } from "../../platforms/anthropic/files";
import { offloadLargeAttachments } from "../../uploads/offload";
import { applyCacheBreakpoints } from "../../translate/cache-breakpoints";
import { packHistory } from "../../translate/history";
import { parseContextOverflow, trimForContext } from "../../translate/context-trim";
import { pinClientFiles } from "../../uploads/client-files";
import { conversationAffinity } from "../../pool/affinity";
import { upstreamKeys } from "../../config";
import { keyHint } from "../../log";
import type { AttachmentLookup } from "../../attachments/table";
import { stringifyWithAttachments } from "../../attachments/serialize";
import { newCompletionId } from "../../translate/ids";
import type { UpstreamResponse } from "../../platforms/upstream";

/** What the chat endpoint answers on success; errors are thrown as GatewayError. */
export type ChatReply =
  | { kind: "json"; headers: Record<string, string>; body: string }
  | { kind: "stream"; headers: Record<string, string>; body: ReadableStream<Uint8Array> };

export interface ChatInput {
  /** The parsed body, validated here. */
  json: unknown;
  /** Large data URLs taken out of the body while it was read (readJsonBodyWithAttachments). */
  attachments: AttachmentLookup;
  /** The client's own Anthropic key (PASSTHROUGH_KEYS mirror mode), if auth found one. */
  passthroughKey: string | undefined;
  /** Overrides REASONING_OUTPUT for a caller with a place of its own for reasoning (/v1/responses). */
  reasoningOutput?: "reasoning_content" | "hidden";
}

/**
 * POST /v1/chat/completions, without the HTTP layer: the Hono route
 * (src/routes/chat-completions.ts) and the Node server's direct path
 * (src/http/node-server.ts) both call this. Validates everything before answering
 * 200 (some frontends cannot show an error that arrives inside a stream), translates,
 * calls the upstream with failover across keys, translates back event by event.
 */
export async function handleChatCompletion(deps: GatewayDeps, scope: RequestScope, input: ChatInput): Promise<ChatReply> {
  return handleChat(deps, scope, parseChatRequest(input.json), input.attachments, input.passthroughKey, input.reasoningOutput);
}

/** Reads the data URLs that will be offloaded straight into bytes; none under a client's own key. */
export function attachmentThreshold(deps: GatewayDeps, passthroughKey: string | undefined): number {
  return passthroughKey ? Infinity : deps.config.UPLOAD_THRESHOLD_BYTES;
}

async function handleChat(
  deps: GatewayDeps,
  scope: RequestScope,
  req: ChatRequest,
  attachments: AttachmentLookup,
  passthrough: string | undefined,
  reasoningOutput: ChatInput["reasoningOutput"],
): Promise<ChatReply> {
  const { config } = deps;
  const requested = resolveRequestedModel(req.model);
  const profile = await deps.models.get(requested.upstreamId);
  if (!profile) {
    throw new GatewayError(404, `The model \`${req.model}\` does not exist or is not offered by this gateway. GET /v1/models lists the available ones.`, "not_found_error", "model", "model_not_found");
  }

  // Looked up together: after a store miss each lookup may go to the Cache API.
  const restoredThinking = new Map<string, Awaited<ReturnType<typeof deps.thinking.get>> & object>();
  const ids = toolCallIdsNeedingThinking(req);
  if (ids.length) {
    const found = await Promise.all(ids.map((id) => deps.thinking.get(id)));
    ids.forEach((id, i) => found[i] && restoredThinking.set(id, found[i]));
  }

  const translated = translateChatRequest(req, {
    profile,
    think: requested.think,
    defaultMaxTokens: config.DEFAULT_MAX_TOKENS,
    restoredThinking,
    attachments,
  });
  if (translated.thinkingDroppedReason) deps.log.info("thinking_dropped", { model: profile.id, reason: translated.thinkingDroppedReason });

  const stream = req.stream === true;
  let body: AnthropicRequest = applyCacheBreakpoints(packHistory({ ...translated.body, stream }, config.MAX_CHAT_HISTORY_LENGTH), {
    enabled: config.AUTO_CACHE,
    ttl: config.AUTO_CACHE_TTL,
  });
  const pinnedKey = await pinClientFiles(body, deps, passthrough);
  const pooled = !pinnedKey && !passthrough;
  // Bedrock and Vertex members that cannot serve this request are hidden from the pool for it (or it is refused, saying why).
  const pool = pinnedKey ? singleKeyPool(pinnedKey) : pooled && deps.members.size ? memberPool(deps, poolFor(deps, passthrough), body, attachments, req.model) : poolFor(deps, passthrough);
  const files = new AnthropicFiles({ upstream: deps.upstream, baseUrl: config.ANTHROPIC_BASE_URL, version: config.ANTHROPIC_VERSION });
  // Files offloaded under the client's own key could never be swept by the gateway.
  const thresholdBytes = passthrough ? Infinity : config.UPLOAD_THRESHOLD_BYTES;

  // Taken before packing and trimming, which rewrite the opening of the conversation.
  // Only worth its cost (a stringify of the opening turn) when there is a key to choose.
  const affinity = pooled && upstreamKeys(config).length + deps.members.size > 1 ? conversationAffinity(translated.body) : undefined;

  const call = (outgoing: AnthropicRequest) =>
    callUpstream(deps, scope, pool, translated.betas, affinity, async (key) => {
      // Bedrock and Vertex have no Files API: attachments go inline (memberPool checked the size).
      if (deps.members.get(key)) return { payload: stringifyWithAttachments(outgoing, attachments), betas: [], fileIds: [] };
      const offloaded = await offloadLargeAttachments(outgoing, { key, files, tracker: deps.uploads, thresholdBytes, scope, log: deps.log, attachments });
      return { payload: stringifyWithAttachments(offloaded.body, attachments), betas: offloaded.betas, fileIds: offloaded.fileIds };
    });

  let upstream = await call(body);
  let trimmedMessages = 0;
  if (upstream.response.status === 400) {
    // A conversation that outgrew the context window: drop the oldest middle turns and try once more.
    const error = await upstreamError(upstream.response);
    const overflow = parseContextOverflow(error.message);
    const trimmed = overflow && trimForContext(body, overflow);
    if (!trimmed) throw error;
    deps.log.info("context_trimmed", { model: profile.id, removed_messages: trimmed.removedMessages, prompt_tokens: overflow.promptTokens });
    body = trimmed.body;
    trimmedMessages = trimmed.removedMessages;
    upstream = await call(body);
  }
  const { response, key, settle, fileIds } = upstream;
  if (!response.ok) throw await upstreamError(response);
  if (fileIds.length) deps.uploads.touch(fileIds, scope);

  const id = newCompletionId();
  const created = Math.floor(Date.now() / 1000);
  const responseCtx = {
    id,
    created,
    model: req.model,
    reasoningOutput: translated.hideReasoning ? ("hidden" as const) : (reasoningOutput ?? config.REASONING_OUTPUT),
    structuredOutput: translated.structuredOutput,
    legacyFunctions: translated.legacyFunctions,
  };
  const headers: Record<string, string> = {};
  if (config.UPSTREAM === "simulator") headers["x-claude2api-upstream"] = "simulator";
  if (translated.thinkingDroppedReason) headers["x-claude2api-thinking"] = "off-this-turn";
  if (trimmedMessages) headers["x-claude2api-context-trimmed"] = String(trimmedMessages);

  if (!stream) {
    let message: AnthropicMessage;
    try {
      message = (await response.json()) as AnthropicMessage;
      settle({ kind: "ok" });
    } catch (err) {
      settle(scope.signal.aborted ? { kind: "cancelled" } : { kind: "network", message: String(err) });
      throw new GatewayError(502, "The Anthropic API's answer could not be read in full (connection lost or malformed JSON).", "upstream_error", null, "upstream_bad_response");
    }
    const { completion, thinking } = translateMessage(message, responseCtx);
    if (thinking) deps.thinking.put(thinking.toolCallIds, thinking.blocks, scope);
    return { kind: "json", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(completion) };
  }

  const upstreamBody = response.chunkReader?.() ?? response.body;
  if (!upstreamBody) {
    settle({ kind: "ok" });
    throw new GatewayError(502, "The Anthropic API answered a streaming request with an empty body.", "upstream_error", null, "upstream_empty_stream");
  }
  const out = createChatCompletionStream(upstreamBody, {
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
  return {
    kind: "stream",
    headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-accel-buffering": "no" },
    body: out,
  };
}

interface UpstreamCall {
  response: UpstreamResponse;
  key: string | null;
  settle: (outcome: KeyOutcome) => void;
  fileIds: string[];
}

/**
 * One POST /v1/messages with failover across keys. The body is prepared per attempt,
 * because attachments are offloaded into the attempt key's own Files workspace.
 */
async function callUpstream(
  deps: GatewayDeps,
  scope: RequestScope,
  pool: KeyPool,
  baseBetas: readonly string[],
  affinity: string | undefined,
  prepare: (key: string) => Promise<{ payload: string; betas: string[]; fileIds: string[] }>,
): Promise<UpstreamCall> {
  const { config } = deps;
  const target: UpstreamTarget = { upstream: deps.upstream, baseUrl: config.ANTHROPIC_BASE_URL, version: config.ANTHROPIC_VERSION };
  let fileIds: string[] = [];
  const result = await callWithFailover(deps, scope, pool, async (key, signal) => {
    let prepared: Awaited<ReturnType<typeof prepare>>;
    try {
      prepared = await prepare(key);
    } catch (err) {
      if (err instanceof GatewayError || signal.aborted) throw err;
      // A fault of the gateway's own, not of the key: no failover, no mark against the key.
      deps.log.error("request_preparation_failed", { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
      throw new GatewayError(500, "The gateway failed while preparing the upstream request. It has been logged.", "api_error", null, "internal_error");
    }
    fileIds = prepared.fileIds;
    const member = deps.members.get(key);
    if (member) return member.messages({ body: prepared.payload, betas: [...baseBetas, ...prepared.betas], signal });
    return postJson(target, "/v1/messages", key, prepared.payload, signal, [...baseBetas, ...prepared.betas]);
  }, { affinity, callerSettles: true });
  return { ...result, fileIds };
}
