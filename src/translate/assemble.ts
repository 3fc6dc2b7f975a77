/**
 * Rebuilds an answer's content blocks from its stream events (pure), the way the SDKs
 * accumulate them: text, thinking with its signature, tool and server tool inputs from
 * their JSON fragments, citations, result blocks whole. The gateway needs the blocks of a
 * paused server-tool turn to send them back and continue it.
 */
type Block = Record<string, any>;

export class MessageAssembler {
  readonly content: Block[] = [];
  stopReason: string | null = null;
  readonly #json = new Map<number, string>();

  event(ev: { type: string; [k: string]: any }): void {
    switch (ev.type) {
      case "content_block_start":
        if (typeof ev.index === "number" && ev.content_block) {
          this.content[ev.index] = structuredClone(ev.content_block);
          if (ev.content_block.type === "tool_use" || ev.content_block.type === "server_tool_use") this.#json.set(ev.index, "");
        }
        return;
      case "content_block_delta": {
        const block = this.content[ev.index];
        const d = ev.delta;
        if (!block || !d) return;
        if (d.type === "text_delta") block.text = (block.text ?? "") + d.text;
        else if (d.type === "thinking_delta") block.thinking = (block.thinking ?? "") + d.thinking;
        else if (d.type === "signature_delta") block.signature = d.signature;
        else if (d.type === "citations_delta") (block.citations ??= []).push(d.citation);
        else if (d.type === "input_json_delta") this.#json.set(ev.index, (this.#json.get(ev.index) ?? "") + (d.partial_json ?? ""));
        return;
      }
      case "content_block_stop": {
        const json = this.#json.get(ev.index);
        const block = this.content[ev.index];
        if (json !== undefined && block) {
          try {
            block.input = json === "" ? (block.input ?? {}) : JSON.parse(json);
          } catch {
            block.input = {};
          }
          this.#json.delete(ev.index);
        }
        return;
      }
      case "message_delta":
        if (ev.delta?.stop_reason != null) this.stopReason = ev.delta.stop_reason;
        return;
      default:
        return;
    }
  }

  /** The blocks as they go back in an assistant turn (holes from missing starts dropped). */
  blocks(): Block[] {
    return this.content.filter((b) => b !== undefined);
  }
}
