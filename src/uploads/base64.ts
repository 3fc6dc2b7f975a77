/** Decoded size of a base64 string without decoding it. */
export function base64DecodedLength(data: string): number {
  const pad = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return Math.floor(((data.length - pad) * 3) / 4);
}

type FromBase64 = (s: string) => Uint8Array;
type NodeBuffer = { from(s: string, enc: "base64"): Uint8Array };

/**
 * Decodes base64 straight into one buffer (no intermediate binary string, which would
 * double the memory of a large attachment): Uint8Array.fromBase64 where the runtime
 * has it (workerd), Node's Buffer otherwise. Undefined for malformed input.
 */
export function decodeBase64(data: string): Uint8Array | undefined {
  const fromBase64 = (Uint8Array as unknown as { fromBase64?: FromBase64 }).fromBase64;
  try {
    if (fromBase64) return fromBase64(data);
  } catch {
    return undefined;
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) return undefined;
  const buffer = (globalThis as unknown as { Buffer: NodeBuffer }).Buffer;
  return buffer.from(data, "base64");
}
