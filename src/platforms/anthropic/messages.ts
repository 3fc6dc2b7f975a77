import type { Config } from "../../config";
import type { MessagesPlatform } from "../platform";
import type { Upstream } from "../upstream";
import { postJson } from "./client";
import { anthropicSseEvents } from "./events";

/** The Anthropic Messages API as a platform: members are API keys, answers are SSE. */
export function anthropicMessages(upstream: Upstream, config: Pick<Config, "ANTHROPIC_BASE_URL" | "ANTHROPIC_VERSION">): MessagesPlatform {
  const target = { upstream, baseUrl: config.ANTHROPIC_BASE_URL, version: config.ANTHROPIC_VERSION };
  return {
    label: `the Anthropic API at ${config.ANTHROPIC_BASE_URL}`,
    filesApi: true,
    send: (key, payload, betas, signal) => postJson(target, "/v1/messages", key, payload, signal, betas),
    events(response) {
      const body = response.chunkReader?.() ?? response.body;
      return body ? anthropicSseEvents(body) : null;
    },
  };
}
