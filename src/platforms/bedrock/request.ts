/**
 * An Anthropic Messages body → Bedrock's InvokeModel body. Bedrock validates against a
 * closed schema: `model` and `stream` are refused (the model is in the URL, streaming is
 * the endpoint), the version is Bedrock's own whatever ANTHROPIC_VERSION says, and betas
 * travel in the body instead of the `anthropic-beta` header.
 */
export const BEDROCK_ANTHROPIC_VERSION = "bedrock-2023-05-31";

export function bedrockBody(body: Record<string, unknown>, betas: readonly string[]): string {
  const { model: _model, stream: _stream, ...rest } = body;
  const out: Record<string, unknown> = { ...rest, anthropic_version: BEDROCK_ANTHROPIC_VERSION };
  const all = [...new Set([...(Array.isArray(rest.anthropic_beta) ? (rest.anthropic_beta as string[]) : []), ...betas])];
  if (all.length) out.anthropic_beta = all;
  else delete out.anthropic_beta;
  return JSON.stringify(out);
}

export function bedrockUrl(baseUrl: string, modelId: string, stream: boolean): string {
  return `${baseUrl.replace(/\/+$/, "")}/model/${encodeURIComponent(modelId)}/${stream ? "invoke-with-response-stream" : "invoke"}`;
}

export function bedrockDefaultBaseUrl(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}
