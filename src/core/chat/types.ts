import type { AnthropicMessage, AnthropicRequest } from "../../platforms/anthropic/types";
import type { AnthropicEventSource, StreamError } from "../../platforms/anthropic/events";
import type { AttachmentLookup } from "../../attachments/table";
import type { ChatRequest } from "../../openai/schema";
import type { ModelProfile } from "../../models/profile";
import type { ThinkingCapture } from "../../translate/reasoning";
import type { UpstreamUsage } from "../../translate/usage";
import type { KeyPool } from "../../deps";

/**
 * Who is asking, as auth resolved it (src/http/middleware/auth.ts).
 *
 * Seam for client keys and usage accounting: `tenant` is the caller's identity (a
 * static or managed client key, never the key itself), carried untouched through the
 * core and handed back in the AnswerRecord, so limits can be checked by the HTTP layer
 * before the core runs and usage recorded from `onAnswered` after it.
 */
export interface ChatClient {
  /** The client's own Anthropic key (PASSTHROUGH_KEYS mirror mode): the request uses it alone. */
  passthroughKey?: string;
  /** Opaque to the core: whatever the tenancy layer uses to attribute the answer. */
  tenant?: { readonly id: string };
  /**
   * Called exactly once per request that reached the upstream, when its answer is over:
   * after the JSON was rendered, or when the stream ended (completed, failed or
   * abandoned by the client). Not called for requests refused before any upstream call.
   */
  onAnswered?(answer: AnswerRecord): void;
}

export interface ChatInput {
  request: ChatRequest;
  /** Large data URLs taken out of the body while it was read (readJsonBodyWithAttachments). */
  attachments: AttachmentLookup;
  client: ChatClient;
  /** Overrides REASONING_OUTPUT for a renderer with a place of its own for reasoning (/v1/responses). */
  reasoningOutput?: "reasoning_content" | "hidden";
}

/** What a request ended as, for usage accounting (ChatClient.onAnswered). */
export interface AnswerRecord {
  tenant: ChatClient["tenant"];
  /** The upstream model id that answered (the client may have asked by alias). */
  model: string;
  /** Anthropic's usage as reported (cache writes by TTL, …); null if the answer never said. */
  usage: UpstreamUsage | null;
  /** Null for a complete answer. `client_disconnected` when the client left mid-stream. */
  error: StreamError | null;
  /** Characters of answer the client received: an unfinished stream's output is estimated from it. */
  outputChars: number;
}

/** The plan stage's output: everything decided before the first upstream byte. */
export interface ChatPlan {
  request: ChatRequest;
  profile: ModelProfile;
  /** The Messages API body: translated, packed, with cache breakpoints and pinned client files. */
  body: AnthropicRequest;
  /** Betas the body needs whatever member sends it. */
  betas: readonly string[];
  pool: KeyPool;
  /** conversationAffinity of the opening turns; undefined when there is no choice of member. */
  affinity: string | undefined;
  attachments: AttachmentLookup;
  /** The client key (ChatClient.tenant) the request is made for: its gateway uploads are its own. */
  tenant: ChatClient["tenant"];
  /** Bytes above which an inline attachment goes to the Files API (Infinity: never). */
  offloadThreshold: number;
  thinkingDroppedReason: string | undefined;
  render: RenderHints;
}

/** What the renderers need to know beside the Anthropic answer itself. */
export interface RenderHints {
  /** The model name as the client asked (e.g. "claude-sonnet-4-5-think"): echoed in the answer. */
  requestModel: string;
  reasoningOutput: "reasoning_content" | "think_tags" | "hidden";
  /** Structured output emulated with a forced tool: its input becomes the message content. */
  structuredOutput?: { mode: "native" } | { mode: "tool"; toolName: string };
  /** The request used legacy `functions`: a call is answered as `function_call`. */
  legacyFunctions?: boolean;
  /** stream_options.include_usage. */
  includeUsage: boolean;
  /** REASONING_DETAILS: signed thinking also as OpenRouter's reasoning_details. */
  reasoningDetails: boolean;
  keepAliveMs: number;
}

/** How an answer ended, as its renderer saw it: handed back through ChatResult.end. */
export interface AnswerEnd {
  usage: UpstreamUsage | null;
  thinking: ThinkingCapture | null;
  error: StreamError | null;
  /** Characters of answer the client received (streams; 0 for a whole message). */
  outputChars?: number;
}

interface ResultBase extends RenderHints {
  /** Headers that carry warnings (x-claude2api-thinking, …-context-trimmed, …-upstream). */
  headers: Record<string, string>;
  /** Aborted when the client goes away: a stream renderer stops on it. */
  signal: AbortSignal;
  /**
   * The renderer calls this exactly once when the answer is over: it stores the signed
   * thinking for the next turn, settles the pool member's outcome and calls onAnswered.
   * Later calls are ignored.
   */
  end(how: AnswerEnd): void;
}

/**
 * The chat core's answer, in Anthropic's terms only. A renderer (src/render/) turns it
 * into a wire format; none re-parses another's output.
 */
export type ChatResult =
  | (ResultBase & { kind: "message"; message: AnthropicMessage })
  | (ResultBase & {
      kind: "events";
      /** The answer's stream events, pulled one upstream read at a time. */
      events: AnthropicEventSource;
    });
