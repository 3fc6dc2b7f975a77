import { invalidRequest } from "./api-error";
import { blocksOf, thinkingOn } from "./request-context";
import type { ThinkingSigner } from "./signature";
import type { Block } from "./tokens";

/**
 * Thinking blocks must come back exactly as issued (the signature proves it), and in a
 * tool loop with thinking on, the assistant turn that called the tools must start with one.
 */
export async function validateThinking(body: Block, signer: ThinkingSigner, issuedRedacted: ReadonlySet<string>): Promise<void> {
  const messages: Block[] = body.messages;
  const latestAssistant = messages.findLastIndex((message) => message?.role === "assistant");
  for (const [n, message] of messages.entries()) {
    if (message.role !== "assistant") continue;
    for (const [m, block] of blocksOf(message).entries()) {
      if (block?.type === "thinking" && !(await signer.verify(String(block.thinking ?? ""), block.signature))) {
        // A real signature over other text: the block was edited. The API words that for the
        // latest assistant message as recorded in anthropics/claude-code#63404 and #13007.
        if (n === latestAssistant && signer.wasIssued(block.signature)) {
          throw invalidRequest(`messages.${n}.content.${m}: \`thinking\` or \`redacted_thinking\` blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.`);
        }
        throw invalidRequest(`messages.${n}.content.${m}: Invalid \`signature\` in \`thinking\` block`);
      }
      if (block?.type === "redacted_thinking" && !issuedRedacted.has(block.data) && !(await signer.verify("", block.data, "redacted_thinking"))) {
        throw invalidRequest(`messages.${n}.content.${m}: Invalid \`data\` in \`redacted_thinking\` block`);
      }
    }
  }
  if (!thinkingOn(body)) return;

  const last = messages[messages.length - 1];
  if (last?.role !== "user" || !blocksOf(last).some((b) => b?.type === "tool_result")) return;
  let n = messages.length - 1;
  while (n >= 0 && messages[n]!.role !== "assistant") n--;
  if (n < 0) return;
  const blocks = blocksOf(messages[n]);
  if (!blocks.some((b) => b?.type === "tool_use")) return;
  const first = blocks[0]?.type;
  if (first !== "thinking" && first !== "redacted_thinking") {
    throw invalidRequest(
      `messages.${n}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`,
    );
  }
}
