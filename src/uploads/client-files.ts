import type { AnthropicContentBlockParam, AnthropicRequest } from "../platforms/anthropic/types";
import type { GatewayDeps, UploadRecord } from "../deps";
import { upstreamKeys } from "../config";
import { keyForHash } from "./tracker";
import { clip, invalidRequest } from "../errors";

export interface ClientFile {
  /** The upstream key whose workspace holds the file: the chat request must use it. */
  key: string;
  anthropicFileId: string;
  filename: string;
  mimeType: string;
  bytes: number;
}

/**
 * Finds a file a client uploaded through /v1/files. A file lives in one key's
 * workspace, so the tracker records that key's hash and this resolves it back to one
 * of the keys the gateway holds (or the client's own key in passthrough mode).
 * Undefined for an id the gateway does not know: the chat route answers 400 without
 * calling the upstream.
 */
export async function resolveClientFile(fileId: string, deps: Pick<GatewayDeps, "uploads" | "config">, passthroughKey?: string): Promise<ClientFile | undefined> {
  const rec = await deps.uploads.get(fileId);
  if (!rec || rec.owner !== "client") return undefined;
  const key = await keyOfRecord(rec, deps, passthroughKey);
  if (!key) return undefined;
  return { key, anthropicFileId: rec.fileId, filename: rec.filename, mimeType: rec.mimeType, bytes: rec.bytes };
}

/** The held key whose workspace stores the file; undefined when that key is no longer configured. */
export function keyOfRecord(rec: UploadRecord, deps: Pick<GatewayDeps, "config">, passthroughKey?: string): Promise<string | undefined> {
  const keys = passthroughKey ? [passthroughKey, ...upstreamKeys(deps.config)] : upstreamKeys(deps.config);
  return keyForHash(rec.keyHash, keys);
}

type FileBlock = Extract<AnthropicContentBlockParam, { type: "image" | "document" }> & { source: { type: "file"; file_id: string } };

function* fileBlocks(body: AnthropicRequest): Generator<FileBlock> {
  for (const msg of body.messages) {
    if (typeof msg.content === "string") continue;
    for (const block of msg.content) {
      if ((block.type === "image" || block.type === "document") && block.source.type === "file") yield block as FileBlock;
      if (block.type === "tool_result" && Array.isArray(block.content)) {
        for (const inner of block.content) if ((inner.type === "image" || inner.type === "document") && inner.source.type === "file") yield inner as FileBlock;
      }
    }
  }
}

/**
 * Files a client uploaded through /v1/files live in one upstream key's workspace, so
 * a request that references them must use that key. Unknown ids are the client's
 * mistake and are answered before any upstream call. Images uploaded as files must
 * be sent as image blocks, which the translator (that cannot know the type) leaves to
 * this step. Returns the key to pin the request to, if any.
 */
export async function pinClientFiles(body: AnthropicRequest, deps: GatewayDeps, passthroughKey: string | undefined): Promise<string | undefined> {
  let pinned: string | undefined;
  for (const block of fileBlocks(body)) {
    const id = block.source.file_id;
    const file = await resolveClientFile(id, deps, passthroughKey);
    if (!file) throw invalidRequest(`Unknown file_id \`${clip(id)}\`: upload it first with POST /v1/files (files are kept per gateway).`, "file_id", "file_not_found");
    if (pinned && pinned !== file.key) {
      throw invalidRequest(`The files in this request were uploaded through different upstream workspaces and cannot be used together; re-upload \`${clip(id)}\`.`, "file_id", "file_workspace_mismatch");
    }
    pinned = file.key;
    if (file.mimeType.startsWith("image/") && block.type === "document") {
      const img = block as unknown as { type: string; title?: unknown; context?: unknown; citations?: unknown };
      img.type = "image";
      delete img.title;
      delete img.context;
      delete img.citations;
    }
  }
  return pinned;
}
