import type { AnthropicEventSource } from "./anthropic/events";
import type { UpstreamResponse } from "./upstream";

/**
 * How the chat core talks to one kind of pool member. The Anthropic API is the first
 * implementation (anthropic/messages.ts); a Bedrock account or a Vertex project is
 * another member kind behind the same interface: it takes the Messages API body the
 * core built, sends it the platform's way, and gives the answer back as Anthropic's
 * message JSON or Anthropic's stream events. Failover, the context-trim retry and the
 * renderers do not change for a new platform.
 */
export interface MessagesPlatform {
  /** Where errors say the answer came from ("the Anthropic API at https://…"). */
  readonly label: string;
  /** POST one Messages API request (the serialized body) as `member`; rejects only for transport failures. */
  send(member: string, payload: string, betas: readonly string[], signal: AbortSignal): Promise<UpstreamResponse>;
  /** The events of a successful streaming answer; null when its body is missing. */
  events(response: UpstreamResponse): AnthropicEventSource | null;
  /** Whether attachments may be offloaded to this member's Files API workspace. */
  readonly filesApi: boolean;
}
