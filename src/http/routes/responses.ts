import type { Hono } from "hono";
import type { GatewayEnv } from "../app-env";
import type { AnthropicContentBlock } from "../../platforms/anthropic/types";
import { attachmentThreshold, handleChatCompletion } from "../../core/chat/handle-chat";
import type { GatewayDeps } from "../../deps";
import { readJsonBodyWithAttachments } from "../json-body";
import { fromChatCompletion, messageTexts, newResponseId, type ChatCompletionLike, type ResponseContext } from "../../render/responses/output";
import { parseResponsesRequest, type ResponsesRequest } from "../../openai/responses-schema";
import { responsesEventStream } from "../../render/responses/stream";
import { toChatRequest } from "../../translate/responses-to-chat";

/** Ids of stored message texts; anything else is never looked up. */
const MESSAGE_ID_PREFIX = "msg_";

/**
 * POST /v1/responses: the OpenAI Responses API over the chat core. The request is
 * validated and translated to a chat completions request (to-chat.ts), served by the
 * same core as /v1/chat/completions (every error is raised before the 200, as there),
 * and the answer is rendered as a Response object or the Responses event stream.
 *
 * Stateless, except for one convenience: with `store` not false, the text of each answer
 * message is kept in the thinking store (same tiers and lifetime) so that a later
 * `item_reference` to it, which the AI SDK sends by default, can be resolved.
 */
export function registerResponses(api: Hono<GatewayEnv>): void {
  api.post("/responses", async (c) => {
    const deps = c.get("deps");
    const scope = c.get("scope");
    const passthroughKey = c.get("passthroughKey");
    // As for chat completions: large data URLs are decoded while the body streams in, never held as text.
    const { json, attachments } = await readJsonBodyWithAttachments(c.req.raw, attachmentThreshold(deps, passthroughKey), deps.config.MAX_REQUEST_BYTES);
    const req = parseResponsesRequest(json);
    const chat = toChatRequest(req, await storedTexts(req, deps));
    if (chat.stream) chat.stream_options = { include_usage: true };
    // Responses have reasoning items of their own: `<think>` tags (REASONING_OUTPUT=think_tags) would only pollute output_text.
    const reasoningOutput = deps.config.REASONING_OUTPUT === "hidden" ? "hidden" : "reasoning_content";
    const reply = await handleChatCompletion(deps, scope, { json: chat, attachments, passthroughKey, reasoningOutput });

    const ctx: ResponseContext = { id: newResponseId(), createdAt: Math.floor(Date.now() / 1000), req };
    const keep = (output: Parameters<typeof messageTexts>[0]) => {
      if (req.store === false) return;
      for (const [id, text] of messageTexts(output)) deps.thinking.put([id], [{ type: "text", text } as AnthropicContentBlock], scope);
    };
    if (reply.kind === "json") {
      const response = fromChatCompletion(JSON.parse(reply.body) as ChatCompletionLike, ctx);
      keep(response.output);
      return new Response(JSON.stringify(response), { status: 200, headers: reply.headers });
    }
    const body = responsesEventStream(reply.body, ctx, (output, ok) => ok && keep(output));
    return new Response(body, { status: 200, headers: reply.headers });
  });
}

/** The texts of the messages that `item_reference` items name, looked up together. */
async function storedTexts(req: ResponsesRequest, deps: GatewayDeps): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (typeof req.input === "string") return found;
  const ids = [...new Set(req.input.flatMap((item) => ("type" in item && item.type === "item_reference" && item.id.startsWith(MESSAGE_ID_PREFIX) ? [item.id] : [])))];
  const blocks = await Promise.all(ids.map((id) => deps.thinking.get(id)));
  ids.forEach((id, i) => {
    const b = blocks[i];
    if (b) found.set(id, b.map((x) => (x.type === "text" ? (x as { text?: string }).text ?? "" : "")).join(""));
  });
  return found;
}


