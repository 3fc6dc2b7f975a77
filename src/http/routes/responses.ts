import type { Hono } from "hono";
import type { GatewayEnv } from "../app-env";
import type { AnthropicContentBlock } from "../../platforms/anthropic/types";
import type { GatewayDeps } from "../../deps";
import { runChat } from "../../core/chat/handle-chat";
import { newResponseId, messageTexts, type ResponseObjectContext } from "../../render/responses/output";
import { renderResponse } from "../../render/responses/render";
import { parseResponsesRequest, type ResponsesRequest } from "../../openai/responses-schema";
import { toChatRequest } from "../../translate/responses-to-chat";
import { serveChat, type ChatEndpoint } from "../serve-chat";
import { WebChatExchange } from "../web-route";
import { ownedId } from "../../tenancy/tenancy";

/** Ids of stored message texts; anything else is never looked up. */
const MESSAGE_ID_PREFIX = "msg_";

/**
 * POST /v1/responses: the OpenAI Responses API over the chat core. The request is
 * validated and translated to a chat completions request (translate/responses-to-chat.ts),
 * run by the same core as /v1/chat/completions (every error is raised before the 200,
 * as there), and the core's result is rendered as a Response object or the Responses
 * event stream (render/responses/).
 *
 * Stateless, except for one convenience: with `store` not false, the text of each answer
 * message is kept in the thinking store (same tiers and lifetime) so that a later
 * `item_reference` to it, which the AI SDK sends by default, can be resolved.
 */
export const responses: ChatEndpoint = async (deps, scope, json, attachments, client) => {
  const req = parseResponsesRequest(json);
  const request = toChatRequest(req, await storedTexts(req, deps, client.tenant));
  // Responses have reasoning items of their own: `<think>` tags (REASONING_OUTPUT=think_tags) would only pollute output_text.
  const reasoningOutput = deps.config.REASONING_OUTPUT === "hidden" ? "hidden" : "reasoning_content";
  const result = await runChat(deps, scope, { request, attachments, client, reasoningOutput });
  const ctx: ResponseObjectContext = { id: newResponseId(), createdAt: Math.floor(Date.now() / 1000), req };
  return renderResponse(result, ctx, (output) => {
    if (req.store === false) return;
    // Kept under the client key: only the key that made the answer can reference it.
    for (const [id, text] of messageTexts(output)) deps.thinking.put([ownedId(client.tenant, id)], [{ type: "text", text } as AnthropicContentBlock], scope);
  });
};

export function registerResponses(api: Hono<GatewayEnv>): void {
  api.post("/responses", async (c) => {
    // Auth ran as middleware; the rest of the chat glue is serveChat's, as for chat completions.
    const passthroughKey = c.get("passthroughKey");
    const reply = await serveChat(c.get("deps"), c.get("scope"), new WebChatExchange(c.req.raw), responses, { ok: true, passthroughKey, client: c.get("client") });
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  });
}

/** The texts of the messages that `item_reference` items name, looked up together. */
async function storedTexts(req: ResponsesRequest, deps: GatewayDeps, tenant: { readonly id: string } | undefined): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (typeof req.input === "string") return found;
  const ids = [...new Set(req.input.flatMap((item) => ("type" in item && item.type === "item_reference" && item.id.startsWith(MESSAGE_ID_PREFIX) ? [item.id] : [])))];
  const blocks = await Promise.all(ids.map((id) => deps.thinking.get(ownedId(tenant, id))));
  ids.forEach((id, i) => {
    const b = blocks[i];
    if (b) found.set(id, b.map((x) => (x.type === "text" ? (x as { text?: string }).text ?? "" : "")).join(""));
  });
  return found;
}
