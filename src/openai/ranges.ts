import { GatewayError } from "../errors";

/**
 * OpenAI's numeric bounds, checked the way OpenAI's own API checks them: a value out of
 * range is a 400 with OpenAI's wording, `param` and `code`, so a client's error handling
 * (and its user) sees what OpenAI would have said. Valid values are shaped for Claude
 * later (temperature 1–2 is clamped to 1: src/translate/sampling.ts); these checks only
 * refuse what OpenAI refuses, before anything is sent upstream.
 */
export interface NumericBound {
  /** OpenAI calls a float parameter "decimal" and an integer one "integer", whatever the value looks like. */
  kind: "decimal" | "integer";
  min?: number;
  max?: number;
}

export const TEMPERATURE: NumericBound = { kind: "decimal", min: 0, max: 2 };
export const TOP_P: NumericBound = { kind: "decimal", min: 0, max: 1 };
export const PENALTY: NumericBound = { kind: "decimal", min: -2, max: 2 };
export const OUTPUT_TOKENS: NumericBound = { kind: "integer", min: 1 };

/** Throws OpenAI's 400 for `value` outside `bound`; null and undefined mean "not given". */
export function checkBound(param: string, value: number | null | undefined, bound: NumericBound): void {
  if (value == null) return;
  if (bound.max !== undefined && value > bound.max) throw outOfRange(param, value, bound.kind, "above", "maximum", `<= ${bound.max}`);
  if (bound.min !== undefined && value < bound.min) throw outOfRange(param, value, bound.kind, "below", "minimum", `>= ${bound.min}`);
}

/** `Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 5 instead.` */
function outOfRange(param: string, value: number, kind: string, side: "above" | "below", limit: "maximum" | "minimum", expected: string): GatewayError {
  return new GatewayError(
    400,
    `Invalid '${param}': ${kind} ${side} ${limit} value. Expected a value ${expected}, but got ${String(value)} instead.`,
    "invalid_request_error",
    param,
    `${kind}_${side}_${limit === "maximum" ? "max" : "min"}_value`,
  );
}
