import { responsesFromChat, type ChatUrlCitation, type ResponsesAnnotation } from "../../translate/citations";
import type { ResponseOutputItem, ResponseOutputMessage, ResponseUsage } from "openai/resources/responses/responses";
import {
  buildResponse,
  functionCallItem,
  messageItem,
  newFunctionCallId,
  newMessageId,
  newReasoningId,
  reasoningItem,
  toResponsesUsage,
  type ChatUsageLike,
  type ResponseContext,
} from "./output";

/** One chat.completion.chunk from the core, the fields read here. */
interface ChatChunk {
  error?: { message?: string; type?: string; code?: string | null };
  choices?: Array<{
    delta?: {
      content?: string | null;
      reasoning_content?: string;
      annotations?: ChatUrlCitation[];
      refusal?: string | null;
      tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }>;
    };
    finish_reason?: string | null;
  }>;
  usage?: ChatUsageLike | null;
}

type Open =
  | { kind: "reasoning"; index: number; id: string; text: string }
  | { kind: "message"; index: number; id: string; part: "output_text" | "refusal" | null; text: string; annotations: ResponsesAnnotation[]; content: ResponseOutputMessage["content"] }
  | { kind: "call"; index: number; id: string; callId: string; name: string; args: string };

/**
 * The Responses event sequence, built from the core's chat completion chunks: a
 * synchronous state machine (chunk in, SSE text appended to `out`), wired to bytes by
 * responsesEventStream below. Items open and close in the order the chunks bring them:
 * reasoning, message text, function calls.
 */
export class ResponsesEventWriter {
  out = "";
  readonly output: ResponseOutputItem[] = [];
  #seq = 0;
  #open: Open | null = null;
  #calls = new Map<number, number>(); // chat tool_calls index → output index
  #finish: string | null = null;
  #usage: ResponseUsage | null = null;
  #ended = false;
  #failed = false;

  constructor(private readonly ctx: ResponseContext) {}

  get ended(): boolean {
    return this.#ended;
  }

  get failed(): boolean {
    return this.#failed;
  }

  start(): void {
    const response = buildResponse(this.ctx, "in_progress", [], null);
    this.#event("response.created", { response });
    this.#event("response.in_progress", { response });
  }

  chunk(c: ChatChunk): void {
    if (this.#ended) return;
    if (c.error) return this.fail(c.error.code ?? c.error.type ?? "server_error", c.error.message ?? "The upstream failed mid-answer.");
    if (c.usage) this.#usage = toResponsesUsage(c.usage);
    const choice = c.choices?.[0];
    if (!choice) return;
    const d = choice.delta;
    if (d?.reasoning_content) this.#reasoning(d.reasoning_content);
    if (d?.content) this.#text("output_text", d.content);
    if (d?.annotations?.length) this.#annotate(d.annotations);
    if (d?.refusal) this.#text("refusal", d.refusal);
    for (const call of d?.tool_calls ?? []) this.#toolCall(call);
    if (choice.finish_reason) this.#finish = choice.finish_reason;
  }

  /** The core's `[DONE]` (or the end of its stream): closes the open item and the response. */
  done(): void {
    if (this.#ended) return;
    this.#close();
    const status = this.#finish === "length" ? "incomplete" : "completed";
    this.#event(status === "completed" ? "response.completed" : "response.incomplete", { response: buildResponse(this.ctx, status, this.output, this.#usage) });
    this.#ended = true;
  }

  /** An error mid-answer: `error` (openai-node throws it as an APIError), then `response.failed`. */
  fail(code: string, message: string): void {
    if (this.#ended) return;
    this.#failed = true;
    this.#event("error", { code, message, param: null });
    this.#event("response.failed", { response: buildResponse(this.ctx, "failed", this.output, this.#usage, { code, message }) });
    this.#ended = true;
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

  #toolCall(call: NonNullable<NonNullable<NonNullable<ChatChunk["choices"]>[number]["delta"]>["tool_calls"]>[number]): void {
    const args = call.function?.arguments ?? "";
    if (call.id) {
      this.#close();
      const id = newFunctionCallId();
      const name = call.function?.name ?? "";
      const index = this.#add(functionCallItem(id, call.id, name, "", "in_progress"));
      this.#calls.set(call.index, index);
      this.#open = { kind: "call", index, id, callId: call.id, name, args: "" };
    }
    const open = this.#open;
    if (!args || open?.kind !== "call" || this.#calls.get(call.index) !== open.index) return;
    open.args += args;
    this.#event("response.function_call_arguments.delta", { item_id: open.id, output_index: open.index, delta: args });
  }

  /** Annotations of the text just sent: the span ends here, its indices local to the part. */
  #annotate(annotations: ChatUrlCitation[]): void {
    const open = this.#open;
    if (open?.kind !== "message" || open.part !== "output_text") return;
    const end = open.text.length;
    for (const a of annotations) {
      const local: ChatUrlCitation = { ...a, url_citation: { ...a.url_citation, start_index: Math.max(0, end - (a.url_citation.end_index - a.url_citation.start_index)), end_index: end } };
      const annotation = responsesFromChat(local);
      this.#event("response.output_text.annotation.added", { item_id: open.id, output_index: open.index, content_index: open.content.length, annotation_index: open.annotations.length, annotation });
      open.annotations.push(annotation);
    }
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

/**
 * The core's chat completion SSE stream → the Responses SSE stream. Keep-alive comments
 * pass through; a stream that ends without `[DONE]` is a failed response, never a
 * silently complete one. `onEnd` receives the output items once the response is over.
 */
export function responsesEventStream(chat: ReadableStream<Uint8Array>, ctx: ResponseContext, onEnd: (output: ResponseOutputItem[], ok: boolean) => void): ReadableStream<Uint8Array> {
  const reader = chat.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const w = new ResponsesEventWriter(ctx);
  let buffer = "";
  let started = false;
  let finished = false;
  const end = (ok: boolean) => {
    if (finished) return;
    finished = true;
    onEnd(w.output, ok);
  };

  const handleBlock = (block: string): void => {
    if (block.startsWith(":")) {
      w.out += block + "\n\n";
      return;
    }
    for (const line of block.split("\n")) {
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (data === "[DONE]") return w.done();
      try {
        w.chunk(JSON.parse(data) as ChatChunk);
      } catch {
        w.fail("server_error", "The gateway could not read its own stream; the response is incomplete.");
      }
    }
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        w.start();
      }
      while (!w.out && !w.ended) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch {
          w.fail("server_error", "The upstream connection was lost mid-answer; the response is incomplete.");
          break;
        }
        if (result.done) {
          if (buffer.trim()) handleBlock(buffer.trim());
          buffer = "";
          if (!w.ended) w.fail("server_error", "The answer ended early; the response is incomplete.");
          break;
        }
        buffer += decoder.decode(result.value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut).trim();
          buffer = buffer.slice(cut + 2);
          if (block) handleBlock(block);
        }
      }
      if (w.out) {
        controller.enqueue(encoder.encode(w.out));
        w.out = "";
      }
      if (w.ended) {
        end(!w.failed);
        controller.close();
        reader.cancel().catch(() => undefined);
      }
    },
    cancel(reason) {
      end(false);
      return reader.cancel(reason);
    },
  });
}
