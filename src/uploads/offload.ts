import type { AnthropicFiles } from "../platforms/anthropic/files";
import { FILES_BETA } from "../platforms/anthropic/files";
import type { AnthropicContentBlockParam, AnthropicMessageParam, AnthropicRequest } from "../platforms/anthropic/types";
import type { Logger, RequestScope } from "../deps";
import { GatewayError, invalidRequest } from "../errors";
import { base64DecodedLength, decodeBase64 } from "../attachments/base64";
import { uploadKeyHash, sha256Hex, toHex, type UploadTracker } from "./tracker";
import type { AttachmentLookup } from "../attachments/table";

export interface OffloadContext {
  /** The upstream key of this attempt: files live in its workspace. */
  key: string;
  files: AnthropicFiles;
  tracker: UploadTracker;
  /** UPLOAD_THRESHOLD_BYTES: decoded attachments larger than this are uploaded. */
  thresholdBytes: number;
  scope: RequestScope;
  log: Logger;
  /** Attachments decoded while the body was read: blocks whose data is a reference use these bytes. */
  attachments?: AttachmentLookup;
  /** The client key (id) the upload is made for: a gateway upload is reused only for the same key. */
  tenant?: string;
}

export interface OffloadResult {
  /** The same object when nothing changed; otherwise a copy that shares every untouched block. */
  body: AnthropicRequest;
  /** anthropic-beta values the messages call needs (the Files beta when any file is referenced). */
  betas: string[];
  /** Gateway-owned files this body references (touch them when the response ends). */
  fileIds: string[];
}

type Media = Extract<AnthropicContentBlockParam, { type: "image" | "document" }>;
type Base64Media = Media & { source: { type: "base64"; data: string; media_type: string } };

/** Where a candidate sits: messages[m].content[c], or inside a tool_result at [c].content[n]. */
interface Site {
  m: number;
  c: number;
  n?: number;
  block: Base64Media;
}

/**
 * Hashes survive across the attempts of one request (the same source objects are
 * offered to each key in turn), so a failover does not hash the bytes again.
 */
const hashes = new WeakMap<object, string>();

const EXT: Record<string, string> = { "application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp" };

/**
 * Replaces large base64 images and PDFs by Files API references in the attempt key's
 * workspace, reusing an earlier upload of the same bytes. Runs once per upstream
 * attempt. Upload failures are not fatal: the block stays inline and the request goes
 * on as the client sent it.
 */
export async function offloadLargeAttachments(body: AnthropicRequest, ctx: OffloadContext): Promise<OffloadResult> {
  const sites: Site[] = [];
  let referencesFiles = false;
  body.messages.forEach((msg, m) => {
    if (typeof msg.content === "string") return;
    msg.content.forEach((block, c) => {
      if (isFileRef(block)) referencesFiles = true;
      if (isLarge(block, ctx)) sites.push({ m, c, block });
      if (block.type === "tool_result" && Array.isArray(block.content)) {
        block.content.forEach((inner, n) => {
          if (isFileRef(inner)) referencesFiles = true;
          if (isLarge(inner, ctx)) sites.push({ m, c, n, block: inner });
        });
      }
    });
  });
  if (!sites.length) return { body, betas: referencesFiles ? [FILES_BETA] : [], fileIds: [] };

  const ownerHash = await uploadKeyHash(ctx.key);
  const replaced = new Map<Site, string>();
  for (const site of sites) {
    const fileId = await offloadOne(site, ownerHash, ctx);
    if (fileId) replaced.set(site, fileId);
  }
  if (!replaced.size) return { body, betas: referencesFiles ? [FILES_BETA] : [], fileIds: [] };
  return { body: withReplacements(body, replaced), betas: [FILES_BETA], fileIds: [...new Set(replaced.values())] };
}

