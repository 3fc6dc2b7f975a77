import type {
  AnthropicContentBlockParam,
} from "../platforms/anthropic/types";
import type {
  CacheControlEphemeral,
  DocumentBlockParam,
  ImageBlockParam,
  TextBlockParam,
} from "@anthropic-ai/sdk/resources/messages/messages";
import type { ChatCacheControl, ChatContentPart } from "../openai/schema";
import { clip, invalidRequest } from "../errors";
import { FILES_BETA } from "../platforms/anthropic/files";
import type { Attachment, AttachmentLookup } from "../attachments/table";
import { base64Length, decodeBase64 } from "../attachments/base64";

/**
 * OpenAI content parts → Anthropic content blocks, for user turns and tool results.
 *
 * Policies:
 * - Images: data: URLs of png/jpeg/gif/webp become base64 blocks (at most 5,242,880
 *   base64 characters, Anthropic's limit); https: URLs become `{type:"url"}` sources that
 *   Anthropic fetches itself (the gateway never downloads); http: and other schemes
 *   are a 400. `detail` has no Claude equivalent and is ignored.
 * - Files: PDFs become base64 documents; text-like files (text/*, JSON, XML, YAML, code)
 *   are decoded and sent as plain-text documents; `file_id` becomes a Files API source
 *   and adds the files beta. The filename becomes the document title.
 * - Empty or whitespace-only text is dropped (Anthropic rejects empty text blocks).
 * - `cache_control` on a part is kept, ttl included.
 */

/** The Files API beta, needed on /v1/messages calls that reference files under 2023-06-01. */
export const FILES_API_BETA = FILES_BETA;
export const MAX_IMAGE_BASE64_CHARS = 5_242_880;

const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
const TEXT_APPLICATION_TYPES = new Set([
  "application/json",
  "application/xml",
  "application/x-yaml",
  "application/yaml",
  "application/javascript",
  "application/typescript",
  "application/x-sh",
  "application/sql",
  "application/x-python",
  "application/toml",
  "application/x-ndjson",
]);
const TEXT_EXTENSIONS = /\.(txt|md|markdown|csv|tsv|json|xml|ya?ml|html?|css|js|mjs|ts|tsx|jsx|py|rb|go|rs|java|kt|c|h|cpp|hpp|cs|sh|sql|toml|ini|log)$/i;

/** What parts add to the request besides blocks (the files beta, for now). */
export interface ContentEffects {
  betas: Set<string>;
  /** When given, images and PDFs are refused up front for a model that cannot read them. */
  model?: { id: string; imageInput: boolean; pdfInput: boolean };
  /** Attachments decoded while the body was read (see attachments/extract.ts). */
  attachments?: AttachmentLookup;
  /** CITATIONS=on: every document asks Claude for citations (a part can ask with `citations: true`). */
  citations?: boolean;
}

export function cacheControlOf(cc: ChatCacheControl): CacheControlEphemeral | undefined {
  if (!cc || cc.type !== "ephemeral") return undefined;
  return cc.ttl === "5m" || cc.ttl === "1h" ? { type: "ephemeral", ttl: cc.ttl } : { type: "ephemeral" };
}

export function textBlock(text: string, cc?: CacheControlEphemeral): TextBlockParam | undefined {
  if (text.trim() === "") return undefined;
  return cc ? { type: "text", text, cache_control: cc } : { type: "text", text };
}

/** Parts of a user message or tool result. `path` is the content's param path, e.g. `messages[2].content`. */
export function translateParts(
  content: string | null | undefined | ChatContentPart[],
  path: string,
  effects: ContentEffects,
): AnthropicContentBlockParam[] {
  if (content == null) return [];
  if (typeof content === "string") {
    const b = textBlock(content);
    return b ? [b] : [];
  }
  const out: AnthropicContentBlockParam[] = [];
  content.forEach((part, j) => {
    const block = translatePart(part, `${path}[${j}]`, effects);
    if (block) out.push(block);
  });
  return out;
}

