import { blocksOf } from "./request-context";
import type { Block } from "./tokens";

/**
 * Document citations: when a document in the user's last message has
 * `citations: {enabled: true}`, the mini model quotes the start of each such document and
 * cites it with the location type its source calls for (reference §1.3):
 * plain text → `char_location`, PDF (base64 or file) → `page_location`,
 * custom content → `content_block_location`. `document_index` counts every document of the
 * request in order, as the API does.
 */
interface Cited {
  index: number;
  block: Block;
}

function documents(body: Block): Cited[] {
  const out: Cited[] = [];
  let index = 0;
  for (const m of body.messages as Block[]) {
    for (const b of blocksOf(m)) {
      if (b?.type === "document") out.push({ index: index++, block: b });
      if (b?.type === "tool_result" && Array.isArray(b.content)) for (const inner of b.content) if (inner?.type === "document") out.push({ index: index++, block: inner });
    }
  }
  return out;
}

function firstSentence(text: string): { start: number; end: number } {
  const start = text.search(/\S/);
  if (start < 0) return { start: 0, end: 0 };
  const rest = text.slice(start);
  const stop = rest.search(/[.!?](\s|$)/);
  const end = start + (stop < 0 ? Math.min(rest.length, 200) : stop + 1);
  return { start, end };
}

/** Readable text of a PDF: the strings drawn with Tj, else printable runs after the header. */
function pdfText(data: string): string {
  let raw = "";
  try {
    raw = atob(data);
  } catch {
    return "";
  }
  const drawn = [...raw.matchAll(/\(([^()]*)\)\s*Tj/g)].map((m) => m[1]).join(" ").trim();
  if (drawn) return drawn;
  return raw.replace(/^%PDF-\d\.\d\s*/, "").replace(/[^\x20-\x7e]+/g, " ").trim().slice(0, 200);
}

function citationFor(doc: Cited): { text: string; citation: Block } | null {
  const b = doc.block;
  const source = b.source ?? {};
  const base = { document_index: doc.index, document_title: typeof b.title === "string" ? b.title : null };
  const fileId = source.type === "file" ? { file_id: source.file_id } : {};
  if (source.type === "text" && typeof source.data === "string") {
    const { start, end } = firstSentence(source.data);
    const cited = source.data.slice(start, end);
    if (cited === "") return null;
    return { text: cited, citation: { type: "char_location", cited_text: cited, ...base, start_char_index: start, end_char_index: end } };
  }
  if (source.type === "content") {
    const parts: Block[] = typeof source.content === "string" ? [{ type: "text", text: source.content }] : Array.isArray(source.content) ? source.content : [];
    const k = parts.findIndex((p) => p?.type === "text" && typeof p.text === "string" && p.text.trim() !== "");
    if (k < 0) return null;
    const cited = String(parts[k]!.text).trim();
    return { text: cited, citation: { type: "content_block_location", cited_text: cited, ...base, start_block_index: k, end_block_index: k + 1 } };
  }
  if (source.type === "base64" || source.type === "file" || source.type === "url") {
    const cited = source.type === "base64" ? pdfText(String(source.data ?? "")) : "";
    const text = cited || "the first page of the document";
    return { text, citation: { type: "page_location", cited_text: cited, ...base, start_page_number: 1, end_page_number: 2, ...fileId } };
  }
  return null;
}

/** The cited answer, or null when no document of the last user message asked for citations. */
export function citedAnswer(body: Block): Block[] | null {
  const messages: Block[] = body.messages;
  const lastUser = [...messages].reverse().find((m) => m?.role === "user");
  const own = new Set(blocksOf(lastUser).filter((b) => b?.type === "document"));
  const wanted = documents(body).filter((d) => own.has(d.block) && d.block.citations?.enabled === true);
  if (wanted.length === 0) return null;
  const blocks: Block[] = [];
  wanted.forEach((doc, n) => {
    const cited = citationFor(doc);
    if (!cited) return;
    const name = doc.block.title ? `“${doc.block.title}”` : `document ${doc.index + 1}`;
    blocks.push({ type: "text", text: `${n === 0 ? "" : "\n\n"}According to ${name}: ` });
    blocks.push({ type: "text", text: cited.text, citations: [cited.citation] });
  });
  return blocks.length > 0 ? blocks : null;
}
