import { parseChatRequest } from "../../openai/schema";
import { runChat } from "../../core/chat/handle-chat";
import { renderChatCompletion } from "../../render/chat-completions/render";
import type { ChatEndpoint } from "../serve-chat";

/**
 * POST /v1/chat/completions (also /hf/v1, /v1/v1 and the root). Served outside the
 * Hono router on both runtimes (web-route.ts, node-server.ts), through serveChat.
 */
export const chatCompletions: ChatEndpoint = async (deps, scope, json, attachments, client) =>
  renderChatCompletion(await runChat(deps, scope, { request: parseChatRequest(json), attachments, client }));
