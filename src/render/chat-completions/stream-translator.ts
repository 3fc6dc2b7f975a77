import type { AnthropicContentBlock } from "../../platforms/anthropic/types";
import type { FinishReason } from "../../openai/types";
import type { AnthropicEventSink, AnthropicStreamEvent, StreamError } from "../../platforms/anthropic/events";
import { chatFinishReason, refusalText, type RefusalDetails } from "../../translate/finish-reason";
import { reasoningMode, THINKING_SEPARATOR, type ChatCompletionContext, type ThinkingCapture } from "./completion";
import { CitationTracker, type ClaudeCitation } from "../../translate/citations";
import { encryptedPiece, signaturePiece, textPiece, type ReasoningDetail } from "../../translate/reasoning-details";
import { resultError, serverToolErrorText, webSearchCalls, type WebSearchCall } from "../../translate/server-tools";

/** What the translator reads of the render context (the chunk ids belong to the writer). */
export type TranslatorContext = Pick<ChatCompletionContext, "reasoningOutput" | "structuredOutput" | "legacyFunctions" | "reasoningDetails">;
import { mergeUsage, toOpenAIUsage, type OpenAIUsage, type UpstreamUsage } from "../../translate/usage";

/** A citation and the span of the content it backs (UTF-16 indices into everything sent as content). */
export interface CitedSpan {
  citation: ClaudeCitation;
  start: number;
  end: number;
}

const enum Kind {
  Ignore,
  Text,
  Thinking,
  Redacted,
  Tool,
  Structured,
  Server,
}

interface Block {
  kind: Kind;
  /** Tool: the OpenAI tool_calls index (a per-call counter, never the Anthropic block index). */
  call: number;
  /** Tool/Structured: whether a non-empty argument fragment went out. */
  args: boolean;
  /** Tool/Structured: input carried whole on content_block_start, sent only if no deltas follow. */
  startInput: string;
  /** Thinking: its text, kept because the signature only verifies with the exact text. */
  parts: string[];
  signature: string;
  /** Thinking/Redacted: its reasoning_details index. */
  detail: number;
  /** Server: the server_tool_use block. */
  server: { type: string; id: string; name: string; input: unknown } | null;
}

export interface StreamSummary {
  usage: OpenAIUsage | null;
  /** The same usage as Anthropic reported it (cache writes by TTL, …): what usage accounting prices. */
  anthropicUsage: UpstreamUsage | null;
  thinking: ThinkingCapture | null;
  error: StreamError | null;
  finishReason: FinishReason | null;
  /**
   * Characters of answer sent so far (content, reasoning, tool arguments): what an answer
   * cut off before the upstream reported its output tokens is estimated from.
   */
  outputChars: number;
}

export { LOST } from "../../platforms/anthropic/events";
import { LOST } from "../../platforms/anthropic/events";

/**
 * The OpenAI-side deltas of an answer, each returned as the wire text to append: the
 * Chat Completions chunk writer (chunk-writer.ts) and the Responses event writer
 * (../responses/stream.ts) are the two implementations.
 */
export interface DeltaWriter {
  role(): string;
  content(text: string): string;
  /** Reasoning text; `detail` is the same piece as a reasoning_details entry (REASONING_DETAILS on). */
  reasoning(text: string, detail?: ReasoningDetail): string;
  /** A reasoning_details entry alone (a signature, redacted thinking, thinking shown as tags). */
  reasoningDetail(detail: ReasoningDetail): string;
  /** Content that completes cited text (text may be null), with the citations of its span. */
  cited(text: string | null, spans: CitedSpan[]): string;
  /** A search (or fetch) Claude ran on its side; the Responses API shows it as an item. */
  serverTool(call: WebSearchCall): string;
  refusal(text: string): string;
  toolStart(index: number, id: string, name: string): string;
  toolArgs(index: number, fragment: string): string;
  functionStart(name: string): string;
  functionArgs(fragment: string): string;
  finish(reason: FinishReason): string;
  usage(usage: OpenAIUsage): string;
  /** The answer failed; nothing follows but done(). */
  error(error: StreamError): string;
  /** The stream's last text. */
  done(): string;
}

const ERROR_LABELS: Record<string, string> = {
  overloaded_error: "overloaded",
  rate_limit_error: "rate limited",
  api_error: "internal error",
  timeout_error: "timeout",
  invalid_request_error: "rejected the request",
  authentication_error: "authentication failed",
  permission_error: "permission denied",
  not_found_error: "not found",
  billing_error: "billing error",
  request_too_large: "request too large",
};

