/**
 * The simulator's token arithmetic: about four characters per token for text, sizes for
 * media. Not Claude's tokenizer, but deterministic and monotonic, which is what tests need.
 */
export type Block = Record<string, any>;
export type FileSizeLookup = (fileId: string) => { size_bytes: number; mime_type: string } | undefined;

export const textTokens = (text: string): number => Math.ceil(text.length / 4);

/** Vision cost grows with pixels; with no decoder, size is the stand-in (clamped like a real image's range). */
const imageTokens = (bytes: number): number => Math.min(1600, Math.max(85, Math.ceil(bytes / 750)));
const pdfTokens = (bytes: number): number => Math.max(100, Math.ceil(bytes / 40));
const base64Bytes = (data: unknown): number => (typeof data === "string" ? Math.floor((data.length * 3) / 4) : 0);

function fileTokens(fileId: unknown, files: FileSizeLookup): number {
  const f = typeof fileId === "string" ? files(fileId) : undefined;
  if (!f) return 0;
  if (f.mime_type.startsWith("image/")) return imageTokens(f.size_bytes);
  if (f.mime_type === "application/pdf") return pdfTokens(f.size_bytes);
  return Math.ceil(f.size_bytes / 4);
}

export function blockTokens(block: Block, files: FileSizeLookup): number {
  const source = block.source ?? {};
  switch (block.type) {
    case "text":
      return textTokens(String(block.text ?? ""));
    case "image":
      if (source.type === "base64") return imageTokens(base64Bytes(source.data));
      if (source.type === "file") return fileTokens(source.file_id, files);
      return 1000;
    case "document":
      if (source.type === "base64") return pdfTokens(base64Bytes(source.data));
      if (source.type === "text") return textTokens(String(source.data ?? ""));
      if (source.type === "file") return fileTokens(source.file_id, files);
      if (source.type === "content") return contentTokens(source.content, files);
      return 1500;
    case "tool_use":
      return 10 + textTokens(String(block.name ?? "") + JSON.stringify(block.input ?? {}));
    case "tool_result":
      return 5 + contentTokens(block.content, files);
    case "thinking":
      return textTokens(String(block.thinking ?? ""));
    default:
      return textTokens(JSON.stringify(block));
  }
}

export function contentTokens(content: unknown, files: FileSizeLookup): number {
  if (typeof content === "string") return textTokens(content);
  if (!Array.isArray(content)) return 0;
  return content.reduce((sum: number, b: Block) => sum + blockTokens(b, files), 0);
}

/** Every file_id referenced in a content array, at any depth. */
export function referencedFileIds(content: unknown, out: string[] = []): string[] {
  if (!Array.isArray(content)) return out;
  for (const b of content as Block[]) {
    if (b?.source?.type === "file" && typeof b.source.file_id === "string") out.push(b.source.file_id);
    if (b?.type === "tool_result") referencedFileIds(b.content, out);
    if (b?.source?.type === "content") referencedFileIds(b.source.content, out);
  }
  return out;
}
