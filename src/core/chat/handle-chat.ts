import type { GatewayDeps, RequestScope } from "../../deps";
import type { AnthropicMessage } from "../../platforms/anthropic/types";
import { GatewayError } from "../../errors";
import { midStreamOutcome } from "../../pool/dispatch";
import { keyHint } from "../../log";
import { planChat } from "./plan";
import { sendChat, type Sent } from "./send";
import { continuationBody, continuePaused, mayPause } from "./continuation";
import { continuePausedEvents } from "./continuation-stream";
import type { AnswerEnd, ChatInput, ChatPlan, ChatResult } from "./types";
import { ownedId } from "../../tenancy/tenancy";

export { attachmentThreshold } from "./plan";
export type { ChatInput, ChatResult, AnswerEnd, AnswerRecord, ChatClient } from "./types";

/**
 * The chat core: plan (plan.ts) → send with failover and the context-trim retry
 * (send.ts) → result. Knows no HTTP and no wire format but Anthropic's: the result is
 * the Anthropic message, or its events to pull, plus what the renderers need. Every
 * error before the answer is thrown as a GatewayError, so that a client gets a status
 * code rather than an error inside a 200 stream (some frontends cannot show those).
 *
 * Seam for server tools (pause_turn): a message result whose stop_reason is
 * "pause_turn" is where a continuation goes: append the assistant turn to `plan.body`
 * and call sendChat again (for events, a source that chains the next answer's events).
 */
export async function runChat(deps: GatewayDeps, scope: RequestScope, input: ChatInput): Promise<ChatResult> {
  const plan = await planChat(deps, input);
  const sent = await sendChat(deps, scope, plan);
  return plan.request.stream === true ? eventsResult(deps, scope, input, plan, sent) : await messageResult(deps, scope, input, plan, sent);
}

async function messageResult(deps: GatewayDeps, scope: RequestScope, input: ChatInput, plan: ChatPlan, sent: Sent): Promise<ChatResult> {
  let message: AnthropicMessage;
  try {
    message = (await sent.response.json()) as AnthropicMessage;
    sent.settle({ kind: "ok" });
  } catch (err) {
    sent.settle(scope.signal.aborted ? { kind: "cancelled" } : { kind: "network", message: String(err) });
    const error = { type: "upstream_error", message: "The Anthropic API's answer could not be read in full (connection lost or malformed JSON)." };
    // The upstream did the work (and bills it): usage is recorded, estimated from the request.
    ender(deps, scope, input, plan, sent, false)({ usage: null, thinking: null, error });
    throw new GatewayError(502, error.message, "upstream_error", null, "upstream_bad_response");
  }
  // A paused server-tool turn (web search): continued here, so the client gets one finished answer.
  message = await continuePaused(message, async (content) => {
    const next = await sendChat(deps, scope, { ...plan, body: continuationBody(plan.body, content) });
    const part = (await next.response.json()) as AnthropicMessage;
    next.settle({ kind: "ok" });
    return part;
  });
  return { kind: "message", message, ...plan.render, headers: warningHeaders(deps, plan, sent), signal: scope.signal, end: ender(deps, scope, input, plan, sent, false) };
}

function eventsResult(deps: GatewayDeps, scope: RequestScope, input: ChatInput, plan: ChatPlan, sent: Sent): ChatResult {
  const first = sent.platform.events(sent.response);
  if (!first) {
    sent.settle({ kind: "ok" });
    throw new GatewayError(502, "The Anthropic API answered a streaming request with an empty body.", "upstream_error", null, "upstream_empty_stream");
  }
  // A paused server-tool turn goes on in the same stream (core/chat/continuation-stream.ts).
  const events = !mayPause(plan.body) ? first : continuePausedEvents(first, async (content) => {
    const next = await sendChat(deps, scope, { ...plan, body: continuationBody(plan.body, content as never) });
    next.settle({ kind: "ok" });
    const source = next.platform.events(next.response);
    if (!source) throw new Error("the continuation answered with an empty body");
    return source;
  });
  return { kind: "events", events, ...plan.render, headers: warningHeaders(deps, plan, sent), signal: scope.signal, end: ender(deps, scope, input, plan, sent, true) };
}

function warningHeaders(deps: GatewayDeps, plan: ChatPlan, sent: Sent): Record<string, string> {
  const headers: Record<string, string> = {};
  if (deps.config.UPSTREAM === "simulator") headers["x-claude2api-upstream"] = "simulator";
  if (plan.thinkingDroppedReason) headers["x-claude2api-thinking"] = "off-this-turn";
  if (sent.trimmedMessages) headers["x-claude2api-context-trimmed"] = String(sent.trimmedMessages);
  return headers;
}

/** ChatResult.end: what happens once the answer is over, exactly once. */
function ender(deps: GatewayDeps, scope: RequestScope, input: ChatInput, plan: ChatPlan, sent: Sent, streamed: boolean): (how: AnswerEnd) => void {
  let ended = false;
  return (how) => {
    if (ended) return;
    ended = true;
    if (how.thinking) deps.thinking.put(how.thinking.toolCallIds.map((id) => ownedId(input.client.tenant, id)), how.thinking.blocks, scope);
    if (streamed) {
      sent.settle(midStreamOutcome(how.error));
      if (how.error && how.error.type !== "client_disconnected") {
        deps.log.warn("stream_failed_midway", { model: plan.profile.id, key: sent.member ? keyHint(sent.member) : "client", error: how.error.message });
      }
    }
    const onAnswered = input.client.onAnswered;
    if (onAnswered) {
      try {
        onAnswered({ tenant: input.client.tenant, model: plan.profile.id, usage: how.usage, error: how.error, outputChars: how.outputChars ?? 0 });
      } catch (err) {
        deps.log.error("usage_hook_failed", { error: err instanceof Error ? err.message : String(err) });
      }
    }
  };
}
