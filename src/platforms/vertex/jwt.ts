/**
 * The signed assertion of Google's service-account flow (RFC 7523): an RS256 JWT signed
 * with the account's own key through WebCrypto, which Workers and Node both have, so no
 * JWT library is needed for one header, one claim set and one signature.
 */
import { encodeBase64Url } from "../../attachments/base64";

export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

export async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const base64 = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, "").replace(/\\n/g, "").replace(/\s+/g, "");
  const der = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return crypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
}

/** The public half of a PKCS#8 RSA key (for the simulator in simulator mode, which checks the JWTs). */
export async function publicKeyOf(pem: string): Promise<CryptoKey> {
  const base64 = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, "").replace(/\\n/g, "").replace(/\s+/g, "");
  const der = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const full = await crypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["sign"]);
  const jwk = (await crypto.subtle.exportKey("jwk", full)) as JsonWebKey;
  return crypto.subtle.importKey("jwk", { kty: "RSA", n: jwk.n, e: jwk.e, alg: "RS256", ext: true }, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["verify"]);
}

export async function signAssertion(
  key: CryptoKey,
  claims: { iss: string; aud: string; scope: string; iat: number; exp: number },
  keyId?: string,
): Promise<string> {
  const utf8 = new TextEncoder();
  const header = encodeBase64Url(utf8.encode(JSON.stringify({ alg: "RS256", typ: "JWT", ...(keyId ? { kid: keyId } : {}) })));
  const payload = encodeBase64Url(utf8.encode(JSON.stringify(claims)));
  const input = `${header}.${payload}`;
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, utf8.encode(input));
  return `${input}.${encodeBase64Url(new Uint8Array(signature))}`;
}
