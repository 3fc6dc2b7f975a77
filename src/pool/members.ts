import { regionsOf, type Config } from "../config";
import type { PlatformName } from "../platforms/anthropic-shaped";
import type { PlatformAdapter } from "../platforms/adapter";
import { createBedrockAdapter } from "../platforms/bedrock/adapter";
import type { Upstream } from "../platforms/upstream";
import { createVertexAdapter } from "../platforms/vertex/adapter";

/**
 * The pool's members that are not Anthropic keys: a Bedrock account and a Vertex project,
 * one member per region configured for each.
 * Each has a member id that is safe to show (`bedrock:eu-west-1`, `vertex:my-project@global`:
 * no secret in it), under which the key pool keeps its health exactly as for a key.
 */
export const MEMBER_PREFIXES = ["bedrock:", "vertex:"] as const;

export function isPlatformMember(id: string): boolean {
  return id.startsWith("bedrock:") || id.startsWith("vertex:");
}

export function platformOfMember(id: string): PlatformName {
  return id.startsWith("bedrock:") ? "bedrock" : id.startsWith("vertex:") ? "vertex" : "anthropic";
}

export class PlatformMembers {
  readonly #byId = new Map<string, PlatformAdapter>();

  add(id: string, adapter: PlatformAdapter): void {
    this.#byId.set(id, adapter);
  }

  get(id: string): PlatformAdapter | undefined {
    return this.#byId.get(id);
  }

  ids(): string[] {
    return [...this.#byId.keys()];
  }

  get size(): number {
    return this.#byId.size;
  }

  adapters(): PlatformAdapter[] {
    return [...this.#byId.values()];
  }
}

/** The members the configuration names; `transport` is the gateway's upstream (fetch, node:http or the simulator). */
export function platformMembers(config: Config, transport: Upstream): PlatformMembers {
  const members = new PlatformMembers();
  if (config.BEDROCK_REGION && (config.BEDROCK_API_KEY || (config.BEDROCK_ACCESS_KEY_ID && config.BEDROCK_SECRET_ACCESS_KEY))) {
    const credentials =
      config.BEDROCK_ACCESS_KEY_ID && config.BEDROCK_SECRET_ACCESS_KEY
        ? { kind: "sigv4" as const, accessKeyId: config.BEDROCK_ACCESS_KEY_ID, secretAccessKey: config.BEDROCK_SECRET_ACCESS_KEY, sessionToken: config.BEDROCK_SESSION_TOKEN }
        : { kind: "api_key" as const, apiKey: config.BEDROCK_API_KEY! };
    for (const region of regionsOf(config.BEDROCK_REGION)) {
      members.add(
        `bedrock:${region}`,
        createBedrockAdapter({ region, credentials, baseUrl: config.BEDROCK_BASE_URL, modelPrefix: config.BEDROCK_MODEL_PREFIX, modelMap: config.MODEL_MAP }, transport),
      );
    }
  }
  const account = config.VERTEX_SERVICE_ACCOUNT;
  if (account) {
    const project = config.VERTEX_PROJECT_ID ?? account.project_id!;
    for (const region of regionsOf(config.VERTEX_REGION)) {
      members.add(`vertex:${project}@${region}`, createVertexAdapter({ account, project, region, baseUrl: config.VERTEX_BASE_URL, modelMap: config.MODEL_MAP }, transport));
    }
  }
  return members;
}
