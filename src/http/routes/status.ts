import type { Hono } from "hono";
import type { GatewayEnv } from "../app-env";
import type { KeyStatus, UploadRecord } from "../../deps";
import { GatewayError, invalidRequest } from "../../errors";
import { redactSecrets } from "../../log";

interface PendingUpload {
  fileId: string;
  filename: string;
  owner: string;
  bytes: number;
  uploadedAt: string;
  lastUsedAt: string;
}

interface StatusView {
  generatedAt: string;
  keys: KeyStatus[];
  uploads: { pending: PendingUpload[]; error: string | null };
}

/**
 * GET /status: the operator's view of the upstream keys and of uploads awaiting
 * cleanup. JSON for machines, a small HTML page for people. Behind client auth, and
 * still nothing secret on it: keys appear by their last four characters only.
 */
export function registerStatus(app: Hono<GatewayEnv>): void {
  app.get("/status", async (c) => {
    const deps = c.get("deps");
    const view = await buildView(await deps.keyPool.status(), () => deps.uploads.pending());
    const wantsJson = c.req.query("format") === "json" || !(c.req.header("accept") ?? "").includes("text/html");
    const headers = { "cache-control": "no-store" };
    return wantsJson ? c.json(view, 200, headers) : c.html(renderHtml(view), 200, headers);
  });

  // For a key the operator fixed (billing, permissions) rather than replaced: a replaced
  // key is a new key and starts healthy anyway.
  app.post("/status/keys/:last4/enable", async (c) => {
    const { keyPool } = c.get("deps");
    const last4 = c.req.param("last4").replace(/^…/, "");
    if (!/^[A-Za-z0-9_-]{4}$/.test(last4)) throw invalidRequest("Name the key by its last four characters, as GET /status shows them.", "last4");
    if (!keyPool.enable) throw new GatewayError(404, "This gateway's key pool cannot re-enable keys.", "not_found_error");
    const enabled = await keyPool.enable(last4);
    if (enabled === 0) throw new GatewayError(404, `No upstream key ends in ${last4}.`, "not_found_error", "last4", "key_not_found");
    return c.json({ enabled, keys: await keyPool.status() });
  });
}

async function buildView(keys: KeyStatus[], pending: () => Promise<UploadRecord[]>): Promise<StatusView> {
  let uploads: StatusView["uploads"];
  try {
    uploads = {
      pending: (await pending()).map((u) => ({
        // Field by field: the record also holds the owning key's hash, which has no place here.
        fileId: u.fileId,
        filename: u.filename,
        owner: u.owner,
        bytes: u.bytes,
        uploadedAt: new Date(u.uploadedAt).toISOString(),
        lastUsedAt: new Date(u.lastUsedAt).toISOString(),
      })),
      error: null,
    };
  } catch (err) {
    uploads = { pending: [], error: redactSecrets(`upload tracker unavailable: ${err instanceof Error ? err.message : String(err)}`) };
  }
  return { generatedAt: new Date().toISOString(), keys, uploads };
}

const esc = (v: unknown): string =>
  String(v ?? "—").replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

function renderHtml(v: StatusView): string {
  const healthy = v.keys.filter((k) => k.state === "healthy").length;
  const keyRows = v.keys
    .map(
      (k) => `<tr class="${esc(k.state)}"><td><code>${esc(k.key)}</code></td><td>${esc(k.state)}</td><td>${esc(k.cooldownUntil)}</td>` +
        `<td>${k.requests}</td><td>${k.failures}</td><td>${k.inFlight}</td><td>${esc(k.lastError)}</td>` +
        `<td>${esc(k.disabledReason)}${k.disabledAt ? ` <small>(${esc(k.disabledAt)})</small>` : ""}</td></tr>`,
    )
    .join("\n");
  const uploadRows = v.uploads.pending
    .map((u) => `<tr><td><code>${esc(u.fileId)}</code></td><td>${esc(u.filename)}</td><td>${esc(u.owner)}</td><td>${u.bytes}</td><td>${esc(u.uploadedAt)}</td><td>${esc(u.lastUsedAt)}</td></tr>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>claude2api status</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:1rem 0}
td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#f4f4f4}
tr.cooling td:nth-child(2){color:#a60}tr.disabled td:nth-child(2){color:#b00;font-weight:bold}tr.healthy td:nth-child(2){color:#070}
</style></head><body>
<h1>claude2api status</h1>
<p>${healthy} of ${v.keys.length} upstream keys healthy · generated ${esc(v.generatedAt)} · <a href="?format=json">JSON</a></p>
<h2>Upstream keys</h2>
${v.keys.length === 0 ? "<p>No upstream keys configured (ANTHROPIC_API_KEYS).</p>" : `<table><thead><tr><th>key</th><th>state</th><th>cooling until</th><th>requests</th><th>failures</th><th>in flight (this isolate)</th><th>last error</th><th>disabled because</th></tr></thead><tbody>
${keyRows}
</tbody></table>
<p><small>Disabled keys stay out of rotation until the key is replaced in ANTHROPIC_API_KEYS, or, once fixed, re-enabled with
<code>curl -X POST -H "Authorization: Bearer $APIKEY" https://&lt;gateway&gt;/status/keys/&lt;last four&gt;/enable</code>.</small></p>`}
<h2>Uploads awaiting cleanup</h2>
${v.uploads.error ? `<p>${esc(v.uploads.error)}</p>` : v.uploads.pending.length === 0 ? "<p>None.</p>" : `<table><thead><tr><th>file</th><th>name</th><th>uploaded by</th><th>bytes</th><th>uploaded</th><th>last used</th></tr></thead><tbody>
${uploadRows}
</tbody></table>`}
</body></html>`;
}