function translatePart(part: ChatContentPart, path: string, effects: ContentEffects): AnthropicContentBlockParam | undefined {
  switch (part.type) {
    case "text":
      return textBlock(part.text, cacheControlOf(part.cache_control));
    case "refusal":
      return textBlock(part.refusal);
    case "image_url": {
      const url = typeof part.image_url === "string" ? part.image_url : part.image_url.url;
      const urlPath = typeof part.image_url === "string" ? `${path}.image_url` : `${path}.image_url.url`;
      if (effects.model && !effects.model.imageInput) throw invalidRequest(`${path}: ${effects.model.id} does not accept images`, path);
      return withCache(imageBlock(url, urlPath, effects.attachments), cacheControlOf(part.cache_control));
    }
    case "file": {
      const block = fileBlock(part.file, `${path}.file`, effects);
      const cited = part.citations === true || (part.citations !== false && effects.citations === true);
      return withCache(cited ? { ...block, citations: { enabled: true } } : block, cacheControlOf(part.cache_control));
    }
    default:
      // The schema already rejects audio and video; this keeps the switch exhaustive.
      throw invalidRequest(`${path}.type: unsupported content part type "${(part as { type: string }).type}"`, `${path}.type`);
  }
}

function withCache<T extends ImageBlockParam | DocumentBlockParam>(block: T, cc: CacheControlEphemeral | undefined): T {
  return cc ? { ...block, cache_control: cc } : block;
}

interface DataUrl {
  mediaType: string;
  base64: boolean;
  data: string;
}

