import { describe, expect, it } from "vitest";
import { AttachmentExtractor } from "./extract";
import type { AttachmentTable } from "./table";

const enc = new TextEncoder();
/** Deterministic bytes, base64 of them (padding depends on the length). */
const bytesOf = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 31 + seed * 7) & 0xff);
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** Feeds `json` in chunks of `chunk` bytes; returns the remaining text, its parse and the table. */
function extract(json: string, { minBytes = 64, chunk = 1 << 16, declared = false } = {}) {
  const body = enc.encode(json);
  const x = new AttachmentExtractor({ minBytes, ...(declared ? { expectedBytes: body.byteLength } : {}) });
  for (let i = 0; i < body.byteLength; i += chunk) x.push(body.slice(i, i + chunk));
  const { text, attachments } = x.finish();
  return { text, attachments, parsed: JSON.parse(text) as any };
}

/** The parsed body with every reference put back as its data URL: must equal the original. */
function expand(value: unknown, table: AttachmentTable): unknown {
  if (typeof value === "string") return table.get(value) ? table.dataUrl(value) : value;
  if (Array.isArray(value)) return value.map((v) => expand(v, table));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v, table)]));
  return value;
}

const CHUNKS = [1, 3, 7, 64, 1 << 16];
const pdfPart = (data: string) => ({ type: "file", file: { filename: "a.pdf", file_data: `data:application/pdf;base64,${data}` } });
const imagePart = (data: string, mime = "image/png") => ({ type: "image_url", image_url: { url: `data:${mime};base64,${data}` } });
const chat = (...content: unknown[]) => ({ model: "m", messages: [{ role: "user", content: [...content, { type: "text", text: "hi \"there\" \\ done" }] }] });