async function offloadOne(site: Site, ownerHash: string, ctx: OffloadContext): Promise<string | undefined> {
  const source = site.block.source;
  // Bytes decoded by the body reader are used as they are (and are the same object on every attempt).
  let bytes: Uint8Array | undefined = ctx.attachments?.get(source.data)?.bytes;
  const cacheKey = bytes ?? source;
  let sha = hashes.get(cacheKey);
  if (!sha) {
    bytes ??= decodeBase64(source.data);
    if (!bytes) throw invalidRequest(`messages.${site.m}.content.${site.c}${site.n === undefined ? "" : `.content.${site.n}`}.source.data: malformed base64`, `messages.${site.m}.content`);
    sha = await sha256Hex(bytes);
    hashes.set(cacheKey, sha);
  }

  const known = await ctx.tracker.lookup(sha, ownerHash, ctx.tenant);
  if (known) return known.fileId;

  bytes ??= decodeBase64(source.data)!;
  const intentId = toHex(crypto.getRandomValues(new Uint8Array(12)));
  // The filename is unique to the intent: it is how a sweep finds the file if this
  // request dies between the upload and the record.
  const filename = `c2a-${intentId}.${EXT[source.media_type] ?? "bin"}`;
  const startedAt = Date.now();
  await ctx.tracker.begin({ intentId, sha256: sha, keyHash: ownerHash, bytes: bytes.byteLength, filename, mimeType: source.media_type, startedAt });
  try {
    const meta = await ctx.files.upload(ctx.key, bytes, filename, source.media_type, ctx.scope.signal);
    const now = Date.now();
    await ctx.tracker.record(
      { fileId: meta.id, sha256: sha, keyHash: ownerHash, owner: "gateway", bytes: bytes.byteLength, filename, mimeType: source.media_type, purpose: "", uploadedAt: now, lastUsedAt: now, ...(ctx.tenant ? { tenant: ctx.tenant } : {}) },
      intentId,
    );
    ctx.log.info("uploads.offloaded", { fileId: meta.id, bytes: bytes.byteLength, mimeType: source.media_type });
    return meta.id;
  } catch (err) {
    if (ctx.scope.signal.aborted) throw err;
    // A clear refusal means nothing landed; anything else (timeout, 5xx) may have, so
    // the intent stays for the sweeper.
    if (err instanceof GatewayError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429) {
      await ctx.tracker.cancel(intentId).catch(() => undefined);
    }
    ctx.log.warn("uploads.offload_failed", { bytes: bytes.byteLength, error: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
}

function isFileRef(block: { type: string; source?: unknown }): boolean {
  return (block.type === "image" || block.type === "document") && (block.source as { type?: string } | undefined)?.type === "file";
}

function isLarge(block: { type: string; source?: unknown }, ctx: OffloadContext): block is Base64Media {
  if (block.type !== "image" && block.type !== "document") return false;
  const source = block.source as { type?: string; data?: unknown } | undefined;
  if (source?.type !== "base64" || typeof source.data !== "string") return false;
  const size = ctx.attachments?.get(source.data)?.bytes.byteLength ?? base64DecodedLength(source.data);
  return size > ctx.thresholdBytes;
}

/** Copies only the path to each replaced block; every other block is shared. */
function withReplacements(body: AnthropicRequest, replaced: Map<Site, string>): AnthropicRequest {
  const messages = body.messages.slice();
  const contents = new Map<number, AnthropicContentBlockParam[]>();
  const content = (m: number) => {
    let arr = contents.get(m);
    if (!arr) {
      arr = (messages[m]!.content as AnthropicContentBlockParam[]).slice();
      contents.set(m, arr);
      messages[m] = { ...messages[m]!, content: arr } as AnthropicMessageParam;
    }
    return arr;
  };
  for (const [site, fileId] of replaced) {
    const ref = { ...site.block, source: { type: "file" as const, file_id: fileId } } as Media;
    const arr = content(site.m);
    if (site.n === undefined) {
      arr[site.c] = ref;
    } else {
      const tr = arr[site.c] as Extract<AnthropicContentBlockParam, { type: "tool_result" }>;
      const inner = (tr.content as unknown[]).slice();
      inner[site.n] = ref;
      arr[site.c] = { ...tr, content: inner } as typeof tr;
    }
  }
  return { ...body, messages };
}
