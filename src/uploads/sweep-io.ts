import type { AnthropicFiles } from "../platforms/anthropic/files";
import type { SweepIO } from "./sweep";
import { uploadKeyHash } from "./tracker";

/** Pages of the workspace listing searched for an abandoned upload; bounds one sweep's cost. */
const MAX_LIST_PAGES = 20;

/** SweepIO over the Files API, with keys resolved from their hashes. */
export function filesSweepIO(files: AnthropicFiles, keys: readonly string[]): SweepIO {
  let byHash: Promise<Map<string, string>> | undefined;
  const keyFor = async (hash: string) => {
    byHash ??= Promise.all(keys.map(async (k) => [await uploadKeyHash(k), k] as const)).then((pairs) => new Map(pairs));
    return (await byHash).get(hash);
  };
  return {
    async deleteFile(hash, fileId) {
      const key = await keyFor(hash);
      if (!key) return "no_key";
      await files.delete(key, fileId);
      return "deleted";
    },
    async findByFilename(hash, filename) {
      const key = await keyFor(hash);
      if (!key) return "no_key";
      let after: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const list = await files.list(key, { limit: 1000, ...(after ? { after } : {}) });
        const hit = list.data.find((f) => f.filename === filename);
        if (hit) return hit.id;
        if (!list.next) return undefined;
        after = list.next;
      }
      return undefined;
    },
  };
}
