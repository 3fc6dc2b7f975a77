import { invalidRequest } from "./api-error";
import { blocksOf, FILES_BETA, type RequestContext } from "./request-context";
import type { Block } from "./tokens";

const IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"];
const MAX_IMAGE_BASE64 = 5 * 1024 * 1024;
const MAX_CACHE_BREAKPOINTS = 4;

export type FileOwnerLookup = (fileId: string) => { apiKey: string } | undefined;

/** Content rules that need no secret: shapes, media, tool pairing, breakpoints, file references. */
export function validateMessages(body: Block, ctx: RequestContext, files: FileOwnerLookup): void {
  validateSystem(body.system);
  const messages: Block[] = body.messages;
  messages.forEach((message, n) => {
    if (message?.role !== "user" && message?.role !== "assistant") {
      throw invalidRequest(`messages.${n}.role: Input should be 'user' or 'assistant'`);
    }
    const isFinalAssistant = n === messages.length - 1 && message.role === "assistant";
    const empty = message.content === "" || (Array.isArray(message.content) && message.content.length === 0);
    if (empty) {
      if (isFinalAssistant) return;
      throw invalidRequest(`messages.${n}: all messages must have non-empty content except for the optional final assistant message`);
    }
    if (typeof message.content !== "string" && !Array.isArray(message.content)) {
      throw invalidRequest(`messages.${n}.content: Input should be a valid string or a valid list`);
    }
    const blocks = blocksOf(message);
    blocks.forEach((block, m) => {
      if (!isObject(block)) throw invalidRequest(`messages.${n}.content.${m}: Input should be a valid dictionary or object to extract fields from`);
      validateBlock(block, `messages.${n}.content.${m}`, message.role, ctx, files);
    });
  });
  validateToolPairing(messages);
  validateServerToolPairing(messages);
  const breakpoints = countCacheControl(body);
  if (breakpoints > MAX_CACHE_BREAKPOINTS) {
    throw invalidRequest(`A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`);
  }
}

const isObject = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);

/** `system` is a string or a list of text blocks (checked before anything walks it). */
function validateSystem(system: unknown): void {
  if (system === undefined || typeof system === "string") return;
  if (!Array.isArray(system)) throw invalidRequest("system: Input should be a valid string or a valid list");
  system.forEach((block: Block, i) => {
    if (!isObject(block)) throw invalidRequest(`system.${i}: Input should be a valid dictionary or object to extract fields from`);
    if (block.type !== "text") throw invalidRequest(`system.${i}.type: Input should be 'text'`);
    if (typeof block.text !== "string") throw invalidRequest(`system.${i}.text: Field required`);
  });
}

function validateBlock(block: Block, path: string, role: string, ctx: RequestContext, files: FileOwnerLookup): void {
  switch (block?.type) {
    case "text":
      if (typeof block.text !== "string") throw invalidRequest(`${path}.text.text: Field required`);
      if (block.text === "") throw invalidRequest("messages: text content blocks must be non-empty");
      if (block.text.trim() === "") throw invalidRequest("messages: text content blocks must contain non-whitespace text");
      if (ctx.version === "2026-10-21" && role === "user" && Array.isArray(block.citations) && block.citations.length > 0) {
        // Wording unverified (no recorded response found); ours, in the API's style.
        throw invalidRequest(`${path}.text.citations: citations are not allowed in user messages`);
      }
      return;
    case "image":
      validateImage(block, `${path}.image`, ctx, files);
      return;
    case "document":
      if (ctx.version === "2026-10-21" && role === "assistant") {
        // Wording unverified (no recorded response found); ours, in the API's style.
        throw invalidRequest(`${path}: document blocks are not allowed in assistant messages`);
      }
      validateFileSource(block, `${path}.document`, ["base64", "content", "text", "url"], ctx, files);
      return;
    case "tool_result":
      if (Array.isArray(block.content)) {
        block.content.forEach((inner: Block, k: number) => validateBlock(inner, `${path}.tool_result.content.${k}`, role, ctx, files));
      }
      return;
    default:
      return;
  }
}

function validateImage(block: Block, path: string, ctx: RequestContext, files: FileOwnerLookup): void {
  const source = block.source ?? {};
  if (source.type === "base64") {
    if (!IMAGE_TYPES.includes(source.media_type)) {
      throw invalidRequest(`${path}.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`);
    }
    const size = typeof source.data === "string" ? source.data.length : 0;
    if (size > MAX_IMAGE_BASE64) {
      throw invalidRequest(`${path}.source.base64: image exceeds 5 MB maximum: ${size} bytes > ${MAX_IMAGE_BASE64} bytes`);
    }
    return;
  }
  validateFileSource(block, path, ["base64", "url"], ctx, files);
}

