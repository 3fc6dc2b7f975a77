import type { GatewayDeps, KeyOutcome, RequestScope } from "../../deps";
import type { AnthropicRequest } from "../../platforms/anthropic/types";
import type { UpstreamResponse } from "../../platforms/upstream";
import type { MessagesPlatform } from "../../platforms/platform";
import { anthropicMessages } from "../../platforms/anthropic/messages";
import { anthropicSseEvents } from "../../platforms/anthropic/events";
import { decodedEvents, readerOf, type PlatformAdapter } from "../../platforms/adapter";
import { AnthropicFiles } from "../../platforms/anthropic/files";
import { upstreamError } from "../../platforms/anthropic/errors";
import { GatewayError } from "../../errors";
import { callWithFailover } from "../../pool/dispatch";
import { offloadLargeAttachments } from "../../uploads/offload";
import { stringifyWithAttachments } from "../../attachments/serialize";
import { parseContextOverflow, trimForContext } from "../../translate/context-trim";
import type { ChatPlan } from "./types";

/** A successful upstream answer, its body not yet read. */
export interface Sent {
  response: UpstreamResponse;
  platform: MessagesPlatform;
  /** The pool member that answered; null only for the gateway's own answers. */
  member: string | null;
  /** Settles the member's outcome in the pool once the body is read (first call counts). */
  settle(outcome: KeyOutcome): void;
  /** Files API uploads the answer's request used: touched so the sweep keeps them. */
  fileIds: string[];
  /** Messages the context-trim retry dropped (0: none). */
  trimmedMessages: number;
}

// One platform object per deps (per isolate) or per adapter, not per request.
const anthropicPlatforms = new WeakMap<GatewayDeps, MessagesPlatform>();
const adapterPlatforms = new WeakMap<PlatformAdapter, MessagesPlatform>();

/**
 * The platform that serves a pool member: an Anthropic API key, or a Bedrock account /
 * Vertex project (deps.members, src/pool/members.ts) through its PlatformAdapter, which
 * answers in Anthropic's wire format.
 */
export function platformFor(deps: GatewayDeps, member: string): MessagesPlatform {
  const adapter = deps.members.get(member);
  if (adapter) {
    let p = adapterPlatforms.get(adapter);
    if (!p) adapterPlatforms.set(adapter, (p = adapterMessages(adapter)));
    return p;
  }
  let p = anthropicPlatforms.get(deps);
  if (!p) anthropicPlatforms.set(deps, (p = anthropicMessages(deps.upstream, deps.config)));
  return p;
}

/** A Bedrock or Vertex adapter as a MessagesPlatform: no Files API, attachments inline (memberPool checked the size). */
function adapterMessages(adapter: PlatformAdapter): MessagesPlatform {
  return {
    label: adapter.label,
    filesApi: false,
    send: (_member, payload, betas, signal) => adapter.messages({ body: payload, betas, signal }),
    events(response) {
      // A platform whose stream is not SSE (Bedrock) offers its events decoded; Vertex speaks SSE.
      const decoded = decodedEvents(response);
      if (decoded) return decoded;
      const reader = readerOf(response);
      return reader ? anthropicSseEvents(reader) : null;
    },
  };
}

/**
 * Stage two: the upstream call. Failover across the pool while nothing has reached the
 * client (pool/dispatch.ts); then a resend for each gateway upload the Files API no longer
 * has, and, for a conversation that outgrew the context window, one retry with the oldest
 * middle turns dropped. Any other upstream refusal is thrown as the client's error.
 */
export async function sendChat(deps: GatewayDeps, scope: RequestScope, plan: ChatPlan): Promise<Sent> {
  const { config } = deps;
  const files = new AnthropicFiles({ upstream: deps.upstream, baseUrl: config.ANTHROPIC_BASE_URL, version: config.ANTHROPIC_VERSION });
  let sent = await sendOnce(deps, scope, plan, plan.body, files);
  let staleRetries = sent.fileIds.length;
  let trimmedMessages = 0;
  while (sent.response.status === 400 || sent.response.status === 404) {
    const error = await upstreamError(sent.response);
    // An upload the gateway remembered is gone from the Files API (deleted outside the
    // gateway, a workspace reset, a simulator restarted under a kept tracker): forget it
    // and send again, which uploads the bytes again; otherwise every later turn carrying
    // the same attachment would fail the same way. The API names one missing file per answer.
    const stale = sent.fileIds.filter((id) => error.message.includes(id));
    if (stale.length && staleRetries-- > 0) {
      deps.log.warn("uploads.stale_file", { fileIds: stale, note: "the Files API no longer has a file this gateway uploaded and recorded; uploading it again" });
      // A tracker that cannot forget keeps the stale id: the resend fails the same way, and the
      // retry count ends it with the upstream's own error rather than a gateway 500.
      await Promise.all(stale.map((id) => deps.uploads.forget(id).catch(() => undefined)));
      sent = await sendOnce(deps, scope, plan, plan.body, files);
      continue;
    }
    // A conversation that outgrew the context window: drop the oldest middle turns and try once more.
    const overflow = trimmedMessages === 0 && sent.response.status === 400 ? parseContextOverflow(error.message) : null;
    const trimmed = overflow && trimForContext(plan.body, overflow);
    if (!trimmed) throw error;
    deps.log.info("context_trimmed", { model: plan.profile.id, removed_messages: trimmed.removedMessages, prompt_tokens: overflow.promptTokens });
    plan.body = trimmed.body;
    trimmedMessages = trimmed.removedMessages;
    sent = await sendOnce(deps, scope, plan, plan.body, files);
  }
  sent.trimmedMessages = trimmedMessages;
  if (!sent.response.ok) throw await upstreamError(sent.response);
  if (sent.fileIds.length) deps.uploads.touch(sent.fileIds, scope);
  return sent;
}

/**
 * One Messages request with failover across the pool. The body is prepared per attempt,
 * because attachments are offloaded into the attempt member's own Files workspace.
 */
async function sendOnce(deps: GatewayDeps, scope: RequestScope, plan: ChatPlan, body: AnthropicRequest, files: AnthropicFiles): Promise<Sent> {
  let fileIds: string[] = [];
  let platform!: MessagesPlatform;
  const result = await callWithFailover(
    deps,
    scope,
    plan.pool,
    async (member, signal) => {
      platform = platformFor(deps, member);
      let payload: string;
      let betas: readonly string[] = plan.betas;
      try {
        if (!platform.filesApi) {
          payload = stringifyWithAttachments(body, plan.attachments);
          fileIds = [];
        } else {
          const offloaded = await offloadLargeAttachments(body, { key: member, files, tracker: deps.uploads, thresholdBytes: plan.offloadThreshold, scope, log: deps.log, attachments: plan.attachments, tenant: plan.tenant?.id });
          payload = stringifyWithAttachments(offloaded.body, plan.attachments);
          if (offloaded.betas.length) betas = [...plan.betas, ...offloaded.betas];
          fileIds = offloaded.fileIds;
        }
      } catch (err) {
        if (err instanceof GatewayError || signal.aborted) throw err;
        // A fault of the gateway's own, not of the member: no failover, no mark against it.
        deps.log.error("request_preparation_failed", { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
        throw new GatewayError(500, "The gateway failed while preparing the upstream request. It has been logged.", "api_error", null, "internal_error");
      }
      return platform.send(member, payload, betas, signal);
    },
    { affinity: plan.affinity, callerSettles: true },
  );
  return { response: result.response, platform: platform ?? platformFor(deps, ""), member: result.key, settle: result.settle, fileIds, trimmedMessages: 0 };
}
