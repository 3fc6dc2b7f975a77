import { describe, expect, it } from "vitest";
import { AttachmentTable } from "./table";
import { confineReferences } from "./confine";
import { stringifyWithAttachments, wellFormedJson } from "./serialize";
import { base64Length, encodeBase64 } from "./base64";

const bytesOf = (n: number) => new Uint8Array(n).map((_, i) => (i * 13 + 5) & 0xff);
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

describe("encodeBase64", () => {
  it.each([0, 1, 2, 3, 4, 5, 1000])("matches btoa for %i bytes, and base64Length counts it", (n) => {
    const bytes = bytesOf(n);
    expect(encodeBase64(bytes)).toBe(b64(bytes));
    expect(base64Length(n)).toBe(b64(bytes).length);
  });
});

describe("AttachmentTable", () => {
  it("resolves only its own references", () => {
    const t = new AttachmentTable();
    const ref = t.add("image/PNG;name=x", bytesOf(10));
    expect(t.get(ref)).toMatchObject({ mediaType: "image/png", meta: "image/PNG;name=x" });
    expect(t.get(ref.replace(".10.", ".11."))).toBeUndefined();
    expect(t.get(`data:image/png;base64,${b64(bytesOf(10))}`)).toBeUndefined();
    expect(t.dataUrl(ref)).toBe(`data:image/PNG;name=x;base64,${b64(bytesOf(10))}`);
  });
});

describe("confineReferences", () => {
  it("keeps references in attachment parts and puts any other back as its data URL", () => {
    const t = new AttachmentTable();
    const inPart = t.add("application/pdf", bytesOf(30));
    const elsewhere = t.add("image/png", bytesOf(40));
    const json = {
      metadata: { url: elsewhere },
      messages: [{ role: "user", content: [{ type: "file", file: { file_data: inPart } }] }],
    };
    confineReferences(json, t);
    expect(json.messages[0]!.content[0]!.file.file_data).toBe(inPart);
    expect(json.metadata.url).toBe(`data:image/png;base64,${b64(bytesOf(40))}`);
    expect(t.size).toBe(1);
  });

  it("keeps references in a Responses body's input_file and input_image parts, and nowhere else", () => {
    const t = new AttachmentTable();
    const file = t.add("application/pdf", bytesOf(30));
    const image = t.add("image/png", bytesOf(40));
    const output = t.add("application/pdf", bytesOf(50));
    const json = {
      input: [
        { role: "user", content: [{ type: "input_file", file_data: file }, { type: "input_image", image_url: image }] },
        { type: "function_call_output", call_id: "c", output },
      ],
    };
    confineReferences(json, t);
    expect(json.input[0]!.content![0]!.file_data).toBe(file);
    expect(json.input[0]!.content![1]!.image_url).toBe(image);
    expect(json.input[1]!.output).toBe(`data:application/pdf;base64,${b64(bytesOf(50))}`);
    expect(t.size).toBe(2);
  });

  it("puts a stray back from under 100,000 levels of nesting, and under a __proto__ key", () => {
    const t = new AttachmentTable();
    const deep = t.add("image/png", bytesOf(20));
    const proto = t.add("image/png", bytesOf(21));
    let node: unknown = { url: deep };
    for (let i = 0; i < 100_000; i++) node = [node];
    const json = JSON.parse(`{"messages":[],"extra":${JSON.stringify(node)},"odd":{"__proto__":"${proto}"}}`);
    expect(() => confineReferences(json, t)).not.toThrow();
    let inner = json.extra;
    while (Array.isArray(inner)) inner = inner[0];
    expect(inner.url).toBe(`data:image/png;base64,${b64(bytesOf(20))}`);
    expect(Object.getOwnPropertyDescriptor(json.odd, "__proto__")?.value).toBe(`data:image/png;base64,${b64(bytesOf(21))}`);
    expect(Object.getPrototypeOf(json.odd)).toBe(Object.prototype);
    expect(t.size).toBe(0);
  });
});

describe("stringifyWithAttachments", () => {
  it("expands a reference still inline in a block's data, and nothing else", () => {
    const t = new AttachmentTable();
    const ref = t.add("application/pdf", bytesOf(50));
    const body = {
      messages: [
        { role: "user", content: [{ type: "document", source: { type: "base64", media_type: "application/pdf", data: ref } }, { type: "text", text: ref }] },
      ],
    };
    const out = JSON.parse(stringifyWithAttachments(body, t));
    expect(out.messages[0].content[0].source.data).toBe(b64(bytesOf(50)));
    expect(out.messages[0].content[1].text).toBe(ref);
    expect(stringifyWithAttachments({ a: 1 }, t)).toBe('{"a":1}');
    expect(stringifyWithAttachments(body, new AttachmentTable())).toBe(JSON.stringify(body));
  });
});

describe("wellFormedJson (lone surrogates, which the Anthropic API refuses)", () => {
  it.each([
    ["a lone high surrogate", "a\ud800b", "a\ufffdb"],
    ["a lone low surrogate", "a\udfffb", "a\ufffdb"],
    ["a reversed pair", "\udc00\ud800", "\ufffd\ufffd"],
    ["a high surrogate at the end", "x\udbff", "x\ufffd"],
    ["a well-formed pair", "\ud83d\ude00", "\ud83d\ude00"],
    ["the text \\ud800 (a backslash, then ud800)", "C:\\ud800", "C:\\ud800"],
    ["a backslash before a lone surrogate", "\\\ud800", "\\\ufffd"],
  ])("%s", (_, input, expected) => {
    const json = wellFormedJson(JSON.stringify({ text: input }));
    expect(JSON.parse(json)).toEqual({ text: expected });
  });

  it("is what stringifyWithAttachments sends", () => {
    expect(stringifyWithAttachments({ text: "x\ud800" }, undefined)).toBe('{"text":"x\\ufffd"}');
  });
});
