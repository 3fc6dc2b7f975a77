import type { Upstream, UpstreamInit, UpstreamResponse } from "../upstream";
import { upstreamError, upstreamUnreachable } from "./errors";

/**
 * Under anthropic-version 2023-06-01 the Files API is a beta: the header is needed on
 * /v1/files and on every /v1/messages call that references a file. The API accepts
 * it under 2026-10-21 too, so it is always sent.
 */
export const FILES_BETA = "files-api-2025-04-14";

export interface AnthropicFileMetadata {
  id: string;
  type: "file";
  filename: string;
  mime_type: string;
  size_bytes: number;
  created_at: string;
  downloadable?: boolean;
}

export interface AnthropicFileList {
  data: AnthropicFileMetadata[];
  /** Cursor for the next page (the last id under the beta shape), or null at the end. */
  next: string | null;
}

export interface AnthropicFilesOptions {
  upstream: Upstream;
  baseUrl: string;
  version: string;
}

/**
 * A thin Files API client. Every call names the upstream key explicitly because a
 * file lives in the workspace of the key that uploaded it.
 */
export class AnthropicFiles {
  private readonly base: string;

  constructor(private readonly opts: AnthropicFilesOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, "");
  }

  async upload(key: string, bytes: Uint8Array | Blob, filename: string, mimeType: string, signal?: AbortSignal): Promise<AnthropicFileMetadata> {
    let body: UpstreamInit["body"];
    let contentType: string | undefined;
    let contentLength: number | undefined;
    if (bytes instanceof Blob) {
      const form = new FormData();
      form.append("file", bytes, filename);
      body = form;
    } else {
      // A Blob (and so FormData) copies its parts in both Node and workerd; a stream of
      // [head, bytes, tail] sends the attachment's own buffer, which failover reuses.
      const multipart = multipartBody(bytes, filename, mimeType);
      body = multipart.stream;
      contentType = multipart.contentType;
      contentLength = multipart.contentLength;
    }
    const res = await this.call(key, "POST", "/v1/files", body, signal, contentType, contentLength);
    return (await res.json()) as AnthropicFileMetadata;
  }

  async get(key: string, id: string, signal?: AbortSignal): Promise<AnthropicFileMetadata> {
    const res = await this.call(key, "GET", `/v1/files/${encodeURIComponent(id)}`, undefined, signal);
    return (await res.json()) as AnthropicFileMetadata;
  }

  async list(key: string, opts: { limit?: number; after?: string } = {}, signal?: AbortSignal): Promise<AnthropicFileList> {
    const q = new URLSearchParams({ limit: String(opts.limit ?? 100) });
    if (opts.after) q.set("after_id", opts.after);
    const res = await this.call(key, "GET", `/v1/files?${q}`, undefined, signal);
    const body = (await res.json()) as { data?: AnthropicFileMetadata[]; has_more?: boolean; last_id?: string | null; next_page?: string | null };
    const data = body.data ?? [];
    // Beta shape: {has_more, last_id}; GA shape: {next_page}. Both are read.
    const next = body.has_more ? (body.last_id ?? data.at(-1)?.id ?? null) : (body.next_page ?? null);
    return { data, next };
  }

  /** Deletes a file; a file that is already gone counts as deleted (`false`). */
  async delete(key: string, id: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.call(key, "DELETE", `/v1/files/${encodeURIComponent(id)}`, undefined, signal);
      return true;
    } catch (err) {
      if (err instanceof Error && "status" in err && err.status === 404) return false;
      throw err;
    }
  }

  private async call(key: string, method: UpstreamInit["method"], path: string, body: UpstreamInit["body"], signal: AbortSignal | undefined, contentType?: string, contentLength?: number): Promise<UpstreamResponse> {
    const headers: Record<string, string> = {
      "x-api-key": key,
      "anthropic-version": this.opts.version,
      "anthropic-beta": FILES_BETA,
    };
    if (contentType) headers["content-type"] = contentType;
    if (contentLength !== undefined) headers["content-length"] = String(contentLength);
    let res: UpstreamResponse;
    try {
      res = await this.opts.upstream(this.base + path, { method, headers, body, signal, ...(body instanceof ReadableStream ? { duplex: "half" as const } : {}) });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw upstreamUnreachable(err, this.base, false);
    }
    if (!res.ok) throw await upstreamError(res);
    return res;
  }
}

/**
 * multipart/form-data with one `file` field, as a stream over the caller's buffer. The
 * length is known, so it is sent as content-length (workerd: through a FixedLengthStream)
 * rather than chunked.
 */
function multipartBody(bytes: Uint8Array, filename: string, mimeType: string): { stream: ReadableStream<Uint8Array>; contentType: string; contentLength?: number } {
  const boundary = `c2a-${crypto.randomUUID()}`;
  const safeName = filename.replace(/["\\\r\n]/g, "_");
  const enc = new TextEncoder();
  const head = enc.encode(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${safeName}"\r\ncontent-type: ${mimeType}\r\n\r\n`);
  const tail = enc.encode(`\r\n--${boundary}--\r\n`);
  const chunks = [head, bytes, tail];
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      if (!chunks.length) controller.close();
    },
  });
  const length = head.byteLength + bytes.byteLength + tail.byteLength;
  const contentType = `multipart/form-data; boundary=${boundary}`;
  const Fixed = (globalThis as { FixedLengthStream?: new (n: number) => TransformStream<Uint8Array, Uint8Array> }).FixedLengthStream;
  if (Fixed) return { stream: stream.pipeThrough(new Fixed(length)), contentType };
  // Node's fetch sends a stream with the content-length it is given.
  return { stream, contentType, contentLength: length };
}