/** `data:<type>[;param…][;base64],<data>`; undefined when the text is not a data URL at all. */
export function parseDataUrl(url: string): DataUrl | undefined {
  if (!/^data:/i.test(url)) return undefined;
  const comma = url.indexOf(",");
  if (comma < 0) return undefined;
  const meta = url.slice(5, comma).split(";").map((s) => s.trim());
  const mediaType = (meta[0] || "text/plain").toLowerCase();
  const base64 = meta.slice(1).some((m) => m.toLowerCase() === "base64");
  return { mediaType, base64, data: url.slice(comma + 1) };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function cleanBase64(data: string, path: string, what: string): string {
  const cleaned = data.replace(/\s+/g, "");
  if (cleaned === "" || !BASE64.test(cleaned)) throw invalidRequest(`${path}: the ${what} data is not valid base64`, path);
  return cleaned;
}

export function imageBlock(url: string, path: string, attachments?: AttachmentLookup): ImageBlockParam {
  const decoded = attachments?.get(url);
  if (decoded) return decodedImageBlock(url, decoded, path);
  const trimmed = url.trim();
  const data = parseDataUrl(trimmed);
  if (data) {
    const mediaType = imageMediaType(data.mediaType, path);
    if (!data.base64) throw invalidRequest(`${path}: image data URLs must be base64-encoded (data:${clip(mediaType)};base64,…)`, path);
    const b64 = cleanBase64(data.data, path, "image");
    if (b64.length > MAX_IMAGE_BASE64_CHARS) {
      throw invalidRequest(`${path}: image exceeds 5 MB maximum: ${b64.length} base64 characters > ${MAX_IMAGE_BASE64_CHARS}`, path);
    }
    return {
      type: "image",
      source: { type: "base64", media_type: mediaType, data: b64 },
    };
  }
  if (/^https:\/\//i.test(trimmed)) return { type: "image", source: { type: "url", url: trimmed } };
  if (/^data:/i.test(trimmed)) throw invalidRequest(`${path}: malformed data URL`, path);
  if (/^http:\/\//i.test(trimmed)) {
    throw invalidRequest(`${path}: image URLs must use https (Claude fetches the image itself); send a data: URL for local images`, path);
  }
  throw invalidRequest(`${path}: expected an https: URL or a base64 data: URL for the image`, path);
}

function imageMediaType(mediaType: string, path: string): ImageMediaType {
  const normalized = mediaType === "image/jpg" ? "image/jpeg" : mediaType;
  if (!IMAGE_TYPES.has(normalized)) {
    throw invalidRequest(`${path}: unsupported image type ${JSON.stringify(clip(mediaType))}; Claude accepts image/png, image/jpeg, image/gif and image/webp`, path);
  }
  return normalized as ImageMediaType;
}

type ImageMediaType = "image/png" | "image/jpeg" | "image/gif" | "image/webp";

function decodedImageBlock(ref: string, a: Attachment, path: string): ImageBlockParam {
  const mediaType = imageMediaType(a.mediaType, path);
  // The limit counts base64 characters; the client sent (at least) this many.
  const chars = base64Length(a.bytes.byteLength);
  if (chars > MAX_IMAGE_BASE64_CHARS) {
    throw invalidRequest(`${path}: image exceeds 5 MB maximum: ${chars} base64 characters > ${MAX_IMAGE_BASE64_CHARS}`, path);
  }
  return { type: "image", source: { type: "base64", media_type: mediaType, data: ref } };
}

export function fileBlock(
  file: { file_data?: string | null; file_id?: string | null; filename?: string | null },
  path: string,
  effects: ContentEffects,
): DocumentBlockParam {
  const title = file.filename?.trim() || undefined;
  const withTitle = (block: DocumentBlockParam): DocumentBlockParam => (title ? { ...block, title } : block);
  if (file.file_id) {
    effects.betas.add(FILES_API_BETA);
    return withTitle({ type: "document", source: { type: "file", file_id: file.file_id } });
  }
  if (!file.file_data) throw invalidRequest(`${path}: a file part needs file_data (a base64 data: URL) or file_id`, path);
  const dataPath = `${path}.file_data`;
  const decoded = effects.attachments?.get(file.file_data);
  if (decoded) return withTitle(decodedFileBlock(file.file_data, decoded, path, dataPath, effects));
  const parsed = parseDataUrl(file.file_data.trim());
  // Some clients send bare base64 and let the filename tell the type.
  const mediaType = parsed ? parsed.mediaType : mediaTypeFromFilename(title);
  if (parsed && !parsed.base64) {
    if (isTextType(mediaType)) return withTitle(plainTextDocument(decodeURIComponentSafe(parsed.data, dataPath)));
    throw invalidRequest(`${dataPath}: file data URLs must be base64-encoded`, dataPath);
  }
  const raw = parsed ? parsed.data : file.file_data;
  if (!mediaType) {
    throw invalidRequest(`${dataPath}: cannot tell the file type; send a data: URL with a media type (e.g. data:application/pdf;base64,…)`, dataPath);
  }
  if (mediaType === "application/pdf") {
    if (effects.model && !effects.model.pdfInput) throw invalidRequest(`${path}: ${effects.model.id} does not accept PDF documents`, path);
    return withTitle({ type: "document", source: { type: "base64", media_type: "application/pdf", data: cleanBase64(raw, dataPath, "file") } });
  }
  if (isTextType(mediaType)) return withTitle(plainTextDocument(decodeBase64Utf8(cleanBase64(raw, dataPath, "file"), dataPath)));
  throw invalidRequest(
    `${dataPath}: unsupported file type ${JSON.stringify(clip(mediaType))}; Claude accepts PDF and text files (send images as image_url parts)`,
    dataPath,
  );
}

function decodedFileBlock(ref: string, a: Attachment, path: string, dataPath: string, effects: ContentEffects): DocumentBlockParam {
  if (a.mediaType === "application/pdf") {
    if (effects.model && !effects.model.pdfInput) throw invalidRequest(`${path}: ${effects.model.id} does not accept PDF documents`, path);
    return { type: "document", source: { type: "base64", media_type: "application/pdf", data: ref } };
  }
  if (isTextType(a.mediaType)) return plainTextDocument(decodeUtf8(a.bytes, dataPath));
  throw invalidRequest(`${dataPath}: unsupported file type ${JSON.stringify(clip(a.mediaType))}; Claude accepts PDF and text files (send images as image_url parts)`, dataPath);
}

function plainTextDocument(text: string): DocumentBlockParam {
  return { type: "document", source: { type: "text", media_type: "text/plain", data: text } };
}

function isTextType(mediaType: string | undefined): boolean {
  if (!mediaType) return false;
  return mediaType.startsWith("text/") || TEXT_APPLICATION_TYPES.has(mediaType) || mediaType.endsWith("+json") || mediaType.endsWith("+xml");
}

function mediaTypeFromFilename(name: string | undefined): string | undefined {
  if (!name) return undefined;
  if (/\.pdf$/i.test(name)) return "application/pdf";
  if (TEXT_EXTENSIONS.test(name)) return "text/plain";
  return undefined;
}

function decodeBase64Utf8(b64: string, path: string): string {
  const bytes = decodeBase64(b64);
  if (!bytes) throw invalidRequest(`${path}: the file is not valid UTF-8 text`, path);
  return decodeUtf8(bytes, path);
}

function decodeUtf8(bytes: Uint8Array, path: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw invalidRequest(`${path}: the file is not valid UTF-8 text`, path);
  }
}

function decodeURIComponentSafe(s: string, path: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw invalidRequest(`${path}: malformed data URL`, path);
  }
}