/** `event: error` from Anthropic → the message a user reads: who failed, how, and Anthropic's words. */
export function streamErrorOf(err: { type?: unknown; message?: unknown } | null | undefined): StreamError {
  const type = typeof err?.type === "string" && err.type ? err.type : "api_error";
  const message = typeof err?.message === "string" && err.message ? err.message : "no details given";
  return { type, message: `Upstream ${ERROR_LABELS[type] ?? "error"} (${type}): ${message}` };
}

/**
 * The streaming translation as a synchronous state machine: Anthropic stream events
 * in, OpenAI deltas out through a DeltaWriter (Chat Completions chunks or Responses
 * events), their text appended to `out`. No I/O, no timers, so it is tested event by
 * event; ../event-stream.ts wires it to bytes. Nothing of the answer is buffered except
 * thinking text (needed to replay signed blocks) and, in forced-tool structured mode,
 * the short preamble text that must not precede the JSON.
 */
export class StreamTranslator implements AnthropicEventSink {
  /** Chunk text produced since the last take(). */
  out = "";
  /** True once the stream's last bytes ([DONE]) are in `out`. */
  done = false;

  readonly #w: DeltaWriter;
  readonly #mode: ChatCompletionContext["reasoningOutput"];
  readonly #forcedTool: string | null;
  readonly #legacy: boolean;
  readonly #includeUsage: boolean;

  #started = false;
  #messageId: string | null = null;
  #blocks: (Block | undefined)[] = [];
  #calls = 0;
  #toolIds: string[] = [];
  /** Signed thinking and server-tool blocks, in answer order: what a tool loop's next request sends back. */
  #kept: AnthropicContentBlock[] = [];
  #thinkOpen = false;
  #answered = false;
  #reasoned = false;
  #structuredSeen = false;
  #pendingText: string[] = [];
  #usage: UpstreamUsage = {};
  #sawUsage = false;
  #stopReason: string | null = null;
  #stopDetails: RefusalDetails | null = null;
  #error: StreamError | null = null;
  #finish: FinishReason | null = null;
  readonly #details: boolean;
  #detailCount = 0;
  readonly #citations = new CitationTracker<CitedSpan>((citation, start, end) => ({ citation, start, end }));
  readonly #servers = new Map<string, { type: string; id: string; name: string; input: unknown }>();
  #serverErrors: string[] = [];
  #outputChars = 0;

  constructor(ctx: TranslatorContext, writer: DeltaWriter, includeUsage: boolean) {
    this.#w = writer;
    this.#mode = reasoningMode(ctx);
    this.#forcedTool = ctx.structuredOutput?.mode === "tool" ? ctx.structuredOutput.toolName : null;
    this.#legacy = ctx.legacyFunctions === true;
    this.#includeUsage = includeUsage;
    this.#details = ctx.reasoningDetails === true && this.#mode !== "hidden";
  }

  take(): string {
    const s = this.out;
    this.out = "";
    return s;
  }

  event(ev: AnthropicStreamEvent): void {
    if (this.done) return;
    switch (ev.type) {
      case "content_block_delta":
        this.#delta(ev);
        return;
      case "content_block_start":
        this.#blockStart(ev.index, ev.content_block);
        return;
      case "content_block_stop":
        this.#blockStop(ev.index);
        return;
      case "message_start":
        this.#messageStart(ev.message);
        return;
      case "message_delta":
        if (ev.delta) {
          if (ev.delta.stop_reason != null) this.#stopReason = ev.delta.stop_reason;
          if (ev.delta.stop_details != null) this.#stopDetails = ev.delta.stop_details;
        }
        this.#addUsage(ev.usage);
        return;
      case "message_stop":
        this.#complete();
        return;
      case "error":
        this.fail(streamErrorOf(ev.error));
        return;
      default:
        return; // ping, and event types newer than this code
    }
  }

  /** Upstream body ended. Without message_stop the answer is cut off, whatever came before. */
  end(): void {
    if (!this.done) this.fail(LOST);
  }

  fail(error: StreamError): void {
    if (this.done) return;
    this.#error = error;
    this.out += this.#w.error(error) + this.#w.done();
    this.done = true;
  }

  summary(): StreamSummary {
    const thinking = this.#toolIds.length > 0 && this.#kept.length > 0 ? { toolCallIds: this.#toolIds, blocks: this.#kept } : null;
    return { usage: this.#sawUsage ? toOpenAIUsage(this.#usage) : null, anthropicUsage: this.#sawUsage ? this.#usage : null, thinking, error: this.#error, finishReason: this.#finish, outputChars: this.#outputChars };
  }

  #addUsage(u: UpstreamUsage | null | undefined): void {
    if (!u) return;
    mergeUsage(this.#usage, u);
    this.#sawUsage = true;
  }

  #start(): void {
    this.#started = true;
    this.out += this.#w.role();
  }

