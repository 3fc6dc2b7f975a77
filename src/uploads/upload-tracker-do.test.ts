import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SIMULATOR_DEMO_KEY } from "../config";
import type { AnthropicFiles } from "../platforms/anthropic/files";
import type { FilesAccess } from "../runtime/build-deps";
import { DurableUploadTracker } from "./durable-tracker";
import { uploadKeyHash, type UploadRecord } from "./tracker";
import type { UploadTrackerDO } from "./upload-tracker-do";

/**
 * The object builds its Files API access from its own env, as the Worker does: nothing in
 * this file sends a request to the Worker, so the isolate has never run the Worker's fetch
 * path, and nothing is handed to the object from outside. The test env (vitest.config.ts)
 * has UPSTREAM=simulator and no ANTHROPIC_API_KEYS, so each object answers from a
 * simulator of its own with the demo key; the tests reach that simulator through the
 * object (sweepTarget), inside it, and see what the sweep did through the Files API.
 */
const KEY = SIMULATOR_DEMO_KEY;
const HOUR = 3_600_000;
const ns = (env as unknown as { UPLOAD_TRACKER: DurableObjectNamespace<UploadTrackerDO> }).UPLOAD_TRACKER;
let seq = 0;

/** The object's private way to the Files API: read by tests only. */
type SweepSeam = { sweepTarget(): FilesAccess };

function rig() {
  const name = `test-${Date.now()}-${seq++}`;
  const stub = ns.get(ns.idFromName(name));
  /** Runs `use` inside the object with the Files API its own env configured. */
  const withFiles = <T,>(use: (files: AnthropicFiles, keys: readonly string[]) => Promise<T>) =>
    runInDurableObject(stub, (instance) => {
      const { files, keys } = (instance as unknown as SweepSeam).sweepTarget();
      return use(files, keys);
    });
  /** File ids in the key's workspace, as the (simulated) Files API lists them. */
  const listed = () => withFiles(async (files) => (await files.list(KEY, { limit: 1000 })).data.map((f) => f.id).sort());
  return { stub, withFiles, listed, tracker: new DurableUploadTracker(ns, name) };
}

async function uploaded(withFiles: ReturnType<typeof rig>["withFiles"], filename: string, owner: UploadRecord["owner"], lastUsedAt: number): Promise<UploadRecord> {
  const meta = await withFiles((files) => files.upload(KEY, new TextEncoder().encode(`content of ${filename}`), filename, "application/pdf"));
  return { fileId: meta.id, sha256: `sha-${filename}`, keyHash: await uploadKeyHash(KEY), owner, bytes: meta.size_bytes, filename, mimeType: "application/pdf", purpose: owner === "client" ? "assistants" : "", uploadedAt: lastUsedAt, lastUsedAt };
}

