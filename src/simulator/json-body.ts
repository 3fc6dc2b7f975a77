/**
 * A request body read as the API reads it. Its parser is stricter than JSON.parse about
 * one thing real clients trip on: a `\uD8xx` escape must be followed by its low surrogate
 * (cut-off emoji in long prompts). Refusals use the API's words, e.g. `The request body
 * is not valid JSON: no low surrogate in string: line 1 column 134323 (char 134322)`
 * (anthropics/claude-code#6464, #8272; `unexpected character` in promptfoo/promptfoo#4489).
 */
export type JsonBody = { ok: true; value: unknown } | { ok: false; message: string };

export function parseJsonBody(text: string): JsonBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: describe(text, findSyntaxError(text)) };
  }
  // Only bodies with a surrogate escape need the second look.
  if (/\\u[dD][89a-fA-F]/.test(text)) {
    const bad = findSurrogateError(text);
    if (bad) return { ok: false, message: describe(text, bad) };
  }
  return { ok: true, value };
}

interface Fault {
  at: number;
  reason: string;
}

function describe(text: string, fault: Fault): string {
  const before = text.slice(0, fault.at);
  const line = before.split("\n").length;
  const column = fault.at - (before.lastIndexOf("\n") + 1) + 1;
  return `The request body is not valid JSON: ${fault.reason}: line ${line} column ${column} (char ${fault.at})`;
}

function findSurrogateError(text: string): Fault | null {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (!inString) {
      if (c === '"') inString = true;
      continue;
    }
    if (c === '"') inString = false;
    else if (c === "\\") {
      if (text[i + 1] !== "u") {
        i++;
        continue;
      }
      const unit = parseInt(text.slice(i + 2, i + 6), 16);
      if (unit >= 0xd800 && unit <= 0xdbff) {
        const next = text.slice(i + 6, i + 8) === "\\u" ? parseInt(text.slice(i + 8, i + 12), 16) : NaN;
        if (!(next >= 0xdc00 && next <= 0xdfff)) return { at: i, reason: "no low surrogate in string" };
        i += 11;
        continue;
      }
      if (unit >= 0xdc00 && unit <= 0xdfff) return { at: i, reason: "invalid high surrogate in string" };
      i += 5;
    }
  }
  return null;
}

/** Where JSON.parse gave up, found by a small recursive-descent scan (JSON.parse does not say). */
function findSyntaxError(text: string): Fault {
  let i = 0;
  const end = (): Fault => ({ at: text.length, reason: "unexpected end of data" });
  const unexpected = (): Fault => (i >= text.length ? end() : { at: i, reason: "unexpected character" });
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const literal = (word: string): Fault | null => {
    for (const ch of word) {
      if (text[i] !== ch) return unexpected();
      i++;
    }
    return null;
  };
  const string = (): Fault | null => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return { at: i, reason: "unexpected control character in string" };
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { at: i, reason: "invalid escaped sequence in string" };
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) return { at: i, reason: "invalid escaped sequence in string" };
        i += 2;
        continue;
      }
      i++;
    }
    return end();
  };
  const number = (): Fault | null => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === "-" || m[0] === "") return unexpected();
    i += m[0].length;
    return null;
  };
  const value = (depth: number): Fault | null => {
    ws();
    const c = text[i];
    if (c === undefined) return end();
    if (c === '"') return string();
    if (c === "{" || c === "[") {
      if (depth > 2_000) return { at: i, reason: "maximum nesting depth exceeded" };
      const close = c === "{" ? "}" : "]";
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return null;
      }
      for (;;) {
        if (c === "{") {
          ws();
          if (text[i] !== '"') return unexpected();
          const key = string();
          if (key) return key;
          ws();
          if (text[i] !== ":") return unexpected();
          i++;
        }
        const inner = value(depth + 1);
        if (inner) return inner;
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === close) {
          i++;
          return null;
        }
        return unexpected();
      }
    }
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    return number();
  };
  const fault = value(0);
  if (fault) return fault;
  ws();
  // JSON.parse failed, so something follows the value (or the scan missed a case: point there).
  return unexpected();
}
