import type { ResponseOutputItem, ResponseOutputMessage, ResponseUsage } from "openai/resources/responses/responses";
import type { AnthropicEventSource, StreamError } from "../../platforms/anthropic/events";
import type { FinishReason } from "../../openai/types";
import type { OpenAIUsage } from "../../translate/usage";
import { StreamTranslator, type CitedSpan, type DeltaWriter, type StreamSummary, type TranslatorContext } from "../chat-completions/stream-translator";
import { responsesAnnotation, type ResponsesAnnotation } from "../../translate/citations";
import type { WebSearchCall } from "../../translate/server-tools";
import { renderEventStream } from "../event-stream";
import {
  buildResponse,
  finishedStatus,
  functionCallItem,
  messageItem,
  newFunctionCallId,
  newMessageId,
  newReasoningId,
  reasoningItem,
  toResponsesUsage,
  type ResponseObjectContext,
} from "./output";

type Open =
  | { kind: "reasoning"; index: number; id: string; text: string }
  | { kind: "message"; index: number; id: string; part: "output_text" | "refusal" | null; text: string; annotations: ResponsesAnnotation[]; content: ResponseOutputMessage["content"] }
  | { kind: "call"; index: number; id: string; callId: string; name: string; args: string };

/**
 * The Responses event sequence as a DeltaWriter: the stream translator turns the
 * Anthropic events into OpenAI deltas (the same decisions as for Chat Completions:
 * reasoning, structured output, tool call ids) and this writes each as Responses
 * events. Items open and close in the order the deltas bring them: reasoning, message
 * text, function calls.
 */
export class ResponsesEventWriter implements DeltaWriter {
  out = "";
  readonly output: ResponseOutputItem[] = [];
  #seq = 0;
  #open: Open | null = null;
  #calls = new Map<number, number>(); // chat tool_calls index → output index
  #finish: string | null = null;
  #usage: ResponseUsage | null = null;
  #ended = false;
  #failed = false;

  constructor(private readonly ctx: ResponseObjectContext) {}

  get ended(): boolean {
    return this.#ended;
  }

  get failed(): boolean {
    return this.#failed;
  }

  /** The opening events, before any upstream event. */
  start(): string {
    const response = buildResponse(this.ctx, "in_progress", [], null);
    this.#event("response.created", { response });
    this.#event("response.in_progress", { response });
    return this.#take();
  }

  role(): string {
    return "";
  }

  content(text: string): string {
    this.#text("output_text", text);
    return this.#take();
  }

  reasoning(text: string): string {
    this.#reasoning(text);
    return this.#take();
  }

  // Responses has its own reasoning items; reasoning_details are a Chat Completions extension.
  reasoningDetail(): string {
    return "";
  }

  /** Text that completes cited text, then one annotation.added per citation (indices local to the part). */
  cited(text: string | null, spans: CitedSpan[]): string {
    if (text) this.#text("output_text", text);
    const open = this.#open;
    if (open?.kind !== "message" || open.part !== "output_text") return this.#take();
    const end = open.text.length;
    for (const span of spans) {
      const annotation = responsesAnnotation(span.citation, Math.max(0, end - (span.end - span.start)), end);
      if (!annotation) continue;
      this.#event("response.output_text.annotation.added", { item_id: open.id, output_index: open.index, content_index: open.content.length, annotation_index: open.annotations.length, annotation });
      open.annotations.push(annotation);
    }
    return this.#take();
  }

  /** A search (or fetch) Claude ran: a web_search_call item, arriving finished. */
  serverTool(call: WebSearchCall): string {
    this.#close();
    const index = this.#add({ ...call, status: "in_progress" } as unknown as ResponseOutputItem);
    this.#event("response.web_search_call.in_progress", { item_id: call.id, output_index: index });
    if (call.status === "completed") {
      this.#event("response.web_search_call.searching", { item_id: call.id, output_index: index });
      this.#event("response.web_search_call.completed", { item_id: call.id, output_index: index });
    }
    this.output[index] = call as unknown as ResponseOutputItem;
    this.#event("response.output_item.done", { output_index: index, item: call });
    return this.#take();
  }

  refusal(text: string): string {
    this.#text("refusal", text);
    return this.#take();
  }

  toolStart(index: number, id: string, name: string): string {
    this.#toolCall(index, id, name, "");
    return this.#take();
  }

  toolArgs(index: number, fragment: string): string {
    this.#toolCall(index, undefined, undefined, fragment);
    return this.#take();
  }

  // Legacy `functions` never reach /v1/responses (its requests carry tools); one call at index 0 if they did.
  functionStart(name: string): string {
    return this.toolStart(0, newFunctionCallId(), name);
  }

  functionArgs(fragment: string): string {
    return this.toolArgs(0, fragment);
  }

  finish(reason: FinishReason): string {
    this.#finish = reason;
    return "";
  }

  usage(usage: OpenAIUsage): string {
    this.#usage = toResponsesUsage(usage);
    return "";
  }

  error(error: StreamError): string {
    this.fail(error.type, error.message);
    return this.#take();
  }

  /** The answer is complete: closes the open item and the response. */
  done(): string {
    if (!this.#ended) {
      this.#close();
      const status = finishedStatus(this.#finish);
      this.#event(status === "completed" ? "response.completed" : "response.incomplete", { response: buildResponse(this.ctx, status, this.output, this.#usage) });
      this.#ended = true;
    }
    return this.#take();
  }

  /** An error mid-answer: `error` (openai-node throws it as an APIError), then `response.failed`. */
  fail(code: string, message: string): void {
    if (this.#ended) return;
    this.#failed = true;
    this.#event("error", { code, message, param: null });
    this.#event("response.failed", { response: buildResponse(this.ctx, "failed", this.output, this.#usage, { code, message }) });
    this.#ended = true;
  }

  #take(): string {
    const s = this.out;
    this.out = "";
    return s;
  }

  #event(type: string, payload: object): void {
    this.out += `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.#seq++, ...payload })}\n\n`;
  }

