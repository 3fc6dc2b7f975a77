import type { Config } from "../../config";
import type { Upstream, UpstreamResponse } from "../upstream";

/**
 * Builds requests to the Anthropic API. `anthropic-version` defaults to 2023-06-01
 * because that version still accepts sampling parameters (2026-10-21 rejects them).
 */
export interface UpstreamTarget {
  upstream: Upstream;
  baseUrl: string;
  version: Config["ANTHROPIC_VERSION"];
}

export function anthropicHeaders(key: string, version: string, betas: readonly string[] = []): Record<string, string> {
  const h: Record<string, string> = { "x-api-key": key, "anthropic-version": version, "content-type": "application/json" };
  if (betas.length) h["anthropic-beta"] = [...new Set(betas)].join(",");
  return h;
}

export function upstreamUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, "") + path;
}

export function postJson(target: UpstreamTarget, path: string, key: string, body: string, signal: AbortSignal, betas: readonly string[] = []): Promise<UpstreamResponse> {
  return target.upstream(upstreamUrl(target.baseUrl, path), { method: "POST", headers: anthropicHeaders(key, target.version, betas), body, signal });
}

export function getJson(target: UpstreamTarget, path: string, key: string, signal?: AbortSignal): Promise<UpstreamResponse> {
  const headers = anthropicHeaders(key, target.version);
  delete headers["content-type"];
  return target.upstream(upstreamUrl(target.baseUrl, path), { method: "GET", headers, signal });
}
