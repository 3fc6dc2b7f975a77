import type { GatewayDeps, RequestScope } from "../deps";
import type { HeaderLookup } from "./middleware/auth";
import { readJsonBodyWithAttachments } from "./json-body";
import { drainUnread } from "./discard-body";
import { serveChat, type ChatEndpoint, type ChatExchange } from "./serve-chat";
import { chatCompletions } from "./routes/chat-completions";

/** Where POST chat completions are served: /v1, /hf/v1 (hosts that block /v1), /v1/v1 (NextChat users who paste …/v1) and the root. */
const CHAT_PATHS = new Set(["/v1/chat/completions", "/hf/v1/chat/completions", "/v1/v1/chat/completions", "/chat/completions"]);

/** True for POST …/chat/completions; `url` is a full URL or a path, a query string is ignored. */
export function isChatCompletions(method: string | undefined, url: string | undefined): boolean {
  if (method !== "POST" || !url) return false;
  const start = url.startsWith("/") ? 0 : url.indexOf("/", url.indexOf("://") + 3);
  if (start < 0) return false;
  const q = url.indexOf("?", start);
  return CHAT_PATHS.has(q < 0 ? url.slice(start) : url.slice(start, q));
}

/** A web Request as serveChat reads it. */
export class WebChatExchange implements ChatExchange {
  constructor(private readonly request: Request) {}

  get headers(): HeaderLookup {
    return this.request.headers;
  }

  path(): string {
    return new URL(this.request.url).pathname;
  }

  readJson(thresholdBytes: number, maxBytes: number) {
    return readJsonBodyWithAttachments(this.request, thresholdBytes, maxBytes);
  }

  discard(): Promise<void> {
    return drainUnread(this.request);
  }
}

/**
 * POST …/chat/completions on a web Request (Workers), outside the Hono app: the request
 * that carries the load skips the router and the middleware chain (bench/RESULTS.md has
 * the measurement). It makes the same decisions as the app because serveChat calls the
 * same functions: auth, error rendering and CORS headers.
 */
export async function serveChatCompletions(request: Request, deps: GatewayDeps, scope: RequestScope, endpoint: ChatEndpoint = chatCompletions): Promise<Response> {
  const reply = await serveChat(deps, scope, new WebChatExchange(request), endpoint);
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}
