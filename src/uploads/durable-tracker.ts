import type { RequestScope } from "../deps";
import type { UploadTrackerDO } from "./upload-tracker-do";
import type { UploadIntent, UploadRecord, UploadTracker } from "./tracker";

/** The name of the one tracker object: uploads are rare enough that one suffices. */
export const UPLOAD_TRACKER_NAME = "global";

/** UploadTracker backed by the UploadTrackerDO (binding UPLOAD_TRACKER). */
export class DurableUploadTracker implements UploadTracker {
  private readonly stub: DurableObjectStub<UploadTrackerDO>;

  constructor(namespace: DurableObjectNamespace<UploadTrackerDO>, name = UPLOAD_TRACKER_NAME) {
    this.stub = namespace.get(namespace.idFromName(name));
  }

  async lookup(sha256: string, keyHash: string): Promise<UploadRecord | undefined> {
    return (await this.stub.lookup(sha256, keyHash)) ?? undefined;
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
