import { upstreamKeys } from "../../config";
import type { GatewayDeps, KeyPool } from "../../deps";
import { GatewayError } from "../../errors";
import type { AttachmentLookup } from "../../attachments/table";
import { stringifyWithAttachments } from "../../attachments/serialize";
import type { PlatformName } from "../../platforms/anthropic-shaped";
import { orderedPool, restrictedPool } from "../../pool/member-pool";
import type { AnthropicRequest } from "../../platforms/anthropic/types";
import type { PlatformMembers } from "../../pool/members";

/**
 * Which platform members cannot serve this request, and why: a model the platform does
 * not offer, a tool it lacks (web search on Bedrock), or attachments that would exceed
 * its request limit when sent inline (neither platform has a Files API). Those members
 * are hidden from the pool for this request, so the request goes where it can be served.
 * When nothing is left that could, the request is refused here with the reason, before
 * any upstream call: what a platform lacks is never silently dropped.
 */
export interface RoutingInput {
  body: AnthropicRequest;
  /** Bytes of the request as a platform would get it (attachments inline); undefined when not computed (no attachments). */
  inlineBytes: number | undefined;
  members: PlatformMembers;
  /** Anthropic keys in the pool (they can serve anything the model allows, with the Files API). */
  anthropicKeys: number;
  /** The model as the client named it (for messages). */
  requestedModel: string;
}

export function hiddenMembers(input: RoutingInput): Set<string> {
  const hidden = new Set<string>();
  if (!input.members.size) return hidden;
  const reasons: string[] = [];
  const webSearch = usesWebSearch(input.body);
  for (const id of input.members.ids()) {
    const adapter = input.members.get(id)!;
    if (!adapter.offers(input.body.model)) {
      hidden.add(id);
      reasons.push(`${adapter.label} does not offer ${input.requestedModel} (MODEL_MAP can name its id there)`);
    } else if (webSearch && adapter.platform === "bedrock") {
      hidden.add(id);
      reasons.push(`${adapter.label} has no web search or web fetch tool`);
    } else if (input.inlineBytes !== undefined && input.inlineBytes > adapter.maxRequestBytes) {
      hidden.add(id);
      reasons.push(`${adapter.label} takes at most ${mb(adapter.maxRequestBytes)} per request and has no Files API; this request is ${mb(input.inlineBytes)} with its attachments inline`);
    }
  }
  if (hidden.size === input.members.size && input.anthropicKeys === 0) {
    const tooLarge = reasons.some((r) => r.includes("Files API"));
    const modelOnly = !tooLarge && !webSearch;
    throw new GatewayError(
      tooLarge ? 413 : modelOnly ? 404 : 400,
      `No upstream configured on this gateway can serve this request: ${reasons.join("; ")}. ${tooLarge ? "Send smaller attachments, or ask the operator to add an Anthropic API key (ANTHROPIC_API_KEYS), which can use the Files API." : "An Anthropic API key (ANTHROPIC_API_KEYS) could."}`,
      modelOnly ? "not_found_error" : "invalid_request_error",
      tooLarge ? "messages" : webSearch ? "tools" : "model",
      tooLarge ? "request_too_large" : webSearch ? "unsupported_tool" : "model_not_available",
    );
  }
  return hidden;
}

function usesWebSearch(body: AnthropicRequest): boolean {
  const tools = (body as { tools?: Array<{ type?: unknown }> }).tools;
  return Array.isArray(tools) && tools.some((t) => typeof t?.type === "string" && (t.type.startsWith("web_search") || t.type.startsWith("web_fetch")));
}

function mb(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** The pool as this request sees it: members that cannot serve it hidden, POOL_ORDER's priority applied. */
export function memberPool(deps: GatewayDeps, pool: KeyPool, body: AnthropicRequest, attachments: AttachmentLookup, requestedModel: string): KeyPool {
  const keys = upstreamKeys(deps.config);
  // Exact, and paid only when there are attachments (it is the payload a platform member would get).
  const inlineBytes = attachments.size ? stringifyWithAttachments(body, attachments).length : undefined;
  const hidden = hiddenMembers({ body, inlineBytes, members: deps.members, anthropicKeys: keys.length, requestedModel });
  const restricted = restrictedPool(pool, hidden);
  const order = deps.config.POOL_ORDER as PlatformName[];
  return order.length ? orderedPool(restricted, order, [...keys, ...deps.members.ids()]) : restricted;
}