  #add(item: ResponseOutputItem): number {
    const index = this.output.length;
    this.output.push(item);
    this.#event("response.output_item.added", { output_index: index, item: structuredClone(item) });
    return index;
  }

  #reasoning(delta: string): void {
    let open = this.#open;
    if (open?.kind !== "reasoning") {
      this.#close();
      const id = newReasoningId();
      open = this.#open = { kind: "reasoning", index: this.#add(reasoningItem(id, "")), id, text: "" };
      this.#event("response.reasoning_summary_part.added", { item_id: id, output_index: open.index, summary_index: 0, part: { type: "summary_text", text: "" } });
    }
    open.text += delta;
    this.#event("response.reasoning_summary_text.delta", { item_id: open.id, output_index: open.index, summary_index: 0, delta });
  }

  #text(part: "output_text" | "refusal", delta: string): void {
    let open = this.#open;
    if (open?.kind !== "message") {
      this.#close();
      const id = newMessageId();
      open = this.#open = { kind: "message", index: this.#add(messageItem(id, "in_progress", [])), id, part: null, text: "", annotations: [], content: [] };
    }
    if (open.part !== part) {
      this.#closePart(open);
      open.part = part;
      const empty = part === "output_text" ? { type: part, text: "", annotations: [], logprobs: [] } : { type: part, refusal: "" };
      this.#event("response.content_part.added", { item_id: open.id, output_index: open.index, content_index: open.content.length, part: empty });
    }
    open.text += delta;
    const type = part === "output_text" ? "response.output_text.delta" : "response.refusal.delta";
    this.#event(type, { item_id: open.id, output_index: open.index, content_index: open.content.length, delta, ...(part === "output_text" ? { logprobs: [] } : {}) });
  }

  #toolCall(callIndex: number, callId: string | undefined, name: string | undefined, args: string): void {
    if (callId) {
      this.#close();
      const id = newFunctionCallId();
      const index = this.#add(functionCallItem(id, callId, name ?? "", "", "in_progress"));
      this.#calls.set(callIndex, index);
      this.#open = { kind: "call", index, id, callId, name: name ?? "", args: "" };
    }
    const open = this.#open;
    if (!args || open?.kind !== "call" || this.#calls.get(callIndex) !== open.index) return;
    open.args += args;
    this.#event("response.function_call_arguments.delta", { item_id: open.id, output_index: open.index, delta: args });
  }

  #closePart(open: Extract<Open, { kind: "message" }>): void {
    if (open.part === null) return;
    const content_index = open.content.length;
    const part = open.part === "output_text" ? { type: "output_text" as const, text: open.text, annotations: open.annotations as never[], logprobs: [] } : { type: "refusal" as const, refusal: open.text };
    if (part.type === "output_text") this.#event("response.output_text.done", { item_id: open.id, output_index: open.index, content_index, text: open.text, logprobs: [] });
    else this.#event("response.refusal.done", { item_id: open.id, output_index: open.index, content_index, refusal: open.text });
    this.#event("response.content_part.done", { item_id: open.id, output_index: open.index, content_index, part });
    open.content.push(part);
    open.part = null;
    open.text = "";
    open.annotations = [];
  }

  #close(): void {
    const open = this.#open;
    if (!open) return;
    this.#open = null;
    let item: ResponseOutputItem;
    if (open.kind === "reasoning") {
      const part = { type: "summary_text" as const, text: open.text };
      this.#event("response.reasoning_summary_text.done", { item_id: open.id, output_index: open.index, summary_index: 0, text: open.text });
      this.#event("response.reasoning_summary_part.done", { item_id: open.id, output_index: open.index, summary_index: 0, part });
      item = reasoningItem(open.id, open.text);
    } else if (open.kind === "message") {
      this.#closePart(open);
      item = messageItem(open.id, "completed", open.content);
    } else {
      this.#event("response.function_call_arguments.done", { item_id: open.id, output_index: open.index, name: open.name, arguments: open.args });
      item = functionCallItem(open.id, open.callId, open.name, open.args, "completed");
    }
    this.output[open.index] = item;
    this.#event("response.output_item.done", { output_index: open.index, item });
  }
}

export interface ResponsesStreamOptions {
  keepAliveMs: number;
  signal?: AbortSignal;
  /** Called once when the stream ends: the output items, and whether the answer completed. */
  onComplete(summary: StreamSummary, output: ResponseOutputItem[]): void;
}

/**
 * An answer's Anthropic events → the Responses SSE stream, in one pass (renderEventStream):
 * `response.created` at once, then the items as the events bring them. A stream that
 * fails, or that the client leaves, is a failed response, never a silently complete one.
 */
export function responsesEvents(events: AnthropicEventSource, ctx: ResponseObjectContext, translate: TranslatorContext, opts: ResponsesStreamOptions): ReadableStream<Uint8Array> {
  const writer = new ResponsesEventWriter(ctx);
  const translator = new StreamTranslator(translate, writer, true);
  translator.out = writer.start();
  return renderEventStream(events, translator, {
    keepAliveMs: opts.keepAliveMs,
    signal: opts.signal,
    onComplete: (summary) => opts.onComplete(summary, writer.output),
  });
}
