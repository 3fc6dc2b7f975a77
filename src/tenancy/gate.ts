import type { GatewayDeps, RequestScope } from "../deps";
import { GatewayError, type OpenAIErrorType } from "../errors";
import { estimateTokens } from "./meter";
import type { ClientIdentity, ReportedUsage, UsageTicket } from "./tenancy";

/**
 * The two points where a request meets its client key's limits and usage, for every
 * endpoint: `admit` before the upstream call (refusals thrown as GatewayError, nothing
 * sent upstream), `settle` once with what the answer used.
 */
export interface Gate {
  /** x-ratelimit-* for a limited key: on every answer, errors included. */
  headers: Record<string, string>;
  ticket: UsageTicket | undefined;
}

const OPEN_GATE: Gate = Object.freeze({ headers: {}, ticket: undefined }) as Gate;

/** `estimate` (prompt tokens) is only computed for a key that has a tokens-per-minute limit. */
export function admit(deps: GatewayDeps, client: ClientIdentity | undefined, model: string, estimate: () => number): Gate {
  const tenancy = deps.tenancy;
  // No model: the body is invalid and the core answers 400 without an upstream call.
  if (!tenancy || !client || !model) return OPEN_GATE;
  const decision = tenancy.admit(client, model, estimate);
  if ("ok" in decision) return { headers: decision.headers, ticket: decision.ticket };
  throw new GatewayError(decision.status, decision.message, decision.type as OpenAIErrorType, decision.param, decision.code, decision.headers);
}

/** The gate's headers on an error thrown after admission (an upstream error, say). */
export function withGateHeaders(err: unknown, gate: Gate): unknown {
  if (err instanceof GatewayError) Object.assign(err.headers, gate.headers, err.headers);
  return err;
}

/**
 * Records what the request used, once. `final` is false when the answer ended before the
 * upstream's final count (an aborted or broken stream): the output is then estimated
 * from what was sent, the input from the request when the upstream said nothing.
 */
export function settle(deps: GatewayDeps, gate: Gate, model: string, usage: ReportedUsage | null | undefined, final: boolean, scope: Pick<RequestScope, "waitUntil">, estimates: { promptChars: () => number; outputChars: number }): void {
  if (!gate.ticket || gate.ticket.recorded || !deps.tenancy) return;
  if (final && usage) return deps.tenancy.record(gate.ticket, model, usage, false, scope);
  const u: ReportedUsage = usage ? { ...usage } : { input_tokens: estimateTokens(estimates.promptChars()) };
  u.output_tokens = Math.max(usage?.output_tokens ?? 0, estimateTokens(estimates.outputChars));
  deps.tenancy.record(gate.ticket, model, u, true, scope);
}
