import type { Upstream } from "../upstream";
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
    const form = new FormData();
    // A Blob over the same bytes: no copy of the (possibly large) buffer.
    const blob = bytes instanceof Blob ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType });
    form.append("file", blob, filename);
    const res = await this.call(key, "POST", "/v1/files", form, signal);
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

  private async call(key: string, method: string, path: string, body: BodyInit | undefined, signal: AbortSignal | undefined): Promise<Response> {
    const headers = new Headers({
      "x-api-key": key,
      "anthropic-version": this.opts.version,
      "anthropic-beta": FILES_BETA,
    });
    let res: Response;
    try {
      res = await this.opts.upstream(new Request(this.base + path, { method, headers, body, signal }));
    } catch (err) {
      if (signal?.aborted) throw err;
      throw upstreamUnreachable(err, this.base, false);
    }
    if (!res.ok) throw await upstreamError(res);
    return res;
  }
}
