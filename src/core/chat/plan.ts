import type { GatewayDeps } from "../../deps";
import { GatewayError } from "../../errors";
import { upstreamKeys } from "../../config";
import { resolveRequestedModel } from "../../models/model-id";
import { translateChatRequest, toolCallIdsNeedingThinking } from "../../translate/request";
import { applyCacheBreakpoints } from "../../translate/cache-breakpoints";
import { packHistory } from "../../translate/history";
import { poolFor } from "../../pool/dispatch";
import { singleKeyPool } from "../../pool/passthrough";
import { conversationAffinity } from "../../pool/affinity";
import { pinClientFiles } from "../../uploads/client-files";
import { memberPool } from "./platform-routing";
import type { ChatInput, ChatPlan } from "./types";

/** Reads the data URLs that will be offloaded straight into bytes; none under a client's own key. */
export function attachmentThreshold(deps: GatewayDeps, passthroughKey: string | undefined): number {
  // Files offloaded under the client's own key could never be swept by the gateway.
  return passthroughKey ? Infinity : deps.config.UPLOAD_THRESHOLD_BYTES;
}

/**
 * Stage one: everything decided before the first upstream byte. Model lookup, thinking
 * restore, translation, history packing, cache breakpoints, client-file pinning and the
 * pool. Every refusal of the request (unknown model, bad file id, …) is thrown from here
 * as a GatewayError, before any upstream call.
 */
export async function planChat(deps: GatewayDeps, input: ChatInput): Promise<ChatPlan> {
  const { config } = deps;
  const req = input.request;
  const passthrough = input.client.passthroughKey;
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
    attachments: input.attachments,
  });
  if (translated.thinkingDroppedReason) deps.log.info("thinking_dropped", { model: profile.id, reason: translated.thinkingDroppedReason });

  const stream = req.stream === true;
  const body = applyCacheBreakpoints(packHistory({ ...translated.body, stream }, config.MAX_CHAT_HISTORY_LENGTH), {
    enabled: config.AUTO_CACHE,
    ttl: config.AUTO_CACHE_TTL,
  });
  const pinnedKey = await pinClientFiles(body, deps, passthrough);
  const pooled = !pinnedKey && !passthrough;
  // Bedrock and Vertex members that cannot serve this request are hidden from the pool for it (or it is refused, saying why).
  const pool = pinnedKey
    ? singleKeyPool(pinnedKey)
    : pooled && deps.members.size
      ? memberPool(deps, poolFor(deps, passthrough), body, input.attachments, req.model)
      : poolFor(deps, passthrough);
  // Taken before packing and trimming, which rewrite the opening of the conversation. Only worth its
  // cost (a stringify of the opening turn) when there is a member to choose.
  const affinity = pooled && upstreamKeys(config).length + deps.members.size > 1 ? conversationAffinity(translated.body) : undefined;

  return {
    request: req,
    profile,
    body,
    betas: translated.betas,
    pool,
    affinity,
    attachments: input.attachments,
    offloadThreshold: attachmentThreshold(deps, passthrough),
    thinkingDroppedReason: translated.thinkingDroppedReason,
    render: {
      requestModel: req.model,
      reasoningOutput: translated.hideReasoning ? "hidden" : (input.reasoningOutput ?? config.REASONING_OUTPUT),
      structuredOutput: translated.structuredOutput,
      legacyFunctions: translated.legacyFunctions,
      includeUsage: req.stream_options?.include_usage === true,
      keepAliveMs: config.STREAM_KEEPALIVE_MS,
    },
  };
}
