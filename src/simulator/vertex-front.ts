import { ApiError } from "./api-error";
import { base62 } from "./ids";
import { parseJsonBody } from "./json-body";
import type { RequestContext } from "./request-context";
import type { CreateMessage } from "./bedrock-front";

/**
 * The Google Vertex AI front of the simulator (§9.1 of the reference): a service-account
 * token endpoint (RFC 7523 JWT bearer grant: the assertion's RS256 signature is checked
 * with the account's public key, and its audience, scope and lifetime), and
 * rawPredict / streamRawPredict for Claude behind a bearer access token, in front of the
 * same Messages behaviour as the Anthropic front. Errors of Google's own front (auth,
 * permissions, unknown model, quota) are Google-shaped; the model's own are Anthropic's.
 */
export interface VertexServiceAccount {
  client_email: string;
  /** The account's public key: a CryptoKey (RSASSA-PKCS1-v1_5, SHA-256) or SPKI PEM. */
  publicKey: CryptoKey | string | Promise<CryptoKey>;
  /** Projects the account may call. */
  projects: string[];
}

export interface VertexFrontOptions {
  serviceAccounts?: VertexServiceAccount[];
  /** Lifetime of issued access tokens (default 3599 s, as Google's). */
  tokenLifetimeSeconds?: number;
}

const SCOPE = "https://www.googleapis.com/auth/cloud-platform";
const PREDICT = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/anthropic\/models\/([^/:]+):(rawPredict|streamRawPredict)$/;

