import { Hono } from "hono";
import { cors } from "hono/cors";
import type { GatewayEnv } from "./app-env";
import type { GatewayDeps, RequestScope } from "../deps";
import { clip, GatewayError } from "../errors";
import { errorResponse } from "../openai/errors";
import { clientAuth } from "./middleware/auth";
import { addCorsHeaders, EXPOSE_HEADERS } from "./middleware/cors";
import { registerHealth } from "./routes/health";
import { registerModels } from "./routes/models";
import { isChatCompletions, serveChatCompletions } from "./web-route";
import { drainUnread } from "./discard-body";
import { registerFiles } from "./routes/files";
import { registerMessages } from "./routes/messages";
import { registerResponses } from "./routes/responses";
import { registerStatus } from "./routes/status";
import { adminAuth, registerAdmin } from "./routes/admin";
import { registerBilling } from "./routes/billing";
import { OPEN_IDENTITY, type Tenancy } from "../tenancy/tenancy";
import type { Context } from "hono";

/** The isolate's Tenancy, or a 503 that says why managed keys and usage are off. */
function tenancyOf(c: Context<GatewayEnv>): Tenancy {
  const t = c.get("deps").tenancy;
  if (!t) throw new GatewayError(503, "This gateway has no client key store (the CLIENT_KEYS Durable Object binding on Workers), so managed keys and usage are off.", "api_error", null, "client_keys_unavailable");
  return t;
}

/** How the runtime hands each request its dependencies and per-request hooks. */
export interface RuntimeBinding {
  deps(c: { env: unknown }): GatewayDeps;
  scope(c: { executionCtx?: { waitUntil(p: Promise<unknown>): void }; req: { raw: Request } }): RequestScope;
}

/** The OpenAI-compatible API, mounted under /v1, /hf/v1 (hosts that block /v1) and the root. */
function openaiApi(): Hono<GatewayEnv> {
  const api = new Hono<GatewayEnv>();
  registerModels(api);
  registerFiles(api);
  registerMessages(api);
  registerResponses(api);
  registerBilling(api, tenancyOf, (c) => c.get("client") ?? OPEN_IDENTITY);
  for (const path of ["/embeddings", "/completions", "/audio/*", "/images/*", "/fim/completions", "/rerank"]) {
    api.all(path, () => {
      throw new GatewayError(404, `This gateway serves Claude through /v1/chat/completions; ${path.replace("/*", "")} is not available.`, "not_found_error", null, "unsupported_endpoint");
    });
  }
  return api;
}

/** What a runtime serves: fetch's shape, as Workers and @hono/node-server expect it. */
export interface Gateway {
  fetch(request: Request, env?: unknown, executionCtx?: ExecutionContext): Response | Promise<Response>;
}

/**
 * The gateway: POST …/chat/completions straight to the chat core (src/http/web-route.ts),
 * everything else through the Hono app.
 */
export function createApp(runtime: RuntimeBinding): Gateway {
  const app = createHonoApp(runtime);
  return {
    fetch: (request, env, executionCtx) => {
      if (isChatCompletions(request.method, request.url)) return serveChatCompletions(request, runtime.deps({ env }), runtime.scope({ executionCtx, req: { raw: request } }));
      const answer = app.fetch(request, env, executionCtx);
      return request.method === "GET" || request.method === "HEAD" ? answer : afterDrain(request, answer);
    },
  };
}

/**
 * The answer, once what its handler left unread of the body is drained (discard-body.ts):
 * a request refused before its body was needed (401 from the client key check, 404 for an
 * unknown route, 503) is answered only after the client finished sending, or it saw a
 * closed connection instead of the error.
 */
async function afterDrain(request: Request, answer: Response | Promise<Response>): Promise<Response> {
  const res = await answer;
  await drainUnread(request);
  return res;
}

function createHonoApp(runtime: RuntimeBinding): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();

  app.use("*", async (c, next) => {
    c.set("deps", runtime.deps(c));
    c.set(
      "scope",
      runtime.scope({
        // Read only when a runtime asks: on Node Hono's getter throws (no ExecutionContext),
        // and a throw on every request is a cost the request path need not pay.
        get executionCtx() {
          try {
            return c.executionCtx;
          } catch {
            return undefined;
          }
        },
        req: c.req,
      }),
    );
    await next();
  });

  const preflight = cors({
    origin: (origin) => origin || "*",
    allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
    // No allowHeaders: Hono then reflects Access-Control-Request-Headers, which covers
    // Authorization, X-Stainless-*, X-Title and whatever else a client sends.
    exposeHeaders: [...EXPOSE_HEADERS],
    maxAge: 86400,
  });
  app.use("*", async (c, next) => {
    if (c.req.method === "OPTIONS") return preflight(c, next);
    // The headers Hono's cors() sets on other requests, set once on the final response.
    // cors() set them on a placeholder response before the handler ran, so Hono copied
    // every response twice more (Response and headers) to merge them.
    const origin = c.req.header("origin") || "*";
    await next();
    try {
      addCorsHeaders(c.res.headers, origin);
    } catch {
      c.res = new Response(c.res.body, c.res); // immutable headers (a fetch response): Hono copies it
      addCorsHeaders(c.res.headers, origin);
    }
  });

  registerHealth(app);
  // The operator's endpoints, behind ADMIN_KEY and never behind a client key.
  app.use("/status", adminAuth());
  app.use("/status/*", adminAuth());
  registerStatus(app);
  registerAdmin(app, tenancyOf);
  const auth = clientAuth();
  app.use("*", async (c, next) => {
    if (c.req.method === "OPTIONS") return next();
    return auth(c, next);
  });

  // NextChat users often paste `…/v1` as the host, producing /v1/v1/…
  app.route("/v1/v1", openaiApi());
  app.route("/v1", openaiApi());
  app.route("/hf/v1", openaiApi());
  app.route("/", openaiApi());

  app.notFound((c) =>
    errorResponse(new GatewayError(404, `Unknown endpoint ${clip(c.req.method)} ${clip(new URL(c.req.url).pathname)}. This gateway serves POST /v1/chat/completions, /v1/models and /v1/files.`, "not_found_error", null, "unknown_url")),
  );
  app.onError((err, c) => {
    if (!(err instanceof GatewayError)) {
      c.get("deps")?.log.error("unhandled_error", { path: new URL(c.req.url).pathname, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
    return errorResponse(err);
  });
  return app;
}
