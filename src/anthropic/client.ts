import type { Config } from "../config";
import type { Upstream } from "../upstream";

/**
 * Builds requests to the Anthropic API. `anthropic-version` defaults to 2023-06-01
 * because that version still accepts sampling parameters (2026-10-21 rejects them).
 */
export interface UpstreamTarget {
  upstream: Upstream;
  baseUrl: string;
  version: Config["ANTHROPIC_VERSION"];
}

export function anthropicHeaders(key: string, version: string, betas: readonly string[] = []): Headers {
  const h = new Headers({ "x-api-key": key, "anthropic-version": version, "content-type": "application/json" });
  if (betas.length) h.set("anthropic-beta", [...new Set(betas)].join(","));
  return h;
}

export function upstreamUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, "") + path;
}

export function postJson(target: UpstreamTarget, path: string, key: string, body: string, signal: AbortSignal, betas: readonly string[] = []): Promise<Response> {
  return target.upstream(
    new Request(upstreamUrl(target.baseUrl, path), { method: "POST", headers: anthropicHeaders(key, target.version, betas), body, signal }),
  );
}

export function getJson(target: UpstreamTarget, path: string, key: string, signal?: AbortSignal): Promise<Response> {
  const headers = anthropicHeaders(key, target.version);
  headers.delete("content-type");
  return target.upstream(new Request(upstreamUrl(target.baseUrl, path), { method: "GET", headers, signal }));
}