describe("UploadTrackerDO", () => {
  it("a fresh object, in an isolate that never served a Worker request, deletes expired uploads through the Files API its env configures", async () => {
    const { stub, withFiles, listed, tracker } = rig();
    // Its env's keys: the demo key in simulator mode without ANTHROPIC_API_KEYS (upstreamKeys).
    expect(await withFiles(async (_files, keys) => [...keys])).toEqual([KEY]);
    const expired = await uploaded(withFiles, "expired.pdf", "gateway", Date.now() - 2 * HOUR);
    const fresh = await uploaded(withFiles, "fresh.pdf", "gateway", Date.now());
    expect(await listed()).toEqual([expired.fileId, fresh.fileId].sort());
    // Recorded directly with an alarm an hour away: recording the expired file through the
    // object would set an alarm already due, which runs by itself and races the test.
    await runInDurableObject(stub, async (_instance, state) => {
      for (const r of [expired, fresh]) {
        state.storage.sql.exec(
          `INSERT INTO files (file_id, sha256, key_hash, owner, bytes, filename, mime_type, purpose, uploaded_at, last_used_at, tenant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')`,
          r.fileId, r.sha256, r.keyHash, r.owner, r.bytes, r.filename, r.mimeType, r.purpose, r.uploadedAt, r.lastUsedAt,
        );
      }
      await state.storage.setAlarm(Date.now() + HOUR);
    });
    expect((await tracker.pending()).map((r) => r.fileId).sort()).toEqual([expired.fileId, fresh.fileId].sort());
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await listed()).toEqual([fresh.fileId]);
    expect((await tracker.pending()).map((r) => r.fileId)).toEqual([fresh.fileId]);
  });

  it("stores records by content and key hash, never the key", async () => {
    const { withFiles, tracker } = rig();
    const rec = await uploaded(withFiles, "a.pdf", "gateway", Date.now());
    await tracker.record(rec);
    const hash = await uploadKeyHash(KEY);
    expect((await tracker.lookup(rec.sha256, hash))?.fileId).toBe(rec.fileId);
    expect(await tracker.lookup(rec.sha256, await uploadKeyHash("sk-ant-other"))).toBeUndefined();
    expect(JSON.stringify(await tracker.pending())).not.toContain(KEY);
    // Client files are not offered for reuse by content, but are listed.
    const mine = await uploaded(withFiles, "mine.pdf", "client", Date.now());
    await tracker.record(mine);
    expect(await tracker.lookup(mine.sha256, hash)).toBeUndefined();
    expect((await tracker.listClient()).map((r) => r.fileId)).toEqual([mine.fileId]);
    expect(await tracker.get(mine.fileId)).toEqual(mine);
    await tracker.forget(mine.fileId);
    expect(await tracker.get(mine.fileId)).toBeUndefined();
  });

  it("alarm deletes idle gateway files upstream and never client files", async () => {
    const { withFiles, listed, tracker, stub } = rig();
    const old = Date.now() - 2 * HOUR;
    const gateway = await uploaded(withFiles, "g.pdf", "gateway", old);
    const client = await uploaded(withFiles, "c.pdf", "client", old);
    const fresh = await uploaded(withFiles, "f.pdf", "gateway", Date.now());
    for (const r of [gateway, client, fresh]) await tracker.record(r);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await listed()).toEqual([client.fileId, fresh.fileId].sort());
    expect((await tracker.pending()).map((r) => r.fileId).sort()).toEqual([client.fileId, fresh.fileId].sort());
  });

  it("alarm sweeps a file whose request died after the upload, before its record", async () => {
    const { withFiles, listed, tracker, stub } = rig();
    const hash = await uploadKeyHash(KEY);
    await withFiles((files) => files.upload(KEY, new Uint8Array(5), "c2a-dead1.pdf", "application/pdf"));
    // Intents announced two hours ago, written directly so that no past-due alarm races
    // the test: one whose upload landed (above), one whose upload never did.
    await runInDurableObject(stub, async (_instance, state) => {
      const startedAt = Date.now() - 2 * HOUR;
      for (const id of ["dead1", "dead2"]) state.storage.sql.exec(`INSERT INTO intents VALUES (?, ?, ?, ?, ?, ?, ?)`, id, `sha-${id}`, hash, 5, `c2a-${id}.pdf`, "application/pdf", startedAt);
      await state.storage.setAlarm(Date.now() + HOUR);
    });
    expect(await listed()).toHaveLength(1);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await listed()).toEqual([]);
    expect(await stub.openIntents()).toEqual([]);
    expect(await tracker.pending()).toEqual([]);
  });

  it("touch keeps a file in use alive", async () => {
    const { withFiles, listed, tracker, stub } = rig();
    const rec = await uploaded(withFiles, "t.pdf", "gateway", Date.now() - 2 * HOUR);
    await tracker.record(rec);
    const waits: Promise<unknown>[] = [];
    tracker.touch([rec.fileId], { waitUntil: (p) => void waits.push(p) });
    await Promise.all(waits);
    await runDurableObjectAlarm(stub);
    expect(await listed()).toEqual([rec.fileId]);
  });
});
