import type { AttachmentTable } from "./table";

/**
 * Keeps references where the translator reads attachments: `messages[].content[]` parts'
 * `image_url.url` (or bare `image_url`) and `file.file_data` (chat completions), and
 * `input[].content[]` parts' `image_url` and `file_data` (the Responses API). A large data
 * URL anywhere else (a `url` key the translator never reads as an attachment) gets its
 * text back, so the request means exactly what the client sent.
 */
export function confineReferences(json: unknown, table: AttachmentTable): void {
  if (!table.size) return;
  const placed = new Set<string>();
  const body = json as { messages?: unknown; input?: unknown } | null;
  const turns = [body?.messages, body?.input].filter(Array.isArray).flat();
  if (turns.length) {
    for (const m of turns) {
      const content = (m as { content?: unknown } | null)?.content;
      if (!Array.isArray(content)) continue;
      for (const part of content as Array<Record<string, unknown> | null>) {
        const value = attachmentValue(part);
        if (value !== undefined && table.get(value)) placed.add(value);
      }
    }
  }
  if (placed.size === table.size) return;
  const strays = new Set([...table.refs()].filter((r) => !placed.has(r)));
  restore(json, strays, table);
  for (const r of strays) table.delete(r);
}

function attachmentValue(part: Record<string, unknown> | null): string | undefined {
  if (!part || typeof part !== "object") return undefined;
  if (part.type === "image_url") {
    const u = part.image_url as { url?: unknown } | string | undefined;
    const v = typeof u === "string" ? u : u?.url;
    return typeof v === "string" ? v : undefined;
  }
  if (part.type === "file") {
    const v = (part.file as { file_data?: unknown } | undefined)?.file_data;
    return typeof v === "string" ? v : undefined;
  }
  if (part.type === "input_image") return typeof part.image_url === "string" ? part.image_url : undefined;
  if (part.type === "input_file") return typeof part.file_data === "string" ? part.file_data : undefined;
  return undefined;
}

/** Iterative: the body is the client's, and may be nested far deeper than the call stack allows. */
function restore(root: unknown, strays: Set<string>, table: AttachmentTable): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== "object") continue;
    const entries: Array<[string | number, unknown]> = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (const [k, v] of entries) {
      if (typeof v === "string" && strays.has(v)) {
        // defineProperty: a plain assignment to a "__proto__" key would set the prototype.
        Object.defineProperty(node, k, { value: table.dataUrl(v), writable: true, enumerable: true, configurable: true });
      } else if (v && typeof v === "object") stack.push(v);
    }
  }
}