export class VertexFront {
  private readonly tokens = new Map<string, { email: string; projects: string[]; expiresAt: number }>();
  private readonly keys = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly options: VertexFrontOptions,
    private readonly create: CreateMessage,
  ) {}

  static matches(path: string): boolean {
    return path === "/token" || path.startsWith("/v1/projects/");
  }

  /** Access tokens issued so far (tests count exchanges). */
  get issuedTokens(): number {
    return this.tokens.size;
  }

  async handle(request: Request, raw: Uint8Array, record: (body: unknown, identity: string | null) => void): Promise<Response> {
    const url = new URL(request.url);
    const text = new TextDecoder().decode(raw);
    if (url.pathname === "/token") {
      record(Object.fromEntries(new URLSearchParams(text)), null);
      return this.token(request, url, text);
    }
    const parsed = text ? parseJsonBody(text) : { ok: true as const, value: null };
    const body: any = parsed.ok ? parsed.value : undefined;
    const m = PREDICT.exec(url.pathname);
    if (!m || request.method !== "POST") {
      record(body, null);
      return googleError(404, "NOT_FOUND", `The requested URL ${url.pathname} was not found on this server.`);
    }
    const [, project, region, rawModel, method] = m as unknown as string[];
    const auth = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "");
    const grant = auth ? this.tokens.get(auth[1]!.trim()) : undefined;
    record(body, grant?.email ?? null);
    if (!auth) return googleError(401, "UNAUTHENTICATED", "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
    if (!grant || grant.expiresAt <= Date.now()) return googleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
    const modelId = decodeURIComponent(rawModel!);
    const resource = `projects/${project}/locations/${region}/publishers/anthropic/models/${modelId}`;
    if (!grant.projects.includes(decodeURIComponent(project!))) {
      return googleError(403, "PERMISSION_DENIED", `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/${resource}' (or it may not exist).`);
    }
    const model = /^claude-[a-z0-9-]+(@\d{8})?$/.test(modelId) ? modelId.replace("@", "-") : undefined;
    if (!model) return googleError(404, "NOT_FOUND", `Publisher Model \`${resource}\` not found.`);
    // The model's own parser answers a broken body (Vertex forwards it as is).
    if (!parsed.ok) return vertexModelError(400, "invalid_request_error", parsed.message);
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      return vertexModelError(400, "invalid_request_error", "body: Input should be a valid dictionary");
    }
    if ("model" in body) return vertexModelError(400, "invalid_request_error", "model: Extra inputs are not permitted");
    // Vertex's own version; the newest Anthropic SDKs write their API version here instead, which it takes too.
    const version = body.anthropic_version === "vertex-2023-10-16" ? "2023-06-01" : body.anthropic_version;
    if (version !== "2023-06-01" && version !== "2026-10-21") return vertexModelError(400, "invalid_request_error", `anthropic_version: Input should be 'vertex-2023-10-16'`);
    const { anthropic_version: _v, ...rest } = body;
    const stream = method === "streamRawPredict" && rest.stream === true;
    const betas = new Set((request.headers.get("anthropic-beta") ?? "").split(",").map((b) => b.trim()).filter(Boolean));
    // `platform` refuses `file` sources as Vertex's schema does (there is no Files API).
    const ctx: RequestContext = { apiKey: grant.email, version, betas, signal: request.signal, platform: "vertex" };
    try {
      const anthropicBody = { ...rest, model };
      if (!stream) delete anthropicBody.stream;
      const answer = await this.create(anthropicBody, ctx, new Headers());
      if (stream) return answer;
      const message = (await answer.json()) as any;
      message.id = String(message.id).replace(/^msg_/, "msg_vrtx_");
      return new Response(JSON.stringify(message), { status: 200, headers: { "content-type": "application/json" } });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      // Quota is enforced by Google's front, in Google's shape; everything else is the model's own answer.
      if (err.status === 429) return googleError(429, "RESOURCE_EXHAUSTED", `Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model: anthropic-claude. Please submit a quota increase request.`);
      return vertexModelError(err.status, err.type, err.message);
    }
  }

  private async token(request: Request, url: URL, text: string): Promise<Response> {
    const form = new URLSearchParams(text);
    if (request.method !== "POST") return oauthError(405, "invalid_request", "Method not allowed");
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") return oauthError(400, "unsupported_grant_type", "Invalid grant_type: " + (form.get("grant_type") ?? ""));
    const assertion = form.get("assertion") ?? "";
    const parts = assertion.split(".");
    if (parts.length !== 3) return oauthError(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.");
    let header: any;
    let claims: any;
    try {
      header = JSON.parse(fromBase64Url(parts[0]!));
      claims = JSON.parse(fromBase64Url(parts[1]!));
    } catch {
      return oauthError(400, "invalid_grant", "Invalid JWT: the header or claim set is not base64url-encoded JSON.");
    }
    if (header.alg !== "RS256") return oauthError(400, "invalid_grant", "Invalid JWT: algorithm must be RS256.");
    const account = (this.options.serviceAccounts ?? []).find((a) => a.client_email === claims.iss);
    if (!account) return oauthError(400, "invalid_grant", "Invalid grant: account not found");
    const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
    const signature = Uint8Array.from(fromBase64Url(parts[2]!), (c) => c.charCodeAt(0));
    const valid = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", await this.publicKey(account), signature, signed).catch(() => false);
    if (!valid) return oauthError(400, "invalid_grant", "Invalid JWT Signature.");
    if (claims.aud !== `${url.origin}${url.pathname}`) return oauthError(400, "invalid_grant", `Invalid JWT: Failed audience check. The right audience is ${url.origin}${url.pathname}`);
    if (typeof claims.scope !== "string" || !claims.scope.split(" ").includes(SCOPE)) return oauthError(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.");
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.iat !== "number" || typeof claims.exp !== "number" || claims.exp <= now || claims.iat > now + 300 || claims.exp - claims.iat > 3600) {
      return oauthError(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.");
    }
    const lifetime = this.options.tokenLifetimeSeconds ?? 3599;
    const token = `ya29.sim-${crypto.randomUUID().replace(/-/g, "")}`;
    this.tokens.set(token, { email: account.client_email, projects: account.projects, expiresAt: Date.now() + lifetime * 1000 });
    return new Response(JSON.stringify({ access_token: token, expires_in: lifetime, token_type: "Bearer" }), { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });
  }

  private publicKey(account: VertexServiceAccount): Promise<CryptoKey> {
    if (typeof account.publicKey !== "string") return Promise.resolve(account.publicKey);
    let key = this.keys.get(account.client_email);
    if (!key) {
      const der = Uint8Array.from(atob(account.publicKey.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, "").replace(/\s+/g, "")), (c) => c.charCodeAt(0));
      key = crypto.subtle.importKey("spki", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
      this.keys.set(account.client_email, key);
    }
    return key;
  }
}

function fromBase64Url(text: string): string {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
}

function googleError(code: number, status: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message, status } }), { status: code, headers: { "content-type": "application/json; charset=UTF-8" } });
}

function oauthError(status: number, error: string, description: string): Response {
  return new Response(JSON.stringify({ error, error_description: description }), { status, headers: { "content-type": "application/json; charset=utf-8" } });
}

/**
 * The model's own errors keep Anthropic's envelope on Vertex, with a `req_vrtx_` request id in
 * the body (recorded Vertex 400s: coder/xum#2922, poe-platform/poe-code#25).
 */
function vertexModelError(status: number, type: string, message: string): Response {
  const body = { type: "error", error: { type, message }, request_id: `req_vrtx_011C${base62(20)}` };
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
