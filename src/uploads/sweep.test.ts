import { describe, expect, it } from "vitest";
import { planSweep, runSweep, SWEEP_RETRY_MS, type SweepIO, type SweepPolicy } from "./sweep";
import type { UploadIntent, UploadRecord } from "./tracker";

const HOUR = 3_600_000;
const now = 10 * HOUR;
const policy: SweepPolicy = { now, idleMs: HOUR, chatDelete: true, intentGraceMs: 15 * 60_000 };

function rec(fileId: string, owner: UploadRecord["owner"], lastUsedAt: number): UploadRecord {
  return { fileId, sha256: "s", keyHash: "k", owner, bytes: 1, filename: "f", mimeType: "application/pdf", purpose: "", uploadedAt: lastUsedAt, lastUsedAt };
}
function intent(intentId: string, startedAt: number): UploadIntent {
  return { intentId, sha256: "s", keyHash: "k", bytes: 1, filename: `c2a-${intentId}.pdf`, mimeType: "application/pdf", startedAt };
}
const silent = { info() {}, warn() {}, error() {} };

describe("planSweep", () => {
  it("expires idle gateway files and schedules the next one", () => {
    const plan = planSweep([rec("old", "gateway", now - 2 * HOUR), rec("fresh", "gateway", now - HOUR / 2)], [], policy);
    expect(plan.expiredFiles.map((f) => f.fileId)).toEqual(["old"]);
    expect(plan.nextAt).toBe(now + HOUR / 2);
  });

  it("never expires client files, whatever their age", () => {
    const plan = planSweep([rec("mine", "client", 0)], [], policy);
    expect(plan.expiredFiles).toEqual([]);
    expect(plan.nextAt).toBeNull();
  });

  it("keeps every gateway file with CHAT_DELETE off, but still resolves abandoned intents", () => {
    const plan = planSweep([rec("old", "gateway", 0)], [intent("i1", now - HOUR)], { ...policy, chatDelete: false });
    expect(plan.expiredFiles).toEqual([]);
    expect(plan.dueIntents.map((i) => i.intentId)).toEqual(["i1"]);
  });

  it("leaves a young intent alone: its request may still be uploading", () => {
    const plan = planSweep([], [intent("i1", now - 60_000)], policy);
    expect(plan.dueIntents).toEqual([]);
    expect(plan.nextAt).toBe(now - 60_000 + policy.intentGraceMs);
  });
});

describe("runSweep", () => {
  function memoryStore(files: UploadRecord[], intents: UploadIntent[]) {
    const f = new Map(files.map((r) => [r.fileId, r]));
    const i = new Map(intents.map((r) => [r.intentId, r]));
    return {
      f, i,
      store: {
        files: () => [...f.values()],
        intents: () => [...i.values()],
        record: (r: UploadRecord, id?: string) => void (f.set(r.fileId, r), id && i.delete(id)),
        cancel: (id: string) => void i.delete(id),
        forget: (id: string) => void f.delete(id),
      },
    };
  }

  it("deletes expired files, turns a landed intent into a record and drops one that never landed", async () => {
    const { f, i, store } = memoryStore([rec("old", "gateway", 0), rec("client", "client", 0)], [intent("landed", 0), intent("lost", 0)]);
    const deletedUpstream: string[] = [];
    const io: SweepIO = {
      deleteFile: async (_k, id) => (deletedUpstream.push(id), "deleted"),
      findByFilename: async (_k, name) => (name === "c2a-landed.pdf" ? "file_landed" : undefined),
    };
    const result = await runSweep(store, io, policy, silent);
    // The landed file's last use is its intent's start, long ago: swept in the same pass.
    expect(deletedUpstream.sort()).toEqual(["file_landed", "old"]);
    expect([...f.keys()]).toEqual(["client"]);
    expect(i.size).toBe(0);
    expect(result).toEqual({ deleted: expect.arrayContaining(["old", "file_landed"]), failed: 0, nextAt: null });
  });

  it("keeps a file whose delete failed and retries later", async () => {
    const { f, store } = memoryStore([rec("old", "gateway", 0)], []);
    const io: SweepIO = { deleteFile: async () => { throw new Error("503"); }, findByFilename: async () => undefined };
    const result = await runSweep(store, io, policy, silent);
    expect([...f.keys()]).toEqual(["old"]);
    expect(result.failed).toBe(1);
    expect(result.nextAt).toBe(now + SWEEP_RETRY_MS);
  });

  it("drops the record of a key that is no longer configured", async () => {
    const { f, store } = memoryStore([rec("old", "gateway", 0)], []);
    const io: SweepIO = { deleteFile: async () => "no_key", findByFilename: async () => "no_key" };
    const result = await runSweep(store, io, policy, silent);
    expect(f.size).toBe(0);
    expect(result.deleted).toEqual([]);
  });
});