  #messageStart(message: { id?: string; usage?: UpstreamUsage } | undefined): void {
    const id = message?.id ?? null;
    if (this.#messageId !== null) {
      // Same id: a duplicated frame, harmless. Another id: two answers spliced together;
      // what was already sent of the first cannot be taken back, so the stream is corrupt.
      if (id !== this.#messageId) {
        this.fail({
          type: "upstream_error",
          message: `The upstream started a second message (${id}) before finishing ${this.#messageId}; the response is incomplete.`,
        });
      }
      return;
    }
    this.#messageId = id ?? "";
    this.#addUsage(message?.usage);
    if (!this.#started) this.#start();
  }

  #blockStart(index: number, cb: any): void {
    if (typeof index !== "number" || !cb) return;
    if (!this.#started) this.#start();
    const block: Block = { kind: Kind.Ignore, call: -1, args: false, startInput: "", parts: [], signature: "", detail: -1, server: null };
    this.#blocks[index] = block;
    switch (cb.type) {
      case "text":
        block.kind = Kind.Text;
        this.#citations.blockStart(index, Array.isArray(cb.citations));
        if (cb.text) this.#text(cb.text);
        return;
      case "thinking":
        block.kind = Kind.Thinking;
        block.detail = this.#detailCount++;
        if (cb.signature) block.signature = cb.signature;
        if (cb.thinking) this.#thinking(block, cb.thinking);
        return;
      case "redacted_thinking":
        block.kind = Kind.Redacted;
        block.detail = this.#detailCount++;
        this.#kept.push({ type: "redacted_thinking", data: cb.data ?? "" });
        if (this.#details && cb.data) this.out += this.#w.reasoningDetail(encryptedPiece(block.detail, cb.data));
        return;
      case "tool_use": {
        block.startInput = cb.input && typeof cb.input === "object" && Object.keys(cb.input).length > 0 ? JSON.stringify(cb.input) : "";
        this.#closeThink();
        if (this.#forcedTool !== null && cb.name === this.#forcedTool && !this.#structuredSeen) {
          block.kind = Kind.Structured;
          this.#structuredSeen = true;
          this.#pendingText.length = 0;
          return;
        }
        // function_call holds one call (the request asked Claude for one); a second could not be expressed.
        if (this.#legacy && this.#calls > 0) return;
        block.kind = Kind.Tool;
        block.call = this.#calls++;
        this.#toolIds.push(cb.id);
        this.out += this.#legacy ? this.#w.functionStart(cb.name) : this.#w.toolStart(block.call, cb.id, cb.name);
        return;
      }
      case "server_tool_use":
        // Claude's own search or fetch: never a client tool call. Its input arrives as JSON fragments.
        block.kind = Kind.Server;
        block.server = { type: "server_tool_use", id: String(cb.id ?? ""), name: String(cb.name ?? ""), input: cb.input ?? {} };
        return;
      default:
        // web_search_tool_result & co arrive whole; fallback, container_upload…: Anthropic-side work.
        if (typeof cb.tool_use_id === "string" && cb.type !== "tool_result") this.#serverResult(cb);
        return;
    }
  }

  #serverResult(result: any): void {
    this.#kept.push(result);
    const use = this.#servers.get(result.tool_use_id);
    const code = resultError(result);
    if (code) this.#serverErrors.push(serverToolErrorText(use as never, code));
    if (!use) return;
    for (const { item } of webSearchCalls([use as never, result])) this.out += this.#w.serverTool(item);
  }

  #delta(ev: any): void {
    const block = this.#blocks[ev.index];
    const d = ev.delta;
    if (block === undefined || !d) return;
    switch (d.type) {
      case "text_delta":
        if (block.kind === Kind.Text && d.text) {
          // A cited block's newest piece waits for the block's end, to carry its annotations.
          const due = this.#forcedTool === null ? this.#citations.hold(ev.index, d.text) : d.text;
          if (due) this.#text(due);
        }
        return;
      case "citations_delta":
        if (block.kind === Kind.Text && d.citation) this.#citations.citation(ev.index, d.citation);
        return;
      case "input_json_delta": {
        const fragment: string = d.partial_json;
        // Empty fragments are skipped: some clients freeze arguments on the first fragment.
        if (!fragment) return;
        if (block.kind === Kind.Server) {
          block.startInput += fragment;
          return;
        }
        if (block.kind === Kind.Tool) {
          block.args = true;
          this.out += this.#toolArgs(block, fragment);
        } else if (block.kind === Kind.Structured) {
          block.args = true;
          this.#answered = true;
          this.#outputChars += fragment.length;
          this.out += this.#w.content(fragment);
        }
        return;
      }
      case "thinking_delta":
        if (block.kind === Kind.Thinking && d.thinking) this.#thinking(block, d.thinking);
        return;
      case "signature_delta":
        if (block.kind === Kind.Thinking && d.signature) block.signature += d.signature;
        return;
      default:
        return;
    }
  }

