import type { Hono } from "hono";
import type { GatewayEnv } from "../app-env";
import type { ModelProfile } from "../../models/profile";
import { clip, GatewayError } from "../../errors";
import { assertModelId, SEARCH_SUFFIX, THINK_SUFFIX } from "../../models/model-id";

/**
 * OpenAI model objects, plus a `-think` variant of every model that can think and a
 * `-search` (and `-think-search`) variant of every model with web search. Dated
 * snapshots (claude-sonnet-4-5-20250929) are also listed under their alias, which is
 * what people type and what clients' model-name regexes expect.
 */
export function toOpenAIModels(profiles: readonly ModelProfile[]) {
  const out = [];
  const seen = new Set<string>();
  for (const profile of profiles) {
    const alias = profile.id.replace(/-\d{8}$/, "");
    const ids = alias !== profile.id ? [alias, profile.id] : [profile.id];
    for (const id of ids) if (!seen.has(id)) (seen.add(id), out.push(...modelEntries({ ...profile, id })));
  }
  return out;
}

function modelEntries(p: ModelProfile) {
  const base = {
    object: "model" as const,
    created: Math.floor(Date.parse(p.createdAt) / 1000) || 0,
    owned_by: "anthropic",
    name: p.displayName,
    context_length: p.contextWindow,
    max_output_tokens: p.maxOutputTokens,
  };
  const out = [{ id: p.id, ...base }];
  const thinks = p.thinking.budget || p.thinking.adaptive;
  if (thinks) out.push({ id: p.id + THINK_SUFFIX, ...base, name: `${p.displayName} (thinking)` });
  if (p.webSearch) {
    out.push({ id: p.id + SEARCH_SUFFIX, ...base, name: `${p.displayName} (web search)` });
    if (thinks) out.push({ id: p.id + THINK_SUFFIX + SEARCH_SUFFIX, ...base, name: `${p.displayName} (thinking, web search)` });
  }
  return out;
}

export function registerModels(app: Hono<GatewayEnv>): void {
  app.get("/models", async (c) => {
    const profiles = await c.get("deps").models.list();
    return c.json({ object: "list", data: toOpenAIModels(profiles) });
  });
  app.get("/models/:id{.+}", async (c) => {
    const id = c.req.param("id");
    assertModelId(id, "model");
    const all = toOpenAIModels(await c.get("deps").models.list());
    const found = all.find((m) => m.id === id);
    if (!found) throw new GatewayError(404, `The model \`${clip(id)}\` does not exist or is not offered by this gateway.`, "not_found_error", "model", "model_not_found");
    return c.json(found);
  });
}