function validateFileSource(block: Block, path: string, plainTags: string[], ctx: RequestContext, files: FileOwnerLookup): void {
  const source = block.source ?? {};
  if (source.type !== "file") return;
  // Under 2023-06-01 the file source exists only in the beta schema; Bedrock and Vertex have
  // no Files API at all, so their schema lacks it whatever the headers say.
  if ((ctx.version === "2023-06-01" && !ctx.betas.has(FILES_BETA)) || ctx.platform !== undefined) {
    const expected = plainTags.map((t) => `'${t}'`).join(", ");
    throw invalidRequest(`${path}.source: Input tag 'file' found using 'type' does not match any of the expected tags: ${expected}`);
  }
  const file = typeof source.file_id === "string" ? files(source.file_id) : undefined;
  if (!file || file.apiKey !== ctx.apiKey) {
    throw invalidRequest(`${path}.source.file_id: File not found: ${String(source.file_id)}`);
  }
}

/** Every tool_use must be answered in the very next message, and every tool_result must answer one. */
function validateToolPairing(messages: Block[]): void {
  messages.forEach((message, n) => {
    const blocks = blocksOf(message);
    if (message.role === "assistant") {
      const ids = blocks.filter((b) => b?.type === "tool_use").map((b) => String(b.id));
      if (ids.length === 0) return;
      const next = messages[n + 1];
      const answered = new Set(next?.role === "user" ? blocksOf(next).filter((b) => b?.type === "tool_result").map((b) => b.tool_use_id) : []);
      const missing = ids.filter((id) => !answered.has(id));
      if (missing.length > 0) {
        throw invalidRequest(`messages.${n}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
      }
      return;
    }
    const previous = messages[n - 1];
    const asked = new Set(previous?.role === "assistant" ? blocksOf(previous).filter((b) => b?.type === "tool_use").map((b) => b.id) : []);
    blocks.forEach((b, m) => {
      if (b?.type === "tool_result" && !asked.has(b.tool_use_id)) {
        throw invalidRequest(`messages.${n}.content.${m}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${b.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
      }
    });
  });
}

/**
 * A `server_tool_use` sent back must carry its result in the same assistant message (the
 * server ran it there), and a result must follow its use. Gateways that rebuild history
 * must restore both or drop both.
 */
function validateServerToolPairing(messages: Block[]): void {
  messages.forEach((message, n) => {
    const blocks = blocksOf(message);
    const isResult = (b: Block) => typeof b?.type === "string" && b.type.endsWith("_tool_result") && b.type !== "tool_result";
    const uses = blocks.filter((b) => b?.type === "server_tool_use").map((b) => String(b.id));
    const results = new Set(blocks.filter(isResult).map((b) => String(b.tool_use_id)));
    if (uses.length + results.size > 0 && message.role !== "assistant") {
      // Wording unverified (our own, in the API's style).
      throw invalidRequest(`messages.${n}: server tool blocks (\`server_tool_use\` and their results) may only appear in assistant messages`);
    }
    const seen = new Set<string>();
    blocks.forEach((b, m) => {
      if (b?.type === "server_tool_use") seen.add(String(b.id));
      if (isResult(b) && !seen.has(String(b.tool_use_id))) {
        // The API's words for a result without its use, as recorded for `advisor_tool_result`
        // (anthropics/claude-code#64383, #66944: same template, the block type named twice).
        throw invalidRequest(`messages.${n}.content.${m}: unexpected \`tool_use_id\` found in \`${b.type}\` blocks: ${b.tool_use_id}. Each \`${b.type}\` block must have a corresponding \`server_tool_use\` block before it.`);
      }
    });
    const missing = uses.filter((id) => !results.has(id));
    if (missing.length > 0) {
      // Wording unverified: modelled on the API's `tool_use` ids … without `tool_result` message.
      throw invalidRequest(`messages.${n}: \`server_tool_use\` ids were found without corresponding result blocks: ${missing.join(", ")}. Each \`server_tool_use\` block must have a corresponding result block (such as \`web_search_tool_result\`) after it in the same message.`);
    }
  });
}

function countCacheControl(body: Block): number {
  const has = (b: Block) => (b && typeof b === "object" && b.cache_control ? 1 : 0);
  // Automatic caching (top-level cache_control) takes one of the four slots.
  let count = has(body);
  for (const tool of Array.isArray(body.tools) ? body.tools : []) count += has(tool);
  for (const block of Array.isArray(body.system) ? body.system : []) count += has(block);
  for (const message of body.messages as Block[]) {
    for (const block of blocksOf(message)) {
      count += has(block);
      if (block?.type === "tool_result" && Array.isArray(block.content)) for (const inner of block.content) count += has(inner);
    }
  }
  return count;
}
