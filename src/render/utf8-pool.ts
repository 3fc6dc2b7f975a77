/**
 * UTF-8 encoding for many small strings. TextEncoder.encode allocates a fresh
 * ArrayBuffer per call, and in V8 that allocation costs more than the encoding itself;
 * encodeInto a shared slab and handing out views avoids it per chunk. Views never
 * overlap and a region is never written twice, so a consumer may keep them. A slab that
 * the runtime detached (transferred) is simply replaced.
 */
const SLAB = 16 * 1024;
const encoder = new TextEncoder();

export class Utf8Pool {
  #slab = new Uint8Array(SLAB);
  #offset = 0;

  encode(text: string): Uint8Array {
    const worst = text.length * 3;
    if (worst > SLAB >> 2) return encoder.encode(text);
    if (this.#slab.length - this.#offset < worst) {
      this.#slab = new Uint8Array(SLAB);
      this.#offset = 0;
    }
    const start = this.#offset;
    const { written } = encoder.encodeInto(text, this.#slab.subarray(start));
    this.#offset = start + written;
    return this.#slab.subarray(start, this.#offset);
  }
}
