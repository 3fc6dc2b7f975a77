import { ApiError, invalidRequest } from "./api-error";
import { faultError, isMidStream, type FaultBook } from "./faults";
import type { StoredFile } from "./files-api";
import { jsonResponse } from "./http";
import { newMessageId, newToolUseId } from "./ids";
import { defaultAnswer } from "./mini-model";
import { finish, outputTokens, type Finished } from "./finish";
import { promptUnits, totalInputTokens, type PromptCache } from "./prompt-cache";
import { INTERLEAVED_THINKING_BETA, type RequestContext } from "./request-context";
import type { ScriptedTurn } from "./scripted-turn";
import type { ThinkingSigner } from "./signature";
import { sleep } from "./sleep";
import { messageEvents, sseStream, type MidStreamFault } from "./sse";
import type { Block, FileSizeLookup } from "./tokens";
import { validateMessages } from "./validate-messages";
import { validateParams } from "./validate-params";
import { validateThinking } from "./validate-thinking";
import { citedAnswer } from "./document-citations";
import { isWebToolType } from "./server-tools";
import { webTurn, type ErrorQueue } from "./web-turn";

export interface MessagesState {
  signer: ThinkingSigner;
  cache: PromptCache;
  files: Map<string, StoredFile>;
  scripts: ScriptedTurn[];
  faults: FaultBook;
  issuedRedacted: Set<string>;
  streamDelayMs: number;
  /** Error codes that answer the next web searches/fetches (ClaudeSimulator.serverToolError). */
  serverToolErrors: ErrorQueue;
}

/** POST /v1/messages and POST /v1/messages/count_tokens. */
export class MessagesApi {
  constructor(private readonly state: MessagesState) {}

  private readonly fileSizes: FileSizeLookup = (id) => this.state.files.get(id);

  async create(body: Block, ctx: RequestContext, headers: Headers): Promise<Response> {
    const streaming = body?.stream === true;
    const midStream = await this.applyFault(ctx, streaming);

    const model = validateParams(body, ctx, "messages");
    validateMessages(body, ctx, (id) => this.state.files.get(id));
    await validateThinking(body, this.state.signer, this.state.issuedRedacted);
    const units = promptUnits(body, this.fileSizes);
    const total = totalInputTokens(units);
    if (total > model.maxInputTokens) throw invalidRequest(`prompt is too long: ${total} tokens > ${model.maxInputTokens} maximum`);

    const turn = this.state.scripts.shift();
    if (turn && "error" in turn) throw new ApiError(turn.error.status, turn.error.type, turn.error.message, turn.error.headers);
    const answer = turn ? scripted(turn) : defaultFinished(body, ctx, this.state.serverToolErrors);
    const output = answer.content.reduce((sum, b) => sum + outputTokens(b), 0);
    const content = await this.seal(answer.content, body.thinking?.display === "omitted");

    const input = await this.state.cache.account(ctx.apiKey, units, model.minCacheableTokens);
    const message = {
      id: newMessageId(),
      type: "message",
      role: "assistant",
      model: body.model,
      content,
      stop_reason: answer.stop_reason,
      stop_sequence: answer.stop_sequence,
      stop_details: (turn && "stop_details" in turn ? turn.stop_details : null) ?? null,
      usage: {
        ...input,
        output_tokens: output,
        ...(answer.serverToolUse ? { server_tool_use: answer.serverToolUse } : {}),
        service_tier: "standard",
        inference_geo: "not_available",
        ...(turn && "usage" in turn ? turn.usage : {}),
      },
    };
    if (!streaming) return jsonResponse(message, headers);
    headers.set("content-type", "text/event-stream; charset=utf-8");
    headers.set("cache-control", "no-cache");
    const stream = sseStream(messageEvents(message), { delayMs: this.state.streamDelayMs, signal: ctx.signal, fault: midStream });
    return new Response(stream, { status: 200, headers });
  }

  async countTokens(body: Block, ctx: RequestContext, headers: Headers): Promise<Response> {
    validateParams(body, ctx, "count_tokens");
    validateMessages(body, ctx, (id) => this.state.files.get(id));
    await validateThinking(body, this.state.signer, this.state.issuedRedacted);
    return jsonResponse({ input_tokens: totalInputTokens(promptUnits(body, this.fileSizes)) }, headers);
  }

  /** Faults come before validation, like failures in front of the API would. */
  private async applyFault(ctx: RequestContext, streaming: boolean): Promise<MidStreamFault | undefined> {
    const fault = this.state.faults.take(ctx.apiKey, streaming);
    if (!fault) return undefined;
    if ("status" in fault) throw faultError(fault);
    if (fault.kind === "network") throw new TypeError("Network connection lost.");
    if (fault.kind === "delay") {
      await sleep(fault.ms, ctx.signal);
      return undefined;
    }
    return isMidStream(fault) ? fault : undefined;
  }

  /** Signs thinking (what the client sees is what it must send back) and issues redacted data. */
  private async seal(content: Block[], omitted: boolean): Promise<Block[]> {
    const out: Block[] = [];
    for (const block of content) {
      if (block.type === "thinking") {
        const thinking = omitted ? "" : String(block.thinking ?? "");
        out.push({ type: "thinking", thinking, signature: await this.state.signer.sign(thinking) });
      } else if (block.type === "redacted_thinking") {
        const data = typeof block.data === "string" ? block.data : await this.state.signer.sign("", "redacted_thinking");
        this.state.issuedRedacted.add(data);
        out.push({ type: "redacted_thinking", data });
      } else {
        out.push(block);
      }
    }
    return out;
  }
}

type Answer = Finished & { serverToolUse?: { web_search_requests: number; web_fetch_requests: number } };

function defaultFinished(body: Block, ctx: RequestContext, serverToolErrors: ErrorQueue): Answer {
  const interleaved = body.thinking?.type === "adaptive" || ctx.betas.has(INTERLEAVED_THINKING_BETA);
  const offered = Array.isArray(body.tools) && body.tools.some((t: Block) => isWebToolType(t?.type));
  const web = offered ? webTurn(body, serverToolErrors) : null;
  const draft = defaultAnswer(body, { interleaved });
  const serverToolUse = offered ? (web?.usage ?? { web_search_requests: 0, web_fetch_requests: 0 }) : undefined;
  if (web) {
    // Client tools named in the same message are still called, after the searches: the
    // server's work never stands in for a client tool call.
    const calls = web.stopReason === "end_turn" && draft.stop_reason === "tool_use" ? draft.content.filter((b) => b.type === "tool_use") : [];
    const content = [...web.content, ...calls];
    return { ...finish(content, calls.length > 0 ? "tool_use" : web.stopReason, body), serverToolUse };
  }
  const cited = draft.stop_reason === "end_turn" ? citedAnswer(body) : null;
  if (cited) {
    const thinking = draft.content.filter((b) => b.type === "thinking");
    return { ...finish([...thinking, ...cited], "end_turn", body), serverToolUse };
  }
  return { ...finish(draft.content, draft.stop_reason, body), serverToolUse };
}

/** A scripted turn is played verbatim, with the ids a real answer would carry filled in. */
function scripted(turn: Extract<ScriptedTurn, { content: unknown }>): Answer {
  const content = structuredClone(turn.content).map((b: Block) => (b.type === "tool_use" && !b.id ? { ...b, id: newToolUseId() } : b));
  return {
    content,
    stop_reason: turn.stop_reason ?? (content.some((b: Block) => b.type === "tool_use") ? "tool_use" : "end_turn"),
    stop_sequence: turn.stop_sequence ?? null,
  };
}
