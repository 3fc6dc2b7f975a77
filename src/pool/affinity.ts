/**
 * A conversation's id for key affinity: the model, the system prompt and the first
 * message, which a chat frontend resends unchanged with every turn. Prompt caches and
 * uploaded files live in one key's workspace, so later turns should go where the first
 * one went. Not a secret and not stored: only hashed into a key preference.
 *
 * Long strings (base64 attachments) are represented by their ends and length, so a
 * 5 MB PDF costs nothing here; cache_control is left out because clients such as Roo
 * Code move their breakpoints from turn to turn.
 */
export function conversationAffinity(body: { model?: unknown; system?: unknown; messages?: unknown }): string {
  const first = Array.isArray(body.messages) ? body.messages[0] : undefined;
  try {
    return JSON.stringify([body.model ?? null, body.system ?? null, first ?? null], (k, v: unknown) => {
      if (k === "cache_control") return undefined;
      if (typeof v === "string" && v.length > 1024) return `${v.slice(0, 256)}…${v.length}…${v.slice(-256)}`;
      return v;
    });
  } catch {
    // A replacer makes JSON.stringify recurse: a body nested thousands deep (which the
    // /v1/messages passthrough forwards as it is) overflows the stack. Affinity is only
    // a preference, so such a request simply has none beyond its model.
    return JSON.stringify([typeof body.model === "string" ? body.model : null]);
  }
}
