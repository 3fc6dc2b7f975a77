import { expect, it } from "vitest";
import { Utf8Pool } from "./utf8-pool";

it("encodes like TextEncoder, into views that later writes never touch", () => {
  const pool = new Utf8Pool();
  const inputs = ["data: hi\n\n", "ünïcødé ÷ 5 = 185 🎉", "", "x".repeat(5000), "a".repeat(2000)];
  const views: Uint8Array[] = [];
  for (let round = 0; round < 40; round++) for (const s of inputs) views.push(pool.encode(s));
  const decoder = new TextDecoder();
  views.forEach((v, i) => expect(decoder.decode(v)).toBe(inputs[i % inputs.length]));
});

it("replaces a slab that was detached under it", () => {
  const pool = new Utf8Pool();
  const first = pool.encode("abc");
  structuredClone(first.buffer, { transfer: [first.buffer as ArrayBuffer] });
  expect(first.byteLength).toBe(0);
  expect(new TextDecoder().decode(pool.encode("still works"))).toBe("still works");
});
