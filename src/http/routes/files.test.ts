import { describe, expect, it } from "vitest";
import { startGateway, UPSTREAM_KEYS } from "../../../test/helpers/gateway";
import type { MemoryUploadTracker } from "../../uploads/memory-tracker";
import { resolveClientFile } from "../../uploads/client-files";

const PDF = new TextEncoder().encode("%PDF-1.4\nclient upload\n%%EOF");

function uploadForm(purpose = "assistants", name = "notes.pdf", type = "application/pdf") {
  const form = new FormData();
  form.append("file", new File([PDF], name, { type }));
  form.append("purpose", purpose);
  return form;
}

async function upload(gw: ReturnType<typeof startGateway>, base = "/v1") {
  const res = await gw.fetch(`${base}/files`, { method: "POST", headers: { authorization: gw.auth().authorization }, body: uploadForm() });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string; object: string; bytes: number; filename: string; purpose: string; status: string; created_at: number };
}

describe("/v1/files", () => {
  it("uploads to Anthropic and answers an OpenAI FileObject", async () => {
    const gw = startGateway();
    const file = await upload(gw);
    expect(file).toMatchObject({ object: "file", bytes: PDF.byteLength, filename: "notes.pdf", purpose: "assistants", status: "processed" });
    expect(typeof file.created_at).toBe("number");
    const stored = gw.sim.files.get(file.id);
    expect(stored?.bytes).toEqual(PDF);
    expect(UPSTREAM_KEYS).toContain(stored?.apiKey);
    const sent = gw.sim.received.find((r) => r.path === "/v1/files")!;
    expect(sent.headers.get("anthropic-beta")).toBe("files-api-2025-04-14");
  });

  it("lists, gets and deletes, also under /hf/v1", async () => {
    const gw = startGateway();
    const a = await upload(gw);
    const b = await upload(gw, "/hf/v1");
    const list = (await (await gw.fetch("/v1/files", { headers: gw.auth() })).json()) as { object: string; data: { id: string }[] };
    expect(list.object).toBe("list");
    expect(list.data.map((f) => f.id).sort()).toEqual([a.id, b.id].sort());
    expect(((await (await gw.fetch(`/v1/files/${a.id}`, { headers: gw.auth() })).json()) as { id: string }).id).toBe(a.id);

    const del = await gw.fetch(`/v1/files/${a.id}`, { method: "DELETE", headers: gw.auth() });
    expect(await del.json()).toEqual({ id: a.id, object: "file", deleted: true });
    expect(gw.sim.files.has(a.id)).toBe(false);
    const gone = await gw.fetch(`/v1/files/${a.id}`, { headers: gw.auth() });
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { type: string } }).error.type).toBe("not_found_error");
  });

  it("rejects a body without a file part with a 400 naming it, before any upstream call", async () => {
    const gw = startGateway();
    const form = new FormData();
    form.append("purpose", "assistants");
    const res = await gw.fetch("/v1/files", { method: "POST", headers: { authorization: gw.auth().authorization }, body: form });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe("file");
    expect(gw.sim.received).toHaveLength(0);
  });

  it("resolves a client file to the key that holds it, and unknown ids to nothing", async () => {
    const gw = startGateway();
    const file = await upload(gw);
    const resolved = await resolveClientFile(file.id, gw.deps);
    expect(resolved).toMatchObject({ anthropicFileId: file.id, key: gw.sim.files.get(file.id)!.apiKey, mimeType: "application/pdf", filename: "notes.pdf" });
    expect(await resolveClientFile("file-unknown", gw.deps)).toBeUndefined();
  });

  it("never sweeps client files, whatever their age and CHAT_DELETE", async () => {
    const gw = startGateway({ CHAT_DELETE: "true", FILE_IDLE_SECONDS: "1" });
    const file = await upload(gw);
    await (gw.deps.uploads as MemoryUploadTracker).sweep(Date.now() + 365 * 24 * 3600_000);
    expect(gw.sim.files.has(file.id)).toBe(true);
    expect((await gw.deps.uploads.listClient()).map((r) => r.fileId)).toEqual([file.id]);
  });
});
