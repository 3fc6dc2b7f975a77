import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { AnthropicFiles } from "../platforms/anthropic/files";
import { ClaudeSimulator } from "../simulator";
import { DurableUploadTracker } from "./durable-tracker";
import { uploadKeyHash, type UploadRecord } from "./tracker";
import { setUploadTrackerHooks, type UploadTrackerDO } from "./upload-tracker-do";

const KEY = "sk-ant-do-test-key-1234";
const HOUR = 3_600_000;
const ns = (env as unknown as { UPLOAD_TRACKER: DurableObjectNamespace<UploadTrackerDO> }).UPLOAD_TRACKER;
let seq = 0;

function rig() {
  const sim = new ClaudeSimulator({ apiKeys: [KEY] });
  setUploadTrackerHooks({ upstream: sim.fetch, keys: () => [KEY] });
  const name = `test-${Date.now()}-${seq++}`;
  const files = new AnthropicFiles({ upstream: sim.fetch, baseUrl: "https://api.anthropic.test", version: "2023-06-01" });
  return { sim, files, tracker: new DurableUploadTracker(ns, name), stub: ns.get(ns.idFromName(name)) };
}

afterEach(() => setUploadTrackerHooks({}));

async function uploaded(files: AnthropicFiles, filename: string, owner: UploadRecord["owner"], lastUsedAt: number): Promise<UploadRecord> {
  const meta = await files.upload(KEY, new TextEncoder().encode(`content of ${filename}`), filename, "application/pdf");
  return { fileId: meta.id, sha256: `sha-${filename}`, keyHash: await uploadKeyHash(KEY), owner, bytes: meta.size_bytes, filename, mimeType: "application/pdf", purpose: owner === "client" ? "assistants" : "", uploadedAt: lastUsedAt, lastUsedAt };
}

describe("UploadTrackerDO", () => {
  it("stores records by content and key hash, never the key", async () => {
    const { files, tracker } = rig();
    const rec = await uploaded(files, "a.pdf", "gateway", Date.now());
    await tracker.record(rec);
    const hash = await uploadKeyHash(KEY);
    expect((await tracker.lookup(rec.sha256, hash))?.fileId).toBe(rec.fileId);
    expect(await tracker.lookup(rec.sha256, await uploadKeyHash("sk-ant-other"))).toBeUndefined();
    expect(JSON.stringify(await tracker.pending())).not.toContain(KEY);
    // Client files are not offered for reuse by content, but are listed.
    const mine = await uploaded(files, "mine.pdf", "client", Date.now());
    await tracker.record(mine);
    expect(await tracker.lookup(mine.sha256, hash)).toBeUndefined();
    expect((await tracker.listClient()).map((r) => r.fileId)).toEqual([mine.fileId]);
    expect(await tracker.get(mine.fileId)).toEqual(mine);
    await tracker.forget(mine.fileId);
    expect(await tracker.get(mine.fileId)).toBeUndefined();
  });

  it("alarm deletes idle gateway files upstream and never client files", async () => {
    const { sim, files, tracker, stub } = rig();
    const old = Date.now() - 2 * HOUR;
    const gateway = await uploaded(files, "g.pdf", "gateway", old);
    const client = await uploaded(files, "c.pdf", "client", old);
    const fresh = await uploaded(files, "f.pdf", "gateway", Date.now());
    for (const r of [gateway, client, fresh]) await tracker.record(r);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect([...sim.files.keys()].sort()).toEqual([client.fileId, fresh.fileId].sort());
    expect((await tracker.pending()).map((r) => r.fileId).sort()).toEqual([client.fileId, fresh.fileId].sort());
  });

  it("alarm sweeps a file whose request died after the upload, before its record", async () => {
    const { sim, files, tracker, stub } = rig();
    const hash = await uploadKeyHash(KEY);
    await files.upload(KEY, new Uint8Array(5), "c2a-dead1.pdf", "application/pdf");
    // Intents announced two hours ago, written directly so that no past-due alarm races
    // the test: one whose upload landed (above), one whose upload never did.
    await runInDurableObject(stub, async (_instance, state) => {
      const startedAt = Date.now() - 2 * HOUR;
      for (const id of ["dead1", "dead2"]) state.storage.sql.exec(`INSERT INTO intents VALUES (?, ?, ?, ?, ?, ?, ?)`, id, `sha-${id}`, hash, 5, `c2a-${id}.pdf`, "application/pdf", startedAt);
      await state.storage.setAlarm(Date.now() + HOUR);
    });
    expect(sim.files.size).toBe(1);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(sim.files.size).toBe(0);
    expect(await stub.openIntents()).toEqual([]);
    expect(await tracker.pending()).toEqual([]);
  });

  it("touch keeps a file in use alive", async () => {
    const { sim, files, tracker, stub } = rig();
    const rec = await uploaded(files, "t.pdf", "gateway", Date.now() - 2 * HOUR);
    await tracker.record(rec);
    const waits: Promise<unknown>[] = [];
    tracker.touch([rec.fileId], { waitUntil: (p) => void waits.push(p) });
    await Promise.all(waits);
    await runDurableObjectAlarm(stub);
    expect(sim.files.has(rec.fileId)).toBe(true);
  });
});
