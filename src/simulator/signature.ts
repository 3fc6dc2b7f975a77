/**
 * Real signatures for thinking blocks: HMAC-SHA256 over the exact thinking text with
 * a secret that only this simulator knows, so a gateway cannot pass the round-trip tests
 * by inventing or editing thinking blocks.
 */
const NONCE_BYTES = 12;
const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array | null {
  try {
    const s = atob(text);
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Signatures remembered to tell an edited block from a forged one (bounded: oldest forgotten first). */
const MAX_REMEMBERED = 50_000;

export class ThinkingSigner {
  private readonly key: Promise<CryptoKey>;
  private readonly issued = new Set<string>();

  constructor() {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    this.key = crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  }

  /** base64(nonce ‖ HMAC(nonce ‖ kind ‖ text)); the nonce makes equal texts carry different signatures, as real ones do. */
  async sign(text: string, kind = "thinking"): Promise<string> {
    const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await this.key, payload(nonce, kind, text)));
    const out = new Uint8Array(NONCE_BYTES + mac.length);
    out.set(nonce);
    out.set(mac, NONCE_BYTES);
    const signature = toBase64(out);
    this.issued.add(signature);
    if (this.issued.size > MAX_REMEMBERED) this.issued.delete(this.issued.values().next().value!);
    return signature;
  }

  /** A signature this signer gave out (for whatever text): a block carrying it was edited, not forged. */
  wasIssued(signature: unknown): boolean {
    return typeof signature === "string" && this.issued.has(signature);
  }

  async verify(text: string, signature: unknown, kind = "thinking"): Promise<boolean> {
    if (typeof signature !== "string" || signature === "") return false;
    const raw = fromBase64(signature);
    if (!raw || raw.length <= NONCE_BYTES) return false;
    const nonce = raw.slice(0, NONCE_BYTES);
    return crypto.subtle.verify("HMAC", await this.key, raw.slice(NONCE_BYTES), payload(nonce, kind, text));
  }
}

function payload(nonce: Uint8Array, kind: string, text: string): Uint8Array {
  const body = encoder.encode(`${kind}\u0000${text}`);
  const out = new Uint8Array(nonce.length + body.length);
  out.set(nonce);
  out.set(body, nonce.length);
  return out;
}
