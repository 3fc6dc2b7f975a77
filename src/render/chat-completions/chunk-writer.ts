import type { FinishReason } from "../../openai/types";
import type { StreamError } from "../../platforms/anthropic/events";
import type { DeltaWriter } from "./stream-translator";

/**
 * Builds OpenAI SSE chunk strings. Everything that is the same for every chunk of a
 * stream (id, created, model) is escaped once into a prefix; per chunk only the small
 * payload goes through JSON.stringify. The shapes follow docs/client-contract.md §D–H exactly:
 * `data: <compact json>\n\n`, one payload kind per delta, logprobs and finish_reason
 * always present.
 */
export class ChunkWriter implements DeltaWriter {
  readonly #head: string;
  readonly #delta: string;

  constructor(id: string, created: number, model: string) {
    this.#head = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${Math.floor(created)},"model":${JSON.stringify(model)},"choices":[`;
    this.#delta = `${this.#head}{"index":0,"delta":`;
  }

  role(): string {
    return `${this.#delta}{"role":"assistant","content":""}${SUFFIX}`;
  }

  content(text: string): string {
    return `${this.#delta}{"content":${JSON.stringify(text)}}${SUFFIX}`;
  }

  reasoning(text: string): string {
    return `${this.#delta}{"reasoning_content":${JSON.stringify(text)}}${SUFFIX}`;
  }

  refusal(text: string): string {
    return `${this.#delta}{"refusal":${JSON.stringify(text)}}${SUFFIX}`;
  }

  /** First delta of a call: the only one with id, type and name (repeating them breaks clients). */
  toolStart(index: number, id: string, name: string): string {
    return `${this.#delta}{"tool_calls":[{"index":${index},"id":${JSON.stringify(id)},"type":"function","function":{"name":${JSON.stringify(name)},"arguments":""}}]}${SUFFIX}`;
  }

  toolArgs(index: number, fragment: string): string {
    return `${this.#delta}{"tool_calls":[{"index":${index},"function":{"arguments":${JSON.stringify(fragment)}}}]}${SUFFIX}`;
  }

  /** Legacy `functions` clients: the name once, with empty arguments, like toolStart. */
  functionStart(name: string): string {
    return `${this.#delta}{"function_call":{"name":${JSON.stringify(name)},"arguments":""}}${SUFFIX}`;
  }

  functionArgs(fragment: string): string {
    return `${this.#delta}{"function_call":{"arguments":${JSON.stringify(fragment)}}}${SUFFIX}`;
  }

  finish(reason: FinishReason): string {
    return `${this.#delta}{},"logprobs":null,"finish_reason":"${reason}"}]}\n\n`;
  }

  /** Sent after the finish chunk, with `choices: []` (Vercel rejects a missing array). */
  usage(usage: object): string {
    return `${this.#head}],"usage":${JSON.stringify(usage)}}\n\n`;
  }

  error(error: StreamError): string {
    return errorChunk(error);
  }

  done(): string {
    return DONE;
  }
}

const SUFFIX = `,"logprobs":null,"finish_reason":null}]}\n\n`;

export const DONE = "data: [DONE]\n\n";

export type { StreamError };

/** The in-stream error chunk (no `event:` line): openai-node, Vercel and Open WebUI surface it. */
export function errorChunk(error: StreamError): string {
  return `data: ${JSON.stringify({ error: { message: error.message, type: error.type, code: null, param: null } })}\n\n`;
}
