import type { RequestScope } from "../deps";
import type { UploadTrackerDO } from "./upload-tracker-do";
import type { UploadIntent, UploadRecord, UploadTracker } from "./tracker";

/** The name of the one tracker object: uploads are rare enough that one suffices. */
export const UPLOAD_TRACKER_NAME = "global";

/**
 * UploadTracker backed by the UploadTrackerDO (binding UPLOAD_TRACKER). The tracker
 * lives as long as the isolate, but a Durable Object stub belongs to the request that
 * created it ("Cannot perform I/O on behalf of a different request"), so every call
 * takes a fresh stub.
 */
export class DurableUploadTracker implements UploadTracker {
  constructor(
    private readonly namespace: DurableObjectNamespace<UploadTrackerDO>,
    private readonly name = UPLOAD_TRACKER_NAME,
  ) {}

  private get stub(): DurableObjectStub<UploadTrackerDO> {
    return this.namespace.get(this.namespace.idFromName(this.name));
  }

  async lookup(sha256: string, keyHash: string, tenant?: string): Promise<UploadRecord | undefined> {
    return (await this.stub.lookup(sha256, keyHash, tenant)) ?? undefined;
  }
  async begin(intent: UploadIntent): Promise<void> {
    await this.stub.begin(intent);
  }
  async record(rec: UploadRecord, intentId?: string): Promise<void> {
    await this.stub.record(rec, intentId);
  }
  async cancel(intentId: string): Promise<void> {
    await this.stub.cancel(intentId);
  }
  touch(fileIds: string[], scope: Pick<RequestScope, "waitUntil">): void {
    if (fileIds.length) scope.waitUntil(this.stub.touch(fileIds));
  }
  async get(fileId: string): Promise<UploadRecord | undefined> {
    return (await this.stub.get(fileId)) ?? undefined;
  }
  async listClient(): Promise<UploadRecord[]> {
    return await this.stub.listClient();
  }
  async forget(fileId: string): Promise<void> {
    await this.stub.forget(fileId);
  }
  async pending(): Promise<UploadRecord[]> {
    return await this.stub.pending();
  }
}
