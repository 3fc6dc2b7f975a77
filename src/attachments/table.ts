import { encodeBase64 } from "./base64";
import { toHex } from "../hash";

/** One attachment taken out of the request body before parsing: its bytes, decoded once. */
export interface Attachment {
  /** The data URL's media type, lower-cased (`image/png`, `application/pdf`). */
  mediaType: string;
  /** What stood between `data:` and `;base64,`, for putting the data URL back. */
  meta: string;
  bytes: Uint8Array;
}

/** What the translator and the offloader need: the attachment a reference stands for. */
export interface AttachmentLookup {
  readonly size: number;
  get(ref: string): Attachment | undefined;
}

const REF_MARK = ";base64-ref,";

/**
 * The request's side table: reference string → attachment. A reference stands where the
 * data URL stood in the parsed JSON (and in `source.data` of the block made from it), so
 * every step between parsing and sending handles a short string instead of megabytes.
 *
 * References are derived from the content (index, length, first and last bytes), not
 * random: key affinity hashes the first message, and a resent attachment must give the
 * same hash every turn. A client that types a reference into its request gains nothing:
 * only entries of this request's own table resolve.
 */
export class AttachmentTable implements AttachmentLookup {
  #byRef = new Map<string, Attachment>();

  get size(): number {
    return this.#byRef.size;
  }

  add(meta: string, bytes: Uint8Array): string {
    const ends = toHex(bytes.subarray(0, 16)) + toHex(bytes.subarray(Math.max(16, bytes.byteLength - 16)));
    const ref = `data:${meta}${REF_MARK}${this.#byRef.size}.${bytes.byteLength}.${ends}`;
    const mediaType = (meta.split(";")[0]!.trim() || "text/plain").toLowerCase();
    this.#byRef.set(ref, { mediaType, meta, bytes });
    return ref;
  }

  get(ref: string): Attachment | undefined {
    return ref.length < 512 && ref.includes(REF_MARK) ? this.#byRef.get(ref) : undefined;
  }

  refs(): IterableIterator<string> {
    return this.#byRef.keys();
  }

  /** Forgets a reference (its data URL was put back as text). */
  delete(ref: string): void {
    this.#byRef.delete(ref);
  }

  /** The data URL a reference stands for, as the client sent it (base64 re-encoded). */
  dataUrl(ref: string): string | undefined {
    const a = this.#byRef.get(ref);
    return a && `data:${a.meta};base64,${encodeBase64(a.bytes)}`;
  }
}