describe("AttachmentExtractor", () => {
  it("leaves a body without data URLs byte for byte as it was", () => {
    const json = JSON.stringify({ model: "m", messages: [{ role: "user", content: "a \"quoted\" \\\" text ;base64, here" }] });
    for (const chunk of CHUNKS) {
      const { text, attachments } = extract(json, { chunk });
      expect(text).toBe(json);
      expect(attachments.size).toBe(0);
    }
  });

  it.each([1000, 1001, 1002])("takes a %i-byte PDF out at every chunk boundary and keeps its exact bytes", (n) => {
    const bytes = bytesOf(n);
    const body = chat(pdfPart(b64(bytes)));
    for (const chunk of CHUNKS) {
      for (const declared of [false, true]) {
        const { parsed, attachments, text } = extract(JSON.stringify(body), { chunk, declared });
        expect(attachments.size).toBe(1);
        const ref = parsed.messages[0].content[0].file.file_data as string;
        expect(ref.length).toBeLessThan(200);
        expect(text.length).toBeLessThan(400);
        expect(attachments.get(ref)).toMatchObject({ mediaType: "application/pdf", meta: "application/pdf" });
        expect(attachments.get(ref)!.bytes).toEqual(bytes);
        expect(expand(parsed, attachments)).toEqual(body);
      }
    }
  });

  it("reads the escaped slashes of PHP-style encoders as slashes", () => {
    const bytes = bytesOf(3000, 5);
    const data = b64(bytes);
    expect(data).toContain("/");
    const json = JSON.stringify(chat(pdfPart(data))).replaceAll("/", "\\/");
    for (const chunk of CHUNKS) {
      const { parsed, attachments } = extract(json, { chunk });
      expect(attachments.get(parsed.messages[0].content[0].file.file_data)!.bytes).toEqual(bytes);
    }
  });

  it("takes out several attachments, an image and a PDF, each with its own bytes and type", () => {
    const png = bytesOf(900, 2);
    const pdf = bytesOf(1200, 3);
    const body = { model: "m", messages: [{ role: "user", content: [imagePart(b64(png)), pdfPart(b64(pdf))] }, { role: "user", content: [{ type: "image_url", image_url: `data:image/jpeg;base64,${b64(png)}` }] }] };
    for (const chunk of [1, 5, 1 << 16]) {
      const { parsed, attachments } = extract(JSON.stringify(body), { chunk });
      expect(attachments.size).toBe(3);
      const [img, doc] = parsed.messages[0].content;
      expect(attachments.get(img.image_url.url)).toMatchObject({ mediaType: "image/png", bytes: png });
      expect(attachments.get(doc.file.file_data)).toMatchObject({ mediaType: "application/pdf", bytes: pdf });
      expect(attachments.get(parsed.messages[1].content[0].image_url)).toMatchObject({ mediaType: "image/jpeg", bytes: png });
      expect(expand(parsed, attachments)).toEqual(body);
    }
  });

  it("keeps small data URLs, and data URLs outside url/file_data keys, as text", () => {
    const big = b64(bytesOf(2000));
    const body = {
      model: "m",
      messages: [
        { role: "user", content: `data:application/pdf;base64,${big}` },
        { role: "user", content: [{ type: "text", text: `"url":"data:image/png;base64,${big}"` }, imagePart(b64(bytesOf(30)))] },
      ],
    };
    for (const chunk of [1, 1 << 16]) {
      const { text, attachments } = extract(JSON.stringify(body), { chunk });
      expect(attachments.size).toBe(0);
      expect(text).toBe(JSON.stringify(body));
    }
  });

  it("accepts spaces around the key's colon", () => {
    const bytes = bytesOf(500);
    const json = `{"messages":[{"content":[{"type":"image_url","image_url":{"url" :  "data:image/gif;base64,${b64(bytes)}"}}]}]}`;
    const { parsed, attachments } = extract(json, { chunk: 2 });
    expect(attachments.get(parsed.messages[0].content[0].image_url.url)?.bytes).toEqual(bytes);
  });

  it.each([
    ["an escape inside the payload", (d: string) => `${d.slice(0, 600)}\\n${d.slice(600)}`],
    ["a space inside the payload", (d: string) => `${d.slice(0, 600)} ${d.slice(600)}`],
    ["a character outside base64", (d: string) => `${d.slice(0, 900)}!${d.slice(900)}`],
    ["padding in the middle", (d: string) => `${d.slice(0, 700)}==${d.slice(700)}`],
    ["a short last quartet", (d: string) => d.slice(0, -3)],
    ["an escaped quote", (d: string) => `${d.slice(0, 800)}\\"${d.slice(800)}`],
  ])("puts the text back exactly on %s, for the ordinary path to judge", (_, spoil) => {
    const data = spoil(b64(bytesOf(1000)));
    const json = `{"messages":[{"role":"user","content":[{"type":"file","file":{"file_data":"data:application/pdf;base64,${data}"}}]}]}`;
    for (const chunk of CHUNKS) {
      const { parsed, attachments } = extract(json, { chunk });
      expect(attachments.size).toBe(0);
      expect(parsed).toEqual(JSON.parse(json));
    }
  });

  it("puts the text back when the body ends inside an attachment, so the parser reports it", () => {
    const json = JSON.stringify(chat(pdfPart(b64(bytesOf(1000))))).slice(0, 900);
    const x = new AttachmentExtractor({ minBytes: 64 });
    x.push(enc.encode(json));
    const { text, attachments } = x.finish();
    expect(attachments.size).toBe(0);
    expect(text).toBe(json);
  });

  it("gives a resent attachment the same reference every time (key affinity hashes it)", () => {
    const json = JSON.stringify(chat(pdfPart(b64(bytesOf(1000)))));
    const a = extract(json).parsed.messages[0].content[0].file.file_data;
    const b = extract(json, { chunk: 3 }).parsed.messages[0].content[0].file.file_data;
    expect(a).toBe(b);
    expect(extract(JSON.stringify(chat(pdfPart(b64(bytesOf(1000, 9)))))).parsed.messages[0].content[0].file.file_data).not.toBe(a);
  });
});
