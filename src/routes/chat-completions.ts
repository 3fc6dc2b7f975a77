import type { Hono } from "hono";
import type { GatewayEnv } from "../app-env";
import { attachmentThreshold, handleChatCompletion } from "../chat/handle-chat";
import { readJsonBodyWithAttachments } from "./json-body";

/** POST /v1/chat/completions on the Hono app (Workers, and Node for everything but the direct path). */
export function registerChatCompletions(app: Hono<GatewayEnv>): void {
  app.post("/chat/completions", async (c) => {
    const deps = c.get("deps");
    const passthroughKey = c.get("passthroughKey");
    // Data URLs that will be offloaded are decoded while the body streams in (never held as text).
    const { json, attachments } = await readJsonBodyWithAttachments(c.req.raw, attachmentThreshold(deps, passthroughKey));
    const reply = await handleChatCompletion(deps, c.get("scope"), { json, attachments, passthroughKey });
    return new Response(reply.body, { status: 200, headers: reply.headers });
  });
}
