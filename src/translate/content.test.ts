import { describe, expect, it } from "vitest";
import { FILES_API_BETA, MAX_IMAGE_BASE64_CHARS, fileBlock, imageBlock, parseDataUrl, translateParts, type ContentEffects } from "./content";
import { GatewayError } from "../errors";
import { AttachmentTable } from "../attachments/table";

const effects = (): ContentEffects => ({ betas: new Set() });
const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

function expect400(fn: () => unknown, param: string, message: RegExp) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError);
    expect((e as GatewayError).status).toBe(400);
    expect((e as GatewayError).param).toBe(param);
    expect((e as GatewayError).message).toMatch(message);
    return;
  }
  throw new Error("expected a 400");
}

describe("parseDataUrl", () => {
  it("reads media type and encoding", () => {
    expect(parseDataUrl("data:image/png;base64,AAAA")).toEqual({ mediaType: "image/png", base64: true, data: "AAAA" });
    expect(parseDataUrl("data:text/plain;charset=utf-8,hi%20there")).toEqual({ mediaType: "text/plain", base64: false, data: "hi%20there" });
    expect(parseDataUrl("https://x")).toBeUndefined();
    expect(parseDataUrl("data:nocomma")).toBeUndefined();
  });
});

describe("imageBlock", () => {
  it("turns a data URL into a base64 image", () => {
    expect(imageBlock("data:image/png;base64,iVBORw0KGgo=", "p")).toEqual({
      type: "image",
      source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" },
    });
    expect(imageBlock("data:image/jpg;base64,/9j/\n4AAQ", "p").source).toMatchObject({ media_type: "image/jpeg", data: "/9j/4AAQ" });
  });
  it("passes https URLs as url sources, never downloading them", () => {
    expect(imageBlock("https://files.example.com/cat.png", "p")).toEqual({ type: "image", source: { type: "url", url: "https://files.example.com/cat.png" } });
  });
  it("rejects what Claude cannot take, naming the part", () => {
    const p = "messages[2].content[0].image_url.url";
    expect400(() => imageBlock("data:image/bmp;base64,AAAA", p), p, /unsupported image type "image\/bmp"/);
    expect400(() => imageBlock("data:image/png,rawbytes", p), p, /base64/);
    expect400(() => imageBlock("data:image/png;base64,@@@", p), p, /not valid base64/);
    expect400(() => imageBlock("data:image/png;base64", p), p, /malformed data URL/);
    expect400(() => imageBlock("http://insecure.example/cat.png", p), p, /https/);
    expect400(() => imageBlock("ftp://x/cat.png", p), p, /https: URL or a base64 data: URL/);
    expect400(() => imageBlock(`data:image/png;base64,${"A".repeat(MAX_IMAGE_BASE64_CHARS + 4)}`, p), p, /image exceeds 5 MB/);
  });
});

describe("fileBlock", () => {
  it("sends a PDF as a base64 document titled by its filename", () => {
    expect(fileBlock({ filename: "report.pdf", file_data: "data:application/pdf;base64,JVBERi0x" }, "f", effects())).toEqual({
      type: "document",
      source: { type: "base64", media_type: "application/pdf", data: "JVBERi0x" },
      title: "report.pdf",
    });
  });
  it("decodes text-like files into plain-text documents", () => {
    for (const mt of ["text/plain", "text/markdown", "text/csv", "application/json", "text/x-python"]) {
      expect(fileBlock({ filename: "a", file_data: `data:${mt};base64,${b64("héllo")}` }, "f", effects())).toEqual({
        type: "document",
        source: { type: "text", media_type: "text/plain", data: "héllo" },
        title: "a",
      });
    }
  });
  it("accepts bare base64 when the filename tells the type", () => {
    expect(fileBlock({ filename: "notes.md", file_data: b64("# hi") }, "f", effects()).source).toEqual({ type: "text", media_type: "text/plain", data: "# hi" });
    expect(fileBlock({ filename: "x.pdf", file_data: "JVBERi0x" }, "f", effects()).source).toMatchObject({ media_type: "application/pdf" });
  });
  it("references a file_id through the Files API and asks for its beta", () => {
    const fx = effects();
    expect(fileBlock({ file_id: "file_011CNha8iCJcU1wXNR6q4V8w" }, "f", fx)).toEqual({ type: "document", source: { type: "file", file_id: "file_011CNha8iCJcU1wXNR6q4V8w" } });
    expect([...fx.betas]).toEqual([FILES_API_BETA]);
  });
  it("rejects unsupported or unreadable files", () => {
    expect400(() => fileBlock({ filename: "a.zip", file_data: "data:application/zip;base64,UEsD" }, "messages[0].content[1].file", effects()), "messages[0].content[1].file.file_data", /unsupported file type "application\/zip"/);
    expect400(() => fileBlock({ filename: "blob", file_data: "AAAA" }, "x.file", effects()), "x.file.file_data", /cannot tell the file type/);
    expect400(() => fileBlock({ filename: "a" }, "x.file", effects()), "x.file", /file_data/);
    expect400(() => fileBlock({ file_data: "data:text/plain;base64,/w==" }, "x.file", effects()), "x.file.file_data", /UTF-8/);
  });
});

