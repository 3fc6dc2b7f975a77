import type { GatewayDeps, RequestScope } from "../deps";
import { GatewayError } from "../errors";
import { authorizeClient } from "./middleware/auth";
import { corsHeaders } from "./middleware/cors";
import { errorResponse } from "../openai/errors";
import { readJsonBodyWithAttachments } from "./json-body";
import { attachmentThreshold, handleChatCompletion } from "../core/chat/handle-chat";

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

/**
 * POST …/chat/completions on a web Request (Workers), outside the Hono app: the request
 * that carries the load skips the router and the middleware chain, which cost a fifth of
 * the Worker's CPU per request (measured on workerd: 0.66–0.70 against 0.82–0.91 ms under
 * load). It makes the same decisions as the app because it calls the same functions: auth,
 * error rendering and CORS headers.
 */
export async function serveChatCompletions(request: Request, deps: GatewayDeps, scope: RequestScope): Promise<Response> {
  const cors = corsHeaders(request.headers.get("origin") || "*");
  try {
    const auth = authorizeClient(request.headers, deps.config);
    if (!auth.ok) {
      await request.body?.cancel().catch(() => undefined);
      return errorResponse(auth.error, { ...cors, ...auth.headers });
    }
    const { json, attachments } = await readJsonBodyWithAttachments(request, attachmentThreshold(deps, auth.passthroughKey), deps.config.MAX_REQUEST_BYTES);
    const reply = await handleChatCompletion(deps, scope, { json, attachments, passthroughKey: auth.passthroughKey });
    return new Response(reply.body, { status: 200, headers: Object.assign(reply.headers, cors) });
  } catch (err) {
    if (!(err instanceof GatewayError)) {
      deps.log.error("unhandled_error", { path: new URL(request.url).pathname, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
    return errorResponse(err, cors);
  }
}