  #blockStop(index: number): void {
    const block = this.#blocks[index];
    if (block === undefined) return;
    this.#blocks[index] = undefined;
    switch (block.kind) {
      case Kind.Thinking:
        this.#kept.push({ type: "thinking", thinking: block.parts.join(""), signature: block.signature });
        if (this.#details && block.signature) this.out += this.#w.reasoningDetail(signaturePiece(block.detail, block.signature));
        return;
      case Kind.Text: {
        const { text, annotations } = this.#citations.blockStop(index);
        if (text === null && annotations.length === 0) return;
        if (this.#thinkOpen) this.#closeThink();
        if (text) this.#answered = true;
        if (text) {
          this.#citations.emitted(text);
          this.#outputChars += text.length;
        }
        this.out += this.#w.cited(text, annotations);
        return;
      }
      case Kind.Server: {
        const server = block.server!;
        if (block.startInput) {
          try {
            server.input = JSON.parse(block.startInput);
          } catch {
            // A malformed input only loses the query shown in a web_search_call item.
          }
        }
        this.#servers.set(server.id, server);
        this.#kept.push(server as AnthropicContentBlock);
        return;
      }
      case Kind.Tool:
        // Exactly one "{}" for a call with no arguments: never a placeholder before real ones.
        if (!block.args) this.out += this.#toolArgs(block, block.startInput || "{}");
        return;
      case Kind.Structured:
        if (!block.args) this.out += this.#content(block.startInput || "{}");
        return;
      default:
        return;
    }
  }

  #toolArgs(block: Block, fragment: string): string {
    this.#outputChars += fragment.length;
    return this.#legacy ? this.#w.functionArgs(fragment) : this.#w.toolArgs(block.call, fragment);
  }

  #text(text: string): void {
    if (this.#forcedTool !== null) {
      // Structured output through a forced tool: the content must be the tool's JSON alone.
      if (!this.#structuredSeen) this.#pendingText.push(text);
      return;
    }
    if (this.#thinkOpen) this.#closeThink();
    this.#answered = true;
    this.out += this.#content(text);
  }

  /** Every piece of content goes through here: citation spans count what the client got. */
  #content(text: string): string {
    this.#citations.emitted(text);
    this.#outputChars += text.length;
    return this.#w.content(text);
  }

  #thinking(block: Block, text: string): void {
    const first = block.parts.length === 0;
    block.parts.push(text);
    // Hidden or not, thinking is billed as output.
    if (this.#mode !== "think_tags") this.#outputChars += text.length;
    if (this.#mode === "hidden") return;
    const piece = first && this.#reasoned ? THINKING_SEPARATOR + text : text;
    this.#reasoned = true;
    // reasoning_details carry the exact text (the signature verifies nothing else).
    const detail = this.#details ? textPiece(block.detail, text) : undefined;
    if (this.#mode === "reasoning_content") {
      this.out += this.#w.reasoning(piece, detail);
      return;
    }
    if (detail) this.out += this.#w.reasoningDetail(detail);
    // think_tags: clients only recognise <think> at the very start, so thinking that
    // follows answer text stays hidden (and is still billed output).
    if (this.#answered) {
      this.#outputChars += text.length;
      return;
    }
    if (!this.#thinkOpen) {
      this.#thinkOpen = true;
      this.out += this.#content("<think>");
    }
    this.out += this.#content(piece);
  }

  #closeThink(): void {
    this.#answered = true;
    if (!this.#thinkOpen) return;
    this.#thinkOpen = false;
    this.out += this.#content("</think>");
  }

  #complete(): void {
    if (!this.#started) this.#start();
    if (this.#pendingText.length > 0) {
      // The forced tool never came (max_tokens, refusal…): the text is all there is.
      this.#closeThink();
      this.out += this.#content(this.#pendingText.join(""));
      this.#pendingText.length = 0;
    }
    // Searches that failed, in an answer without a word of Claude's: say so rather than answer nothing.
    if (!this.#answered && this.#calls === 0 && this.#serverErrors.length > 0) this.#text(this.#serverErrors.join(" "));
    this.#closeThink();
    if (this.#stopReason === "refusal") this.out += this.#w.refusal(refusalText(this.#stopDetails));
    const finish = chatFinishReason(this.#stopReason, this.#calls > 0, this.#legacy);
    this.#finish = finish;
    this.out += this.#w.finish(finish);
    if (this.#includeUsage) this.out += this.#w.usage(toOpenAIUsage(this.#usage));
    this.out += this.#w.done();
    this.done = true;
  }
}
