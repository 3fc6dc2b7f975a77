import type { ModelCatalog } from "../deps";
import type { PlatformMembers } from "../pool/members";

/**
 * The model catalog of a gateway whose pool has only Bedrock and Vertex members (no
 * Anthropic key to ask GET /v1/models): the built-in table, narrowed to what at least one
 * configured platform offers.
 */
export function offeredModels(inner: ModelCatalog, members: PlatformMembers): ModelCatalog {
  const offered = (id: string) => members.adapters().some((a) => a.offers(id));
  return {
    list: async () => (await inner.list()).filter((m) => offered(m.id)),
    get: async (id) => {
      const profile = await inner.get(id);
      return profile && offered(profile.id) ? profile : undefined;
    },
  };
}
