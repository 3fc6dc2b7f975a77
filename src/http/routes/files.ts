import type { Context, Hono } from "hono";
import type { GatewayEnv } from "../app-env";
import { AnthropicFiles } from "../../platforms/anthropic/files";
import type { GatewayDeps, KeyOutcome, UploadRecord } from "../../deps";
import { clip, GatewayError, invalidRequest } from "../../errors";
import { uploadKeyHash } from "../../uploads/tracker";
import { keyOfRecord, visibleTo } from "../../uploads/client-files";
import { noUsableKey, poolRateLimited } from "../../pool/failover";
import { readFormData } from "../json-body";
import { upstreamKeys } from "../../config";

/** The Files API's own limit per file. */
const MAX_FILE_BYTES = 500 * 1024 * 1024;

const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: "application/pdf", txt: "text/plain", md: "text/markdown", csv: "text/csv", json: "application/json",
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp",
};

/** OpenAI's FileObject for a client upload. */
export function toFileObject(rec: UploadRecord) {
  return {
    id: rec.fileId,
    object: "file" as const,
    bytes: rec.bytes,
    created_at: Math.floor(rec.uploadedAt / 1000),
    filename: rec.filename,
    purpose: rec.purpose,
    status: "processed" as const,
    status_details: null,
    expires_at: null,
  };
}

export function registerFiles(app: Hono<GatewayEnv>): void {
  app.post("/files", async (c) => {
    const deps = c.get("deps");
    const form = await readFormData(c.req.raw, deps.config.MAX_REQUEST_BYTES);
    if (!form) throw invalidRequest("Expected a multipart/form-data body with a `file` part and a `purpose` field.", "file");
    const file = form.get("file");
    if (!file || typeof file === "string") throw invalidRequest("Missing `file`: send the file as a multipart part named `file`.", "file");
    if (file.size > MAX_FILE_BYTES) throw new GatewayError(413, `file: ${file.size} bytes exceeds the 500 MB limit of the Anthropic Files API`, "invalid_request_error", "file", "file_too_large");
    const purposeField = form.get("purpose");
    const purpose = typeof purposeField === "string" && purposeField.trim() ? purposeField.trim() : "user_data";
    const filename = file.name || "upload";
    const mimeType = file.type || MIME_BY_EXTENSION[filename.split(".").pop()?.toLowerCase() ?? ""] || "application/octet-stream";

    const key = pickKey(c);
    const meta = await withKey(c, key, (files) => files.upload(key, file, filename, mimeType, c.get("scope").signal));
    const now = Date.now();
    const rec: UploadRecord = {
      fileId: meta.id, sha256: "", keyHash: await uploadKeyHash(key), owner: "client", bytes: meta.size_bytes ?? file.size,
      filename, mimeType: meta.mime_type || mimeType, purpose, uploadedAt: Date.parse(meta.created_at) || now, lastUsedAt: now,
      ...(c.get("client") ? { tenant: c.get("client")!.id } : {}),
    };
    await deps.uploads.record(rec);
    return c.json(toFileObject(rec));
  });

  app.get("/files", async (c) => {
    const purpose = c.req.query("purpose");
    const limit = Number(c.req.query("limit") ?? 10000);
    const client = c.get("client");
    let data = (await c.get("deps").uploads.listClient()).filter((r) => visibleTo(r, client));
    if (purpose) data = data.filter((r) => r.purpose === purpose);
    if (Number.isFinite(limit) && limit > 0) data = data.slice(0, limit);
    return c.json({ object: "list", data: data.map(toFileObject), has_more: false });
  });

  app.get("/files/:id", async (c) => c.json(toFileObject(await clientRecord(c, c.req.param("id")))));

  app.get("/files/:id/content", async (c) => {
    await clientRecord(c, c.req.param("id"));
    throw new GatewayError(400, "The Anthropic Files API does not allow downloading uploaded files.", "invalid_request_error", "file_id", "file_not_downloadable");
  });

  app.delete("/files/:id", async (c) => {
    const id = c.req.param("id");
    const rec = await clientRecord(c, id);
    const key = await keyOfRecord(rec, c.get("deps"), c.get("passthroughKey"));
    if (!key) {
      throw new GatewayError(502, `File ${id} lives in the workspace of an upstream key that is no longer configured; it cannot be deleted through this gateway.`, "upstream_error", "file_id", "file_key_gone");
    }
    await withKey(c, key, (files) => files.delete(key, rec.fileId));
    await c.get("deps").uploads.forget(id);
    return c.json({ id, object: "file", deleted: true });
  });
}

async function clientRecord(c: Context<GatewayEnv>, id: string): Promise<UploadRecord> {
  const rec = await c.get("deps").uploads.get(id);
  if (!rec || rec.owner !== "client" || !visibleTo(rec, c.get("client"))) throw new GatewayError(404, `No such file: ${clip(id)}`, "not_found_error", "file_id", "file_not_found");
  return rec;
}

/** The client's own key in passthrough mode, otherwise a healthy pool key. */
function pickKey(c: Context<GatewayEnv>): string {
  const own = c.get("passthroughKey");
  if (own) return own;
  const deps = c.get("deps");
  // Only Anthropic keys have a Files API: Bedrock and Vertex members are never picked here.
  if (!upstreamKeys(deps.config).length) {
    throw new GatewayError(503, "The Files API needs an Anthropic API key, and this gateway has none: the operator must set ANTHROPIC_API_KEYS. Amazon Bedrock and Vertex AI have no Files API; send attachments inline in chat requests instead.", "api_error", null, "files_api_unavailable", { "x-should-retry": "false" });
  }
  const picked = deps.keyPool.pick(new Set(deps.members.ids()), c.get("scope"));
  if ("key" in picked) return picked.key;
  // The same locally made, self-describing refusals as for chat (src/pool/failover.ts).
  throw "waitMs" in picked ? poolRateLimited(picked.waitMs, picked.refused) : noUsableKey(picked.refused);
}

/** Runs one Files API call with the key's in-flight accounting and outcome reporting. */
async function withKey<T>(c: Context<GatewayEnv>, key: string, call: (files: AnthropicFiles) => Promise<T>): Promise<T> {
  const deps = c.get("deps");
  const files = new AnthropicFiles({ upstream: deps.upstream, baseUrl: deps.config.ANTHROPIC_BASE_URL, version: deps.config.ANTHROPIC_VERSION });
  const pooled = !c.get("passthroughKey");
  if (pooled) deps.keyPool.begin(key);
  let outcome: KeyOutcome = { kind: "ok" };
  try {
    return await call(files);
  } catch (err) {
    outcome = outcomeOf(err, c.get("scope").signal);
    throw err;
  } finally {
    if (pooled) deps.keyPool.end(key, outcome, c.get("scope"));
  }
}

function outcomeOf(err: unknown, signal: AbortSignal): KeyOutcome {
  if (signal.aborted) return { kind: "cancelled" };
  if (!(err instanceof GatewayError)) return { kind: "network", message: String(err) };
  if (err.status === 429) return { kind: "rate_limited", retryAfterMs: Number(err.headers["retry-after"] ?? 30) * 1000 };
  if (err.status === 503) return { kind: "overloaded" };
  if (err.code === "upstream_auth_error" || err.code === "upstream_billing_error") return { kind: "auth", status: 401, message: err.message };
  if (err.code === "upstream_unreachable") return { kind: "network", message: err.message };
  if (err.status >= 500) return { kind: "server_error", status: err.status };
  return { kind: "ok" }; // a refusal of this request says nothing bad about the key
}
