import type { Upstream } from "../upstream";
import { CLOUD_PLATFORM_SCOPE, importPrivateKey, signAssertion } from "./jwt";
import type { ServiceAccount } from "./service-account";

/** Why no token could be had, in the terms the pool acts on. */
export class TokenError extends Error {
  constructor(
    /** `refused`: the account itself was refused (out of rotation); `unavailable`: try later. */
    readonly kind: "refused" | "unavailable" | "rate_limited",
    message: string,
  ) {
    super(message);
    this.name = "TokenError";
  }
}

/** Renew this long before the token expires, so that no request starts with a dying token. */
const RENEW_BEFORE_MS = 5 * 60_000;
/** Google's access tokens from a JWT assertion last an hour; the assertion asks for that. */
const ASSERTION_LIFETIME_S = 3600;

/**
 * Access tokens for one service account, from the account's own `token_uri`: one
 * exchange at a time (concurrent requests share it), cached until shortly before it
 * expires. A failed exchange is not cached: the next request tries again.
 */
export class AccessTokenSource {
  #token: { value: string; renewAt: number } | null = null;
  #inFlight: Promise<string> | null = null;
  #key: Promise<CryptoKey> | null = null;

  constructor(
    private readonly account: ServiceAccount,
    private readonly transport: Upstream,
    private readonly now: () => number = Date.now,
  ) {}

  get(signal?: AbortSignal): Promise<string> {
    if (this.#token && this.now() < this.#token.renewAt) return Promise.resolve(this.#token.value);
    // The shared exchange is not tied to one request's signal: another request may be waiting on it.
    this.#inFlight ??= this.#exchange().finally(() => {
      this.#inFlight = null;
    });
    if (!signal) return this.#inFlight;
    return Promise.race([this.#inFlight, new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }))]);
  }

  /** Drops the cached token (the API refused it: revoked, or the account's rights changed). */
  invalidate(): void {
    this.#token = null;
  }

  async #exchange(): Promise<string> {
    this.#key ??= importPrivateKey(this.account.private_key).catch((error: unknown) => {
      this.#key = null;
      throw new TokenError("refused", `the private_key of VERTEX_SERVICE_ACCOUNT (${this.account.client_email}) could not be read as a PKCS#8 RSA key: ${error instanceof Error ? error.message : String(error)}`);
    });
    const key = await this.#key;
    const iat = Math.floor(this.now() / 1000);
    const assertion = await signAssertion(
      key,
      { iss: this.account.client_email, aud: this.account.token_uri, scope: CLOUD_PLATFORM_SCOPE, iat, exp: iat + ASSERTION_LIFETIME_S },
      this.account.private_key_id,
    );
    const res = await this.transport(this.account.token_uri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=${encodeURIComponent("urn:ietf:params:oauth:grant-type:jwt-bearer")}&assertion=${assertion}`,
    });
    const text = await res.text().catch(() => "");
    let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // described below
    }
    if (!res.ok || typeof body.access_token !== "string") {
      const why = `${typeof body.error === "string" ? body.error : `HTTP ${res.status}`}${typeof body.error_description === "string" ? `: ${body.error_description}` : ""}`;
      const message = `the token endpoint ${this.account.token_uri} refused the service account ${this.account.client_email} (${why})`;
      if (res.status === 429) throw new TokenError("rate_limited", message);
      if (res.status >= 500 || (res.ok && typeof body.access_token !== "string")) throw new TokenError("unavailable", message);
      throw new TokenError("refused", message);
    }
    const lifetimeMs = (typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : ASSERTION_LIFETIME_S) * 1000;
    this.#token = { value: body.access_token, renewAt: this.now() + Math.max(lifetimeMs - RENEW_BEFORE_MS, lifetimeMs / 2) };
    return body.access_token;
  }
}
