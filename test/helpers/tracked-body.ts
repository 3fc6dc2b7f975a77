/**
 * A request body streamed in 64 KB chunks (`head`, `fillerBytes` of "x", `tail`) that records
 * how far the gateway read it and whether it was cancelled: what the large-body and
 * early-rejection tests assert on (drained to its end, not cancelled under the client).
 */
export function trackedBody(head: string, fillerBytes: number, tail: string) {
  const enc = new TextEncoder();
  const filler = new Uint8Array(64 * 1024).fill(0x78);
  const state = { pulled: 0, ended: false, cancelled: false };
  let left = fillerBytes;
  let stage = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      let chunk: Uint8Array;
      if (stage === 0) (chunk = enc.encode(head)), (stage = 1);
      else if (left > 0) {
        chunk = filler.subarray(0, Math.min(filler.byteLength, left));
        left -= chunk.byteLength;
      } else if (stage === 1) (chunk = enc.encode(tail)), (stage = 2);
      else {
        state.ended = true;
        return controller.close();
      }
      state.pulled += chunk.byteLength;
      controller.enqueue(chunk.slice());
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}
