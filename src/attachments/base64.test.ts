import { describe, expect, it } from "vitest";
import { base64DecodedLength, base64Length, decodeBase64, encodeBase64, encodeBase64Url } from "./base64";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("base64", () => {
  it("encodes the RFC 4648 vectors, padded", () => {
    expect(["", "f", "fo", "foo", "foob", "fooba", "foobar"].map((s) => encodeBase64(bytes(s)))).toEqual(["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"]);
  });

  it("encodes base64url without padding, with the URL-safe alphabet", () => {
    expect(encodeBase64Url(bytes("fo"))).toBe("Zm8");
    expect(encodeBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe("-_-_");
    expect(encodeBase64(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe("+/+/");
  });

  it("decodes what it encodes, and refuses what is not base64", () => {
    const data = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255, 42]);
    const text = encodeBase64(data);
    expect(decodeBase64(text)).toEqual(data);
    expect(base64DecodedLength(text)).toBe(data.length);
    expect(base64Length(data.length)).toBe(text.length);
    expect(decodeBase64("@@not base64@@")).toBeUndefined();
  });
});
