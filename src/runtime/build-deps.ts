import type { Config } from "../config";
import type { GatewayDeps, KeyPool, Logger, ModelCatalog, ThinkingStore, UploadTracker } from "../deps";
import { fetchUpstream, type Upstream } from "../platforms/upstream";
import { getJson } from "../platforms/anthropic/client";
import { AnthropicFiles } from "../platforms/anthropic/files";
import { CachedModelCatalog } from "../models/catalog";
import { IsolateKeyPool } from "../pool/isolate-pool";
import { MemoryKeyStateStore, type KeyStateStore } from "../pool/store";
import { ClaudeSimulator } from "../simulator";
import { TieredThinkingStore, type BlobCache } from "../thinking/store";
import { MemoryUploadTracker } from "../uploads/memory-tracker";
import { filesSweepIO } from "../uploads/sweep-io";
import { createConsoleLogger } from "../log";
import { upstreamKeys } from "../config";
import { PriceTable } from "../tenancy/prices";
import { Tenancy } from "../tenancy/tenancy";
import type { ClientKeyStore } from "../tenancy/store";
import { platformMembers } from "../pool/members";
import { offeredModels } from "../platforms/catalog";
import { simulatedPlatforms } from "../platforms/simulated";

/**
 * The runtime-specific parts: on Workers the shared state lives in Durable Objects and
 * the Cache API; on Node (and in tests) in process memory. Everything else is built
 * the same way everywhere, so no code path exists only for one runtime or for tests.
 */
export interface RuntimeParts {
  /** The transport to the Anthropic API; default global fetch (or a simulator in simulator mode). */
  upstream?: Upstream;
  keyStore?: KeyStateStore;
  uploads?: (files: AnthropicFiles, keys: readonly string[], log: Logger) => UploadTracker;
  thinkingCache?: BlobCache;
  log?: Logger;
  /** Managed client keys and usage: ClientKeysDO on Workers, node:sqlite on Node. */
  clientKeys?: ClientKeyStore;
  /** How long usage waits in the isolate to be written with others (tests: 0). */
  usageFlushDelayMs?: number;
}

/**
 * The transport to the Anthropic API for this configuration: the runtime's own when it
 * has one (Node's keep-alive agents), else the built-in simulator in simulator mode, else
 * global fetch. In simulator mode every caller gets a simulator of its own: the Worker's
 * isolate one, the UploadTrackerDO another (see filesAccess).
 */
export function upstreamFor(config: Config, given?: Upstream): Upstream {
  if (given) return given;
  return config.UPSTREAM === "simulator" ? new ClaudeSimulator({ streamDelayMs: 20, maxReceived: 100, ...simulatedPlatforms(config) }).fetch : fetchUpstream;
}

/** The Files API as this configuration reaches it, and the keys whose workspaces hold the gateway's uploads. */
export interface FilesAccess {
  files: AnthropicFiles;
  keys: readonly string[];
}

/**
 * What sweeping uploads needs, built from the configuration alone. The Worker's deps use
 * it, and so does the UploadTrackerDO for its alarm: a Durable Object usually runs in an
 * isolate that never served a Worker request, so it builds its own from its env rather
 * than borrow the Worker's.
 */
export function filesAccess(config: Config, upstream: Upstream = upstreamFor(config)): FilesAccess {
  return { files: new AnthropicFiles({ upstream, baseUrl: config.ANTHROPIC_BASE_URL, version: config.ANTHROPIC_VERSION }), keys: upstreamKeys(config) };
}

export function buildDeps(config: Config, parts: RuntimeParts = {}): GatewayDeps {
  const log = parts.log ?? createConsoleLogger();
  const upstream = upstreamFor(config, parts.upstream);
  const members = platformMembers(config, upstream);
  const { files, keys } = filesAccess(config, upstream);
  const target = { upstream, baseUrl: config.ANTHROPIC_BASE_URL, version: config.ANTHROPIC_VERSION };

  const keyPool: KeyPool = new IsolateKeyPool({ keys: [...keys, ...members.ids()], store: parts.keyStore ?? new MemoryKeyStateStore(), log });
  const catalog: ModelCatalog = new CachedModelCatalog(() => fetchModelList(target, keys, log), config.MODELS_CACHE_SECONDS * 1000);
  // Without an Anthropic key, /v1/models lists what the configured platforms offer.
  const models = keys.length ? catalog : offeredModels(catalog, members);
  const thinking: ThinkingStore = new TieredThinkingStore(parts.thinkingCache);
  const uploads: UploadTracker =
    parts.uploads?.(files, keys, log) ??
    new MemoryUploadTracker({ chatDelete: config.CHAT_DELETE, idleSeconds: config.FILE_IDLE_SECONDS, io: filesSweepIO(files, keys), log });

  const tenancy = parts.clientKeys
    ? new Tenancy({ store: parts.clientKeys, staticKeys: config.APIKEY, prices: PriceTable.withOverrides(config.PRICES), log, flushDelayMs: parts.usageFlushDelayMs })
    : undefined;

  return { config, upstream, keyPool, members, models, thinking, uploads, log, tenancy };
}

/**
 * The upstream's model list, all pages, with whichever key is healthy. Undefined when
 * there is no key or the upstream has no models endpoint (the built-in table is used).
 */
async function fetchModelList(target: Parameters<typeof getJson>[0], keys: readonly string[], log: Logger): Promise<unknown[] | undefined> {
  const key = keys[Math.floor(Math.random() * keys.length)];
  if (!key) return undefined;
  const data: unknown[] = [];
  let after: string | undefined;
  for (let page = 0; page < 10; page++) {
    const res = await getJson(target, `/v1/models?limit=1000${after ? `&after_id=${encodeURIComponent(after)}` : ""}`, key, AbortSignal.timeout(10_000));
    if (!res.ok) {
      log.warn("models_list_unavailable", { status: res.status, note: "using the built-in model table" });
      await res.body?.cancel();
      return undefined;
    }
    const body = (await res.json()) as { data?: unknown[]; has_more?: boolean; last_id?: string };
    data.push(...(body.data ?? []));
    if (!body.has_more || !body.last_id) break;
    after = body.last_id;
  }
  return data;
}