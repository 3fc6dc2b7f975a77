import { Buffer } from "node:buffer";

/**
 * The chunks as text, decoded once with Buffer rather than through a streaming
 * TextDecoder, which is slow on Node. Like a web Request's text(): invalid bytes become U+FFFD, a leading BOM is dropped.
 */
export function utf8Text(chunks: readonly Uint8Array[], total: number): string {
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  const text = (bytes instanceof Buffer ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