describe("translateParts", () => {
  it("keeps cache_control with its ttl and drops empty text", () => {
    const blocks = translateParts(
      [
        { type: "text", text: "  " },
        { type: "text", text: "hello", cache_control: { type: "ephemeral", ttl: "1h" } },
        { type: "image_url", image_url: { url: "https://x/y.png", detail: "high" }, cache_control: { type: "ephemeral" } },
      ],
      "messages[0].content",
      effects(),
    );
    expect(blocks).toEqual([
      { type: "text", text: "hello", cache_control: { type: "ephemeral", ttl: "1h" } },
      { type: "image", source: { type: "url", url: "https://x/y.png" }, cache_control: { type: "ephemeral" } },
    ]);
  });
  it("accepts image_url given as a bare string", () => {
    expect(translateParts([{ type: "image_url", image_url: "https://x/y.png" }], "c", effects())).toHaveLength(1);
  });
  it("refuses images for a model without image input", () => {
    const fx: ContentEffects = { betas: new Set(), model: { id: "claude-x", imageInput: false, pdfInput: true } };
    expect400(() => translateParts([{ type: "image_url", image_url: { url: "https://x/y.png" } }], "messages[1].content", fx), "messages[1].content[0]", /does not accept images/);
  });
});

describe("data URLs the body reader decoded already (references)", () => {
  const table = new AttachmentTable();
  const png = table.add("image/png", new Uint8Array(3000));
  const jpg = table.add("image/jpg", new Uint8Array(3));
  const bmp = table.add("image/bmp", new Uint8Array(3));
  const huge = table.add("image/png", new Uint8Array(3_932_161)); // 5,242,884 base64 characters
  const pdf = table.add("application/pdf", new TextEncoder().encode("%PDF-1.7"));
  const csv = table.add("text/csv", new TextEncoder().encode("a,b\n1,2"));
  const zip = table.add("application/zip", new Uint8Array(4));
  const withTable = (): ContentEffects => ({ betas: new Set(), attachments: table });

  it("makes the same blocks, with the reference as their data", () => {
    expect(imageBlock(png, "p", table)).toEqual({ type: "image", source: { type: "base64", media_type: "image/png", data: png } });
    expect(imageBlock(jpg, "p", table).source).toMatchObject({ media_type: "image/jpeg" });
    expect(fileBlock({ filename: "r.pdf", file_data: pdf }, "f", withTable())).toEqual({
      type: "document",
      source: { type: "base64", media_type: "application/pdf", data: pdf },
      title: "r.pdf",
    });
    expect(fileBlock({ file_data: csv }, "f", withTable()).source).toEqual({ type: "text", media_type: "text/plain", data: "a,b\n1,2" });
  });

  it("keeps the 400s and their messages, the image limit counted in base64 characters", () => {
    const p = "messages[0].content[0].image_url.url";
    expect400(() => imageBlock(huge, p, table), p, /image exceeds 5 MB maximum: 5242884 base64 characters > 5242880/);
    expect400(() => imageBlock(bmp, p, table), p, /unsupported image type "image\/bmp"/);
    expect400(() => fileBlock({ file_data: zip }, "f", withTable()), "f.file_data", /unsupported file type "application\/zip"/);
    const noPdf: ContentEffects = { ...withTable(), model: { id: "m", imageInput: true, pdfInput: false } };
    expect400(() => fileBlock({ file_data: pdf }, "f", noPdf), "f", /does not accept PDF/);
    // A reference that is not in this request's table is just a malformed data URL.
    expect400(() => imageBlock(png, p), p, /base64/);
  });
});
