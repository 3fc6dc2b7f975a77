import { postChat, type Gateway } from "./gateway";

/** The model kinds issue 4 must handle: budget thinking + sampling allowed, and adaptive only + sampling refused. */
export const OLDER = "claude-sonnet-4-5";
export const NEWER = "claude-opus-4-8";

/** The bodies of POST /v1/messages the simulator received, in order. */
export function messagesBodies(gw: Gateway): any[] {
  return gw.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/messages").map((r) => r.body);
}

/**
 * One chat call; returns the response, its parsed JSON (non-stream) and what the
 * simulator received for it. Fails loudly when the simulator refused the request, since
 * every mapping test is also a proof that the upstream accepted the translation.
 */
export async function chat(gw: Gateway, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const before = messagesBodies(gw).length;
  const res = await postChat(gw, body, headers);
  const json: any = body.stream === true ? undefined : await res.json();
  if (res.status !== 200) throw new Error(`gateway answered ${res.status}: ${JSON.stringify(json)}`);
  const sent = messagesBodies(gw).slice(before);
  return { res, json, sent: sent[sent.length - 1], attempts: sent.length };
}
