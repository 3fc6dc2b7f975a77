/**
 * The outbound proxy, runtime-neutral: which proxy each upstream scheme uses (from config),
 * how it may appear in a log line, and why a Worker refuses one. The Node transport
 * (src/runtime/node-upstream.ts) is what sends through it; every upstream call on Node
 * goes through that transport, so every platform (Anthropic, and any that uses the
 * gateway's Upstream function) gets the proxy without code of its own.
 */
import type { Config } from "../config";

export interface OutboundProxy {
  /** Proxy for https upstreams (HTTP CONNECT tunnel); full URL, credentials included. */
  https?: string;
  /** Proxy for http upstreams (absolute-form requests); full URL, credentials included. */
  http?: string;
  /** Hosts that bypass the proxy: comma-separated, as curl and Node read NO_PROXY. */
  noProxy?: string;
}

type ProxySettings = Pick<Config, "HTTPS_PROXY" | "HTTP_PROXY" | "PROXY" | "NO_PROXY">;

/** The proxy in force, or undefined when none is set. PROXY (the seed's name) fills both schemes. */
export function outboundProxy(config: ProxySettings): OutboundProxy | undefined {
  const https = config.HTTPS_PROXY ?? config.PROXY;
  const http = config.HTTP_PROXY ?? config.PROXY;
  if (!https && !http) return undefined;
  return { https, http, noProxy: config.NO_PROXY };
}

/** A proxy URL as it may be logged: scheme://host:port, never the user or password. */
export function describeProxyUrl(href: string): string {
  const url = new URL(href);
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `${url.protocol}//${url.hostname}:${port}`;
}

/** The proxy for a start-up log line: no credentials. */
export function describeProxy(proxy: OutboundProxy): Record<string, string> {
  const out: Record<string, string> = {};
  if (proxy.https) out.https_upstreams = describeProxyUrl(proxy.https);
  if (proxy.http) out.http_upstreams = describeProxyUrl(proxy.http);
  if (proxy.noProxy) out.no_proxy = proxy.noProxy;
  return out;
}

/**
 * Why a Worker refuses a proxy setting, naming the variables that are set (never their
 * values), or undefined when none is. A Worker's outbound fetch cannot open an HTTP CONNECT
 * tunnel, so the setting could only be ignored, and requests that the operator meant to
 * keep behind a proxy would leave directly. The Worker answers every request with a 503
 * carrying this message instead (src/index.ts).
 */
export function workersProxyRefusal(config: ProxySettings): string | undefined {
  const set = (["HTTPS_PROXY", "HTTP_PROXY", "PROXY"] as const).filter((name) => config[name]);
  if (!set.length) return undefined;
  return (
    `${set.join(" and ")} ${set.length > 1 ? "are" : "is"} set, but a Cloudflare Worker cannot send requests through an HTTP proxy ` +
    "(Workers cannot open CONNECT tunnels), so this gateway refuses every request rather than reach the upstream directly. " +
    "Remove the setting; to route upstream traffic through something else, set ANTHROPIC_BASE_URL to a relay such as " +
    "Cloudflare AI Gateway (https://gateway.ai.cloudflare.com/v1/<account_id>/<gateway>/anthropic). " +
    "The Node server (npm run start:node, the Docker image) supports HTTPS_PROXY."
  );
}
