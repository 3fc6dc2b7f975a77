import { ApiError, invalidRequest, notFound } from "./api-error";
import { newFileId } from "./ids";
import { paginate } from "./paginate";
import { FILES_BETA, type RequestContext } from "./request-context";

export interface StoredFile {
  id: string;
  filename: string;
  mime_type: string;
  size_bytes: number;
  created_at: string;
  bytes: Uint8Array;
  apiKey: string;
}

const MAX_FILE_BYTES = 500 * 1024 * 1024;

const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: "application/pdf", txt: "text/plain", md: "text/markdown", csv: "text/csv", json: "application/json",
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp",
};

export function fileMetadata(f: StoredFile): Record<string, unknown> {
  return { id: f.id, type: "file", filename: f.filename, mime_type: f.mime_type, size_bytes: f.size_bytes, created_at: f.created_at, downloadable: false };
}

/** Files API (§6), beta list shape. Files belong to the key that uploaded them. */
export class FilesApi {
  constructor(private readonly files: Map<string, StoredFile>) {}

  private requireBeta(ctx: RequestContext): void {
    // The Files API was beta-gated under 2023-06-01; 2026-10-21 has it GA.
    if (ctx.version === "2023-06-01" && !ctx.betas.has(FILES_BETA)) {
      // Wording unverified (no recorded response found); ours, in the API's style.
      throw invalidRequest(`The Files API is in beta. Add the \`anthropic-beta: ${FILES_BETA}\` header to use it.`);
    }
  }

  private owned(id: string, ctx: RequestContext): StoredFile {
    const file = this.files.get(id);
    if (!file || file.apiKey !== ctx.apiKey) throw notFound(`File not found: ${id}`);
    return file;
  }

  async upload(form: FormData | null, ctx: RequestContext): Promise<Record<string, unknown>> {
    this.requireBeta(ctx);
    const part = form?.get("file");
    if (!part || typeof part === "string") throw invalidRequest("file: Field required");
    if (part.size > MAX_FILE_BYTES) throw new ApiError(413, "request_too_large", "Request exceeds the maximum allowed number of bytes.");
    const ext = part.name.split(".").pop()?.toLowerCase() ?? "";
    const file: StoredFile = {
      id: newFileId(),
      filename: part.name || "upload",
      mime_type: part.type || MIME_BY_EXTENSION[ext] || "application/octet-stream",
      size_bytes: part.size,
      created_at: new Date().toISOString(),
      bytes: new Uint8Array(await part.arrayBuffer()),
      apiKey: ctx.apiKey,
    };
    this.files.set(file.id, file);
    return fileMetadata(file);
  }

  list(query: URLSearchParams, ctx: RequestContext): Record<string, unknown> {
    this.requireBeta(ctx);
    const mine = [...this.files.values()].filter((f) => f.apiKey === ctx.apiKey).reverse();
    const page = paginate(mine, (f) => f.id, query);
    return { ...page, data: page.data.map(fileMetadata) };
  }

  get(id: string, ctx: RequestContext): Record<string, unknown> {
    this.requireBeta(ctx);
    return fileMetadata(this.owned(id, ctx));
  }

  delete(id: string, ctx: RequestContext): Record<string, unknown> {
    this.requireBeta(ctx);
    this.owned(id, ctx);
    this.files.delete(id);
    return { id, type: "file_deleted" };
  }

  content(id: string, ctx: RequestContext): never {
    this.requireBeta(ctx);
    this.owned(id, ctx);
    // Only files that code execution or skills created can be downloaded; uploads never can.
    // Wording unverified (no recorded response found); ours, in the API's style.
    throw invalidRequest(`File ${id} is not downloadable`);
  }
}
